"""Digits that `str.isdigit()` accepts but `int()` refuses ('²', '٣') are refused beside the field, never a 500:
every whole number from a form goes through app/validation.whole_number (found by the fuzz test: weekdays '²')."""
from sqlmodel import select

from app.models import ClinicClosure, TmsCourse, User
from app.models.safety import ClinicSettings
from tests.requests.test_course_shapes import STANDARD

ODD_DIGITS = ("²", "٣")


def test_a_course_with_an_odd_digit_weekday_is_refused_beside_the_field(therapist_client, db, patient):
    for odd in ODD_DIGITS:
        response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**STANDARD, "weekdays": odd})
        assert response.status_code == 400
    assert db.exec(select(TmsCourse)).all() == []


def test_public_holidays_for_an_odd_digit_year_are_refused(therapist_client, db):
    for odd in ODD_DIGITS:
        response = therapist_client.post("/clinic/closures/holidays", data={"year": odd})
        assert response.status_code == 400 and "Enter a year like 2027." in response.text
    assert db.exec(select(ClinicClosure)).all() == []


def test_an_odd_digit_diary_threshold_is_refused(therapist_client, db, patient):
    response = therapist_client.post(f"/patients/{patient.id}/safety/threshold", data={"suicide_urge_threshold": "²"})
    assert response.status_code == 400
    db.expire_all()
    assert db.get(User, patient.id).suicide_urge_threshold == 4


def test_odd_digit_escalation_minutes_are_refused(admin_client, db):
    base = {"clinic_phone": "(212) 555-0100", "crisis_line_label": "988 Lifeline", "crisis_line_number": "988",
            "crisis_line_text": "988", "emergency_number": "911", "crisis_chat_url": "https://988lifeline.org/chat"}
    response = admin_client.post("/admin/clinic", data=base | {"escalation_minutes": "٣٠"})
    assert response.status_code == 400 and "from 5 to 1440" in response.text
    assert db.get(ClinicSettings, 1) is None or db.get(ClinicSettings, 1).escalation_minutes == 60
