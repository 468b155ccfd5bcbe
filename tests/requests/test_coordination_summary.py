"""What changed: at the top of the pre-session review, and as the physician's weekly coordination summary (on the
page, and a notice without patient details by email when SMTP is set)."""
from datetime import timedelta

import pytest

from app.careteam import services as careteam
from app.checkins import services as checkins
from app.checkins.entries import CheckinValues
from app.checkins.instruments import INSTRUMENTS
from app.models import CareTeamRole, Role
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_user
from tests.support.fake_mail import mailbox  # noqa: F401  (fixture)


def phq9(db, patient, total_of_ones: int, at):
    answers = {n: (1 if n <= total_of_ones else 0) for n in range(1, 10)} | {9: 0}
    checkins.submit_questionnaire(db, patient=patient, instrument=INSTRUMENTS["phq9"], at=at, answers=answers)


@pytest.fixture
def worse_week(db, patient):
    now = utcnow()
    phq9(db, patient, 7, now - timedelta(days=20))
    phq9(db, patient, 8, now - timedelta(days=3))
    for days_ago, mood in ((5, 7), (1, 4)):
        checkins.create_checkin(db, patient=patient, at=now - timedelta(days=days_ago),
                                values=CheckinValues(mood=mood, anxiety=3, sleep_hours=7.0, note=""))
    db.commit()


@pytest.fixture
def physician(db, patient, admin):
    doctor = make_user(db, role=Role.physician, email="phys@example.org", name="Dr. Phys")
    careteam.add_member(db, patient=patient, member_id=doctor.id, role=CareTeamRole.physician, by=admin)
    db.commit()
    return doctor


def test_the_review_opens_with_what_changed_linked_to_its_sections(therapist_client, patient, worse_week):
    page = therapist_client.get(f"/patients/{patient.id}?since={(utcnow() - timedelta(days=6)).date().isoformat()}").text
    top = page[page.index('id="what-changed"'):page.index('id="rev-adherence"')]
    assert '<a href="#rev-mood">PHQ-9 7 → 8 ↑</a>' in top
    assert '<a href="#rev-mood">Mood 7 → 4 ↓</a>' in top


def test_the_physician_sees_the_week_for_their_patients_only(client, db, patient, physician, worse_week):
    sign_in(client, physician)
    page = client.get("/coordination").text
    assert patient.name in page and "PHQ-9 7 → 8 ↑" in page and "Mood 7 → 4 ↓" in page
    assert f"/patients/{patient.id}/measures" in page
    other = make_user(db, role=Role.physician, email="other@example.org", name="Dr. Other")
    sign_in(client, other)
    assert patient.name not in client.get("/coordination").text


def test_the_weekly_email_says_a_summary_is_ready_without_patient_details(runner, db, patient, physician, worse_week,
                                                                          mailbox):
    result = runner.invoke(args=["coordination", "weekly-email"])
    assert result.exit_code == 0, result.output
    [message] = mailbox
    body = message.get_content()
    assert message["To"] == physician.email and "1 of your 1 patients have changes" in body
    assert "/coordination" in body and patient.name not in body and "PHQ" not in body


def test_without_smtp_the_weekly_email_says_so(runner, physician):
    result = runner.invoke(args=["coordination", "weekly-email"])
    assert result.exit_code != 0 and "SMTP is not configured" in result.output
