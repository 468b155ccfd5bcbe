"""Therapy appointments as the therapist books them and the patient meets them: Today, the week, the calendar
feed (own SEQUENCE, cancelled stays as STATUS:CANCELLED), the reminder, the day list and the review period."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.models import (
    AppointmentStatus, Notification, PushSubscription, ReminderKind, ReminderSettings, TherapyAppointment, TherapySession,
)
from app.models.types import utcnow
from app.push.reminders import plan_reminders, queue_appointment_reminder
from app.tms import calendar
from tests.conftest import sign_in
from tests.factories import earlier_today, make_course, make_patient, make_therapist
from tests.requests.test_pseudo_locale import pseudo_app, pseudo_translations  # noqa: F401  (fixtures)
from tests.support.pseudo_locale import PSEUDO_LOCALE, untranslated_text

NY = ZoneInfo("America/New_York")


def next_monday() -> date:
    today = utcnow().astimezone(NY).date()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def course(db, patient, therapist):
    return make_course(db, patient=patient, by=therapist, start=next_monday(), weeks=2)


def book(client, patient, **fields):
    data = {"date": next_monday().isoformat(), "time": "14:00", "weeks": "1", "minutes": "50"} | fields
    return client.post(f"/patients/{patient.id}/appointments", data=data)


def appointments(db, patient):
    db.expire_all()
    return db.exec(select(TherapyAppointment).where(TherapyAppointment.patient_id == patient.id)
                   .order_by(TherapyAppointment.starts_at)).all()


def feed_events(client, db, patient) -> dict[str, dict]:
    token = calendar.new_feed_token(db, patient=patient, now=utcnow())
    db.commit()
    body = client.get(f"/calendar/{token}.ics").data
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_form_suggests_the_afternoon_of_a_tms_day(therapist_client, patient, course):
    page = therapist_client.get(f"/patients/{patient.id}/appointments").text
    assert f'value="{next_monday().isoformat()}"' in page and 'value="14:00"' in page
    interleaved = therapist_client.get(f"/patients/{patient.id}/appointments?pattern=interleaved").text
    tomorrow = utcnow().astimezone(NY).date() + timedelta(days=1)
    course_days = {next_monday() + timedelta(days=n) for n in range(14)}  # two weeks of weekday visits
    first_free = next(day for day in (tomorrow + timedelta(days=n) for n in range(28))
                      if day.weekday() < 5 and day not in course_days)
    assert f'value="{first_free.isoformat()}"' in interleaved and 'value="10:00"' in interleaved


def test_booking_weekly_makes_a_series_the_patient_sees_on_the_week(therapist_client, client, db, patient, course):
    response = book(therapist_client, patient, weeks="3")
    assert response.status_code == 303
    booked = appointments(db, patient)
    assert [a.starts_at.astimezone(NY) for a in booked] == [
        datetime.combine(next_monday() + timedelta(weeks=n), time(14, 0), NY) for n in range(3)]
    assert all(a.therapist_id == patient.therapist_id and a.minutes == 50 for a in booked)


def test_bad_input_is_shown_beside_the_field_with_the_text_kept(therapist_client, db, patient):
    response = book(therapist_client, patient, weeks="40", time="25:99")
    assert response.status_code == 400
    assert 'id="weeks-error"' in response.text and 'id="time-error"' in response.text
    assert 'value="40"' in response.text
    past = book(therapist_client, patient, date="2026-01-05")
    assert past.status_code == 400 and "not passed yet" in past.text
    assert appointments(db, patient) == []


def test_a_slot_already_booked_is_refused(therapist_client, db, patient):
    assert book(therapist_client, patient).status_code == 303
    again = book(therapist_client, patient)
    assert again.status_code == 400 and "already has an appointment" in again.text
    assert len(appointments(db, patient)) == 1


def test_the_calendar_feed_has_the_appointment_and_cancelling_marks_it_cancelled(therapist_client, client, db, patient,
                                                                                 course):
    book(therapist_client, patient)
    appointment = appointments(db, patient)[0]
    uid = next(u for u in feed_events(client, db, patient) if u.startswith(f"therapy-appointment-{appointment.id}@"))
    event = feed_events(client, db, patient)[uid]
    assert (str(event["summary"]), int(event["sequence"]), str(event["status"])) == ("Therapy session", 0, "CONFIRMED")
    assert event["dtend"].dt - event["dtstart"].dt == timedelta(minutes=50)

    assert therapist_client.post(f"/appointments/{appointment.id}/cancel").status_code == 303
    event = feed_events(client, db, patient)[uid]
    assert (int(event["sequence"]), str(event["status"])) == (1, "CANCELLED")
    assert appointments(db, patient)[0].status == AppointmentStatus.cancelled


def test_moving_bumps_the_sequence_and_the_time(therapist_client, client, db, patient):
    book(therapist_client, patient)
    appointment = appointments(db, patient)[0]
    tuesday = next_monday() + timedelta(days=1)
    response = therapist_client.post(f"/appointments/{appointment.id}/move", data={"date": tuesday.isoformat(), "time": "16:30"})
    assert response.status_code == 303
    moved = appointments(db, patient)[0]
    assert (moved.starts_at.astimezone(NY), moved.sequence) == (datetime.combine(tuesday, time(16, 30), NY), 1)
    refused = therapist_client.post(f"/appointments/{appointment.id}/move", data={"date": "2026-01-05", "time": "16:30"})
    assert refused.status_code == 400 and f'id="move-{appointment.id}-error"' in refused.text


def test_today_and_week_show_the_appointment_in_the_patients_time(client, db, patient, therapist):
    soon = utcnow().astimezone(NY).replace(second=0, microsecond=0) + timedelta(minutes=5)
    later = soon + timedelta(days=8)
    for start in (soon, later):
        db.add(TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, starts_at=start, created_by_id=therapist.id))
    db.commit()
    sign_in(client, patient)
    today = client.get("/today").text
    assert 'id="therapy-today"' in today
    if soon.date() == utcnow().astimezone(NY).date():
        assert f"Today at {soon:%H:%M}" in today
    assert f"Next: " in today and f"{later:%H:%M}" in today
    week = client.get("/week").text
    assert f"Therapy {soon:%H:%M}" in week


def test_another_therapist_cannot_touch_the_appointment(client, db, patient, therapist):
    book_as = make_therapist(db, email="other@example.org", name="Dr. Other")
    start = utcnow() + timedelta(days=2)
    appointment = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, starts_at=start, created_by_id=therapist.id)
    db.add(appointment)
    db.commit()
    sign_in(client, book_as)
    assert client.post(f"/appointments/{appointment.id}/cancel").status_code == 404
    assert client.post(f"/appointments/{appointment.id}/move", data={"date": "2030-01-01", "time": "10:00"}).status_code == 404
    assert appointments(db, patient)[0].status == AppointmentStatus.scheduled


def test_the_day_list_shows_only_the_therapists_own_appointments(therapist_client, db, patient, therapist):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    theirs = make_patient(db, therapist=other, email="theirs@example.org", name="Not Yours")
    day = next_monday()
    for who, by in ((patient, therapist), (theirs, other)):
        db.add(TherapyAppointment(patient_id=who.id, therapist_id=by.id, created_by_id=by.id,
                                  starts_at=datetime.combine(day, time(15, 0), NY)))
    db.commit()
    page = therapist_client.get(f"/appointments?day={day.isoformat()}").text
    assert patient.name in page and "Not Yours" not in page and "15:00" in page
    assert "No appointments on this day." in therapist_client.get(f"/appointments?day={(day + timedelta(days=1)).isoformat()}").text


def subscribe(db, patient):
    """A phone for reminders; no quiet hours, so a test run at night still gets its reminder."""
    db.add(PushSubscription(user_id=patient.id, endpoint="https://push.example.org/p", p256dh="k", auth="a"))
    db.add(ReminderSettings(user_id=patient.id, checkin=False, homework=False, questionnaires=False))
    db.commit()


def appointment_reminders(db, patient):
    db.expire_all()
    return db.exec(select(Notification).where(Notification.user_id == patient.id,
                                              Notification.kind == ReminderKind.therapy_appointment)).all()


def test_the_patient_is_reminded_without_saying_therapy_and_not_after_a_cancel(therapist_client, db, patient):
    subscribe(db, patient)
    start = (utcnow() + timedelta(hours=6)).astimezone(NY).replace(second=0, microsecond=0)
    book(therapist_client, patient, date=start.date().isoformat(), time=start.strftime("%H:%M"))
    [reminder] = appointment_reminders(db, patient)
    assert reminder.title == "Appointment reminder"
    assert start.strftime("%H:%M") in reminder.body and "herapy" not in reminder.body and patient.name not in reminder.body
    assert reminder.due_at <= start - timedelta(hours=2)
    appointment = appointments(db, patient)[0]
    therapist_client.post(f"/appointments/{appointment.id}/cancel")
    assert appointment_reminders(db, patient) == []


def test_the_planner_writes_the_reminder_once_the_appointment_is_near(db, patient, therapist):
    subscribe(db, patient)
    now = utcnow()
    near = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                              starts_at=now + timedelta(hours=20))
    far = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                             starts_at=now + timedelta(days=5))
    db.add_all([near, far])
    db.commit()
    plan_reminders(db, now=now, users=[patient])
    plan_reminders(db, now=now, users=[patient])
    db.commit()
    assert [r.occurrence_key for r in appointment_reminders(db, patient)] == [f"appointment:{near.id}:0"]


def test_an_early_appointment_is_announced_before_quiet_hours_never_during_them(db, patient, therapist):
    """08:00 appointment, quiet 22:00-07:00: two hours before is inside quiet hours, so it waits for them to end
    (the appointment is still ahead then); a 06:30 one, over before quiet hours end, is announced the evening before."""
    db.add(ReminderSettings(user_id=patient.id, quiet_start=time(22, 0), quiet_end=time(7, 0)))
    start = datetime(2026, 3, 3, 8, 0, tzinfo=NY)
    appointment = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                                     starts_at=start)
    db.add(appointment)
    db.commit()
    reminder = queue_appointment_reminder(db, appointment=appointment, patient=patient,
                                          now=datetime(2026, 3, 2, 12, 0, tzinfo=NY))
    assert reminder.due_at.astimezone(NY) == datetime(2026, 3, 3, 7, 0, tzinfo=NY)
    assert "Tuesday 3 March at 08:00" in reminder.body
    dawn = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                              starts_at=datetime(2026, 3, 4, 6, 30, tzinfo=NY))
    db.add(dawn)
    db.commit()
    reminder = queue_appointment_reminder(db, appointment=dawn, patient=patient, now=datetime(2026, 3, 3, 12, 0, tzinfo=NY))
    assert reminder.due_at.astimezone(NY) == datetime(2026, 3, 3, 21, 45, tzinfo=NY)


def test_the_review_counts_from_the_previous_appointment(therapist_client, db, patient, therapist):
    today = utcnow().astimezone(NY).date()
    db.add(TherapySession(patient_id=patient.id, therapist_id=therapist.id, held_on=today - timedelta(days=20)))
    db.add(TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                              starts_at=datetime.combine(today - timedelta(days=6), time(15, 0), NY)))
    db.add(TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                              status=AppointmentStatus.cancelled,
                              starts_at=datetime.combine(today - timedelta(days=2), time(15, 0), NY)))
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}").text
    assert f'value="{(today - timedelta(days=6)).isoformat()}"' in page and "(previous appointment)" in page


def test_without_appointments_the_review_counts_from_the_last_recorded_session(therapist_client, db, patient, therapist):
    today = utcnow().astimezone(NY).date()
    db.add(TherapySession(patient_id=patient.id, therapist_id=therapist.id, held_on=today - timedelta(days=9)))
    db.commit()
    page = therapist_client.get(f"/patients/{patient.id}").text
    assert f'value="{(today - timedelta(days=9)).isoformat()}"' in page and "(last therapy session)" in page


def test_today_shows_an_appointment_booked_after_the_patient_last_looked(app, therapist_client, db, patient):
    """Today is kept per process until the patient's data version moves: booking must move it."""
    phone = app.test_client()
    sign_in(phone, patient)
    assert 'id="therapy-today"' not in phone.get("/today").text
    assert book(therapist_client, patient).status_code == 303
    assert 'id="therapy-today"' in phone.get("/today").text


