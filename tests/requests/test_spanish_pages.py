"""A Spanish-speaking patient's pages are Spanish through and through: words, dates, field errors, the crisis
screen (988 offers Spanish), built-in skill cards and the strings static JavaScript reads. English stays as it was."""
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from app.formatting import localtime, longdate, shortdate, when
from tests.conftest import sign_in


@pytest.fixture
def spanish_client(client, db, patient):
    patient.language = "es"
    db.add(patient)
    db.commit()
    sign_in(client, patient)
    return client


SATURDAY = date(2026, 11, 28)
MORNING = datetime(2026, 11, 28, 14, 5, tzinfo=UTC)  # 09:05 in New York


def test_dates_are_babel_formatted_in_spanish_and_unchanged_in_english(app):
    with app.test_request_context(), force_locale("es"):
        assert longdate(SATURDAY) == "sábado, 28 de noviembre"
        assert shortdate(SATURDAY).startswith("sáb") and "nov" in shortdate(SATURDAY)
        assert localtime(MORNING, "America/New_York").endswith("09:05") and "sáb" in localtime(MORNING, "America/New_York")
        assert when(MORNING, "America/New_York", date(2026, 11, 27)).startswith("sáb 28 nov")
    with app.test_request_context(), force_locale("en"):
        assert longdate(SATURDAY) == "Saturday 28 November"
        assert shortdate(SATURDAY) == "Sat 28 Nov"
        assert localtime(MORNING, "America/New_York") == "Sat 28 Nov, 09:05"


def test_today_is_in_spanish_with_a_spanish_date(spanish_client):
    page = spanish_client.get("/today").text
    assert '<html lang="es" ' in page
    assert "Hola, Pat" in page and "Para hacer hoy" in page and "Hello" not in page
    assert any(day in page for day in ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"))


def test_a_field_error_is_in_spanish_beside_the_field(spanish_client):
    page = spanish_client.post("/checkins/new", data={"note": "hola"})
    assert page.status_code == 400
    assert "Elige tu nivel de ánimo del 0 al 10." in page.text and "hola" in page.text


def test_a_thought_record_field_error_names_the_field_in_spanish(spanish_client):
    page = spanish_client.post("/thoughts/new", data={"action": "complete", "belief_before": "abc"})
    assert page.status_code == 400
    assert "Cuánto crees el pensamiento: escribe un número entero del 0 al 100." in page.text


def test_the_crisis_screen_says_988_offers_spanish(spanish_client):
    page = spanish_client.get("/safety/not-safe").text
    assert "El 988 ofrece atención en español." in page
    assert "Línea 988 de Prevención del Suicidio y Crisis: llama al 988" in page


def test_english_speakers_are_not_told_about_spanish(patient_client):
    page = patient_client.get("/safety/not-safe").text
    assert "988 Suicide &amp; Crisis Lifeline: call 988" in page and "español" not in page


def test_skill_cards_are_in_spanish(spanish_client):
    page = spanish_client.get("/skills/tipp").text
    assert "Usa tu cuerpo para bajar rápido una emoción muy intensa." in page


def test_static_javascript_gets_its_spanish_from_the_catalog(client):
    messages = client.get("/i18n/es.json").get_json()["messages"]
    assert messages["Saved on this phone — will sync when you're back online"] == \
        "Guardado en este teléfono: se enviará cuando vuelvas a tener conexión"
    assert messages["Reminder"] == "Recordatorio" and messages["You are offline."] == "No tienes conexión."
