"""On a phone: a patient switches to Spanish, answers the PHQ-9 in its validated Spanish wording, and the therapist
sees it marked "answered in Spanish"; static JavaScript reads its strings from the same catalogs."""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from playwright.sync_api import expect
from sqlmodel import select

from app import i18n
from app.models import QuestionnaireResponse
from tests.browser.conftest import sign_in_page

ROOT = Path(__file__).resolve().parents[2]


def test_a_patient_switches_to_spanish_and_answers_the_spanish_phq9(phone, desktop, db, patient, therapist):
    sign_in_page(phone, patient.email)
    phone.goto("/me")  # settings live under Me
    phone.get_by_role("link", name="Language English, Español").click()  # not the tour, which mentions language
    phone.get_by_role("group", name="Language").get_by_label("Español").check()
    phone.get_by_role("button", name="Save language").click()
    expect(phone.get_by_text("Idioma guardado.")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "es")

    phone.goto("/questionnaires/phq9")
    expect(phone.get_by_role("heading", name="Cuestionario sobre la salud del paciente-9 (PHQ-9)")).to_be_visible()
    expect(phone.get_by_text("Durante las últimas 2 semanas", exact=False)).to_be_visible()
    for number in range(1, 10):
        phone.locator(f"#q{number}").get_by_label("Ningún día" if number == 9 else "Varios días").check()
    phone.locator("form.questionnaire button[type=submit]").click()
    phone.wait_for_url("**/questionnaires")

    (row,) = db.exec(select(QuestionnaireResponse)).all()
    assert (row.language, row.total) == ("es", 8)
    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/measures")
    expect(desktop.get_by_text("answered in Spanish")).to_be_visible()


def test_static_javascript_gets_translations_from_the_catalogs_and_english_for_the_rest(app, phone, db, patient, tmp_path):
    template = Catalog()
    template.add("Send now")
    template.add("%(count)s waiting")
    with (tmp_path / "js.pot").open("wb") as handle:
        write_po(handle, template)
    spanish = Catalog(locale="es")
    spanish.add("Send now", "Enviar ahora")
    spanish.add("%(count)s waiting", "")
    folder = tmp_path / "translations" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, spanish)
    app.config.update(JS_MESSAGES_TEMPLATE=str(tmp_path / "js.pot"),
                      BABEL_TRANSLATION_DIRECTORIES=f"{tmp_path / 'translations'};{ROOT / 'translations'}")
    i18n.init_app(app)
    patient.language = "es"
    db.add(patient)
    db.commit()

    sign_in_page(phone, patient.email)
    phone.goto("/settings/language")
    phone.add_script_tag(url="/static/js/i18n.js")
    words = phone.evaluate("() => I18n.ready.then(g => [g('Send now'), g('%(count)s waiting', {count: 3}), g('Never marked')])")
    assert words == ["Enviar ahora", "3 waiting", "Never marked"]
    assert phone.evaluate("() => JSON.parse(localStorage.getItem('i18n:es'))") == {"Send now": "Enviar ahora"}