def test_the_therapy_card_on_today_is_translated(pseudo_app, client, db, patient, therapist):
    db.add(TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                              starts_at=earlier_today(5)))
    patient.language = PSEUDO_LOCALE
    db.add(patient)
    db.commit()
    sign_in(client, patient)
    page = client.get("/today").text
    assert 'id="therapy-today"' in page
    assert untranslated_text(page, within="therapy-card") == []


def test_the_reminder_names_the_day_in_the_patients_language(db, patient, therapist):
    patient.language = "es"
    db.add(ReminderSettings(user_id=patient.id))
    appointment = TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, created_by_id=therapist.id,
                                     starts_at=datetime(2026, 3, 3, 15, 0, tzinfo=NY))
    db.add_all([patient, appointment])
    db.commit()
    reminder = queue_appointment_reminder(db, appointment=appointment, patient=patient,
                                          now=datetime(2026, 3, 3, 9, 0, tzinfo=NY))
    assert "martes, 3 de marzo" in reminder.body and "15:00" in reminder.body  # Spanish order: "3 de marzo"


def test_a_time_over_the_patients_tms_visit_is_refused_and_right_after_it_is_fine(therapist_client, db, patient, course):
    """The course's visits are at 09:00 for 40 minutes: 09:20 overlaps, 09:40 (back to back) is the sequential day."""
    clash = book(therapist_client, patient, time="09:20", weeks="2")
    assert clash.status_code == 400 and "TMS visit that day" in clash.text
    assert 'id="date-error"' in clash.text and appointments(db, patient) == []
    assert book(therapist_client, patient, time="09:40").status_code == 303


def test_the_therapist_is_not_booked_twice_and_a_move_cannot_land_on_a_clash(therapist_client, db, patient, therapist):
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Olive Other")
    assert book(therapist_client, other, time="14:30").status_code == 303
    clash = book(therapist_client, patient, time="14:00")  # 14:00-14:50 runs into Olive's 14:30
    assert clash.status_code == 400 and "another patient" in clash.text and "Olive" not in clash.text
    assert book(therapist_client, patient, time="15:20").status_code == 303
    mine = appointments(db, patient)[0]
    moved = therapist_client.post(f"/appointments/{mine.id}/move",
                                  data={"date": next_monday().isoformat(), "time": "14:45"})
    assert moved.status_code == 400 and f'id="move-{mine.id}-error"' in moved.text
    assert appointments(db, patient)[0].starts_at == mine.starts_at
    later = therapist_client.post(f"/appointments/{mine.id}/move",  # over its own old slot is no clash
                                  data={"date": next_monday().isoformat(), "time": "15:30"})
    assert later.status_code == 303
