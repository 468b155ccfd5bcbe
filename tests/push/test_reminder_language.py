"""Reminders speak the recipient's language: rendered inside force_locale for the person they go to, whoever's
request or clock job writes them; unknown languages and a missing app context fall back to English."""
import json
from datetime import UTC, datetime

from flask_babel import gettext
from sqlmodel import select

from app.models.push import Notification, PushSubscription
from app.push import texts
from app.push.delivery import deliver_due
from app.push.language import in_language_of
from app.push.reminders import plan_reminders, queue_safety_alert
from tests.factories import make_patient, make_therapist
from tests.support.fake_push import decrypt, make_browser_subscription

NOON = datetime(2026, 1, 12, 17, 0, tzinfo=UTC)  # Monday 12:00 in New York
EVENING = datetime(2026, 1, 13, 0, 5, tzinfo=UTC)  # 19:05 in New York: the default check-in time has come


def subscribe(db, user, fake_push, path):
    data, browser = make_browser_subscription(fake_push.base_url, path)
    db.add(PushSubscription(user_id=user.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                            auth=data["keys"]["auth"]))
    db.commit()
    return browser


def speaks(db, user, language):
    user.language = language
    db.add(user)
    db.commit()
    return user


def test_planned_check_in_reminders_go_out_in_each_patients_language(app, db, therapist, fake_push, sender):
    lucia = speaks(db, make_patient(db, therapist=therapist, email="lucia@example.org", name="Lucía"), "es")
    pat = make_patient(db, therapist=therapist, email="pat@example.org", name="Pat")
    lucia_browser = subscribe(db, lucia, fake_push, "/push/lucia")
    pat_browser = subscribe(db, pat, fake_push, "/push/pat")
    with app.app_context():  # as the clock process runs its jobs
        assert plan_reminders(db, now=NOON) == 2
        db.commit()
        deliver_due(db, sender, now=EVENING)

    spanish = json.loads(decrypt(fake_push.requests_to("/push/lucia")[0], lucia_browser))
    english = json.loads(decrypt(fake_push.requests_to("/push/pat")[0], pat_browser))
    assert (spanish["title"], spanish["body"]) == ("Es hora de tu registro diario", "¿Cómo va el día? Solo toma un minuto.")
    assert (english["title"], english["body"]) == ("Time for your check-in", "How is today going? It takes a minute.")


def test_a_safety_alert_raised_by_an_english_request_reaches_a_spanish_speaking_therapist_in_spanish(app, db):
    therapist = speaks(db, make_therapist(db, email="dra@example.org", name="Dra. Ruiz"), "es")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        queue_safety_alert(db, event_id=7, therapist_id=therapist.id, at=NOON)
        db.commit()
    (alert,) = db.exec(select(Notification)).all()
    assert (alert.title, alert.body) == ("Un paciente necesita tu atención", "Un paciente necesita tu atención — abre la app.")


def test_plural_wording_follows_the_recipients_language(app, db):
    therapist = speaks(db, make_therapist(db, email="dra@example.org"), "es")
    with app.app_context(), in_language_of(therapist):
        assert texts.therapist_digest(patients_today=1).body == "1 de tus pacientes tiene TMS hoy."
        assert texts.therapist_digest(patients_today=4).body == "4 de tus pacientes tienen TMS hoy."


def test_an_unknown_stored_language_gets_english_reminders(app, db, patient):
    speaks(db, patient, "tlh")
    with app.app_context(), in_language_of(patient) as language:
        assert language == "en"
        assert texts.daily_checkin().title == "Time for your check-in"


def test_language_is_scoped_to_the_block(app, db, patient):
    speaks(db, patient, "es")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with in_language_of(patient):
            assert gettext("Test notification") == "Notificación de prueba"
        assert gettext("Test notification") == "Test notification"


def test_outside_an_app_context_reminder_texts_are_english(patient):
    patient.language = "es"
    with in_language_of(patient):
        assert texts.daily_checkin().title == "Time for your check-in"


def test_changing_language_rewords_reminders_already_planned(app, client, db, patient, fake_push):
    from app.models.types import utcnow
    from tests.conftest import sign_in

    subscribe(db, patient, fake_push, "/push/phone")
    with app.app_context():
        assert plan_reminders(db, now=utcnow()) >= 1
        db.commit()
    sign_in(client, patient)
    assert client.post("/settings/language", data={"language": "es"}).status_code == 303

    db.expire_all()
    pending = db.exec(select(Notification).where(Notification.user_id == patient.id)).all()
    assert pending and {n.title for n in pending} == {"Es hora de tu registro diario"}


def test_choosing_the_same_language_again_leaves_reminders_alone(app, client, db, patient, fake_push):
    from app.models.types import utcnow
    from tests.conftest import sign_in

    subscribe(db, patient, fake_push, "/push/phone")
    with app.app_context():
        plan_reminders(db, now=utcnow())
        db.commit()
    before = {n.id for n in db.exec(select(Notification)).all()}
    sign_in(client, patient)
    client.post("/settings/language", data={"language": "en"})
    db.expire_all()
    assert {n.id for n in db.exec(select(Notification)).all()} == before


def test_an_appointment_reminder_names_the_day_as_the_recipient_would(app, db, therapist):
    from app.models import TherapyAppointment
    from app.push.reminders import queue_appointment_reminder

    lucia = speaks(db, make_patient(db, therapist=therapist, email="lucia@example.org", name="Lucía"), "es")
    pat = make_patient(db, therapist=therapist, email="pat@example.org", name="Pat")
    starts = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York
    with app.app_context():
        bodies = {}
        for patient in (lucia, pat):
            appointment = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id,
                                             created_by_id=therapist.id, starts_at=starts)
            db.add(appointment)
            db.commit()
            bodies[patient.name] = queue_appointment_reminder(db, appointment=appointment, patient=patient,
                                                              now=NOON).body
    assert bodies == {"Lucía": "Tienes una cita el martes, 13 de enero a las 10:00.",
                      "Pat": "You have an appointment on Tuesday 13 January at 10:00."}


def test_homework_due_at_midnight_says_so_in_the_recipients_language(app, db, patient):
    midnight = datetime(2026, 1, 13, 0, 0)
    with app.app_context():
        assert texts.clock(midnight) == "midnight" and texts.clock(midnight.replace(hour=15)) == "15:00"
        with in_language_of(speaks(db, patient, "es")):
            due = texts.homework_due(title="", due=texts.clock(midnight), detailed=False).body
    assert due == "Tienes algo pendiente en la app, para antes de las doce de la noche."
