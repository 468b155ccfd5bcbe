"""Done-when of issue 21, on a 390 px phone: a Spanish-speaking patient does the daily check-in, a PHQ-9 in its
validated Spanish wording and a thought record, all in Spanish; a test notification reaches the (fake) push service
in Spanish, decrypted as a browser would; the therapist sees the PHQ-9 "answered in Spanish". Every page visited has
<html lang="es"> and no axe violations."""
import json
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlmodel import select

from app.models import QuestionnaireResponse
from app.models.push import PushSubscription
from app.models.types import utcnow
from app.push.delivery import deliver_due
from app.push.sender import PushSender
from app.push.vapid import generate_vapid_keys
from tests.browser.conftest import sign_in_page
from tests.support.fake_push import FakePushService, decrypt, make_browser_subscription

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def in_spanish_and_accessible(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_a_spanish_speaking_patient_does_the_day_in_spanish_and_the_therapist_sees_it(
        app, phone, desktop, db, patient, therapist):
    patient.language = "es"
    db.add(patient)
    db.commit()
    assert phone.viewport_size["width"] == 390
    sign_in_page(phone, patient.email)
    expect(phone.get_by_role("heading", name=f"Hola, {patient.first_name}")).to_be_visible()
    in_spanish_and_accessible(phone)

    phone.goto("/checkins/new")
    expect(phone.get_by_role("heading", name="Registro diario")).to_be_visible()
    phone.locator("label.scale-option", has=phone.locator("input[name=mood][value='6']")).click()
    in_spanish_and_accessible(phone)
    phone.get_by_role("button", name="Guardar registro").click()
    expect(phone.get_by_text("Registro guardado. Gracias.")).to_be_visible()

    phone.goto("/questionnaires/phq9")
    expect(phone.get_by_text("Durante las últimas 2 semanas", exact=False)).to_be_visible()
    in_spanish_and_accessible(phone)
    for number in range(1, 10):
        phone.locator(f"#q{number}").get_by_label("Ningún día" if number == 9 else "Varios días").check()
    phone.locator("form.questionnaire button[type=submit]").click()
    expect(phone.get_by_text("guardado. Gracias.", exact=False)).to_be_visible()

    phone.goto("/thoughts/new")
    in_spanish_and_accessible(phone)
    phone.get_by_label("¿Qué pasó?").fill("Mi hermana no contestó mis mensajes")
    phone.get_by_label("¿Qué se te pasó por la mente?").fill("Está enojada conmigo")
    phone.get_by_label("¿Cuánto te lo creíste? (0-100 %)").fill("70")
    phone.locator("#emotions-0-name").fill("Triste")
    phone.locator("input[data-scale-for='emotions-0-intensity']").fill("60")
    phone.get_by_label("¿Qué apoya ese pensamiento?").fill("No respondió en todo el día")
    phone.get_by_label("¿Qué no encaja con ese pensamiento?").fill("Trabaja hasta tarde los martes")
    phone.get_by_label("Un pensamiento más equilibrado").fill("Puede que esté ocupada")
    phone.get_by_label("¿Cuánto crees el pensamiento equilibrado? (0-100 %)").fill("60")
    phone.get_by_label("Triste ahora (0-100 %)").fill("30")
    phone.get_by_role("button", name="Guardar registro").click()
    expect(phone.get_by_text("Registro guardado. Muy bien por trabajarlo hasta el final.")).to_be_visible()
    in_spanish_and_accessible(phone)

    keys = generate_vapid_keys(Path(app.instance_path))
    with FakePushService() as push_service:
        data, browser_keys = make_browser_subscription(push_service.base_url, "/push/lucia-phone")
        db.add(PushSubscription(user_id=patient.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                                auth=data["keys"]["auth"]))
        db.commit()
        phone.goto("/settings/reminders")
        in_spanish_and_accessible(phone)
        phone.get_by_role("button", name="Envíame una notificación de prueba").click()
        expect(phone.get_by_text("Una notificación de prueba va en camino", exact=False)).to_be_visible()
        with PushSender(keys, subscriber_email="push@clinic.example", allow_insecure_hosts=["127.0.0.1"],
                        timeout=5.0) as sender, app.app_context():
            db.expire_all()
            deliver_due(db, sender, now=utcnow())
        (request,) = push_service.requests_to("/push/lucia-phone")
        shown = json.loads(decrypt(request, browser_keys))
    assert (shown["title"], shown["body"]) == ("Notificación de prueba", "Los recordatorios funcionan en este dispositivo.")

    (response,) = db.exec(select(QuestionnaireResponse)).all()
    assert (response.instrument, response.language, response.total) == ("phq9", "es", 8)
    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/measures")
    expect(desktop.get_by_text("answered in Spanish")).to_be_visible()
