"""The patient's Progress tab: mood with TMS visits, SUDS per ladder step, this week's practice, skills used, no
streaks or badges, questionnaire scores only when the treating therapist turns them on; kept for offline use."""
from datetime import timedelta

from sqlmodel import select

from app.checkins import services as checkins
from app.checkins.entries import CheckinValues
from app.checkins.instruments import INSTRUMENTS
from app.dbt import services as dbt
from app.exposure import services as exposure
from app.exposure.rules import PracticeInput
from app.homework.timing import SessionStatus
from app.models import TmsSession, User
from app.models.exposure import RitualResisted
from app.models.types import utcnow
from app.tms import services as tms
from tests.conftest import sign_in
from tests.factories import make_course, make_therapist


def _practices(db, patient, peaks):
    hierarchy = exposure.create_hierarchy(db, patient=patient, title="Contamination")
    item = exposure.add_item(db, hierarchy=hierarchy, kind="erp", description="Touch the bin lid", ritual="Wash",
                             suds=70, by=patient, at=utcnow() - timedelta(days=10))
    for index, peak in enumerate(peaks):
        at = utcnow() - timedelta(days=len(peaks) - index)
        entry = PracticeInput(started_at=at, duration_minutes=15, suds_before=50, suds_peak=peak, suds_after=peak // 2,
                              ritual_resisted=RitualResisted.fully, feared_outcome="", likelihood_before=None,
                              what_happened="", likelihood_after=None, notes="")
        exposure.log_practice(db, patient=patient, item=item, entry=entry, entry_token=None, at=at)
    db.commit()


def test_progress_shows_mood_with_tms_visits_ladder_steps_week_and_skills(patient_client, db, patient, therapist):
    today = utcnow().date()
    course = make_course(db, patient=patient, by=therapist, start=today - timedelta(days=14), weeks=2)
    visit = db.exec(select(TmsSession).where(TmsSession.course_id == course.id).order_by(TmsSession.scheduled_at)).first()
    tms.set_status(db, session=visit, status=SessionStatus.COMPLETED, by=therapist, at=visit.scheduled_at)
    for days_ago, mood in ((5, 3), (2, 5), (0, 7)):
        checkins.create_checkin(db, patient=patient, at=utcnow() - timedelta(days=days_ago),
                                values=CheckinValues(mood=mood, anxiety=None, sleep_hours=None, note=""))
    _practices(db, patient, [80, 65, 40])
    dbt.log_skill_use(db, patient=patient, card=dbt.find_card(db, "tipp"), helped=5, note=None, at=utcnow())
    db.commit()

    page = patient_client.get("/progress")
    assert page.status_code == 200
    assert 'id="my-mood-title"' in page.text and "TMS visit" in page.text
    assert "Touch the bin lid" in page.text and "Peak 80 → 40, 3 practices" in page.text
    assert "Exposure practices" in page.text and "TIPP" in page.text.upper()
    assert "streak" not in page.text.lower() and "badge" not in page.text.lower()
    assert 'aria-current="page"' in page.text.split('href="/progress"')[1][:40]  # the Progress tab is current


def test_questionnaire_scores_only_when_the_treating_therapist_turns_them_on(client, db, therapist, patient):
    checkins.submit_questionnaire(db, patient=patient, instrument=INSTRUMENTS["phq9"], at=utcnow(),
                                  answers={number: 2 for number in range(1, 9)} | {9: 0})
    db.commit()
    sign_in(client, patient)
    assert "PHQ-9" not in client.get("/progress").text

    sign_in(client, therapist)
    review = client.get(f"/patients/{patient.id}").text
    assert "Show scores to the patient" in review
    assert client.post(f"/patients/{patient.id}/progress-scores", data={"shown": "1"}).status_code == 303
    db.expire_all()
    assert db.get(User, patient.id).progress_scores

    sign_in(client, patient)
    page = client.get("/progress").text
    assert "PHQ-9" in page and "First 16, latest 16" in page

    sign_in(client, therapist)
    client.post(f"/patients/{patient.id}/progress-scores", data={"shown": "0"})
    sign_in(client, patient)
    assert "PHQ-9" not in client.get("/progress").text


def test_a_co_therapist_cannot_change_what_the_patient_sees(client, db, therapist, patient, admin):
    from app.careteam import services as careteam
    from app.models import CareTeamRole

    co = make_therapist(db, email="co@example.org", name="Dr. Co")
    careteam.add_member(db, patient=patient, member_id=co.id, role=CareTeamRole.co_therapist, by=admin)
    db.commit()
    sign_in(client, co)
    assert "Show scores to the patient" not in client.get(f"/patients/{patient.id}").text
    assert client.post(f"/patients/{patient.id}/progress-scores", data={"shown": "1"}).status_code == 403
    db.expire_all()
    assert not db.get(User, patient.id).progress_scores


def test_recent_entries_link_to_edit_within_the_week_and_say_why_not_after(patient_client, db, patient):
    recent = checkins.create_checkin(db, patient=patient, at=utcnow() - timedelta(days=1),
                                     values=CheckinValues(mood=4, anxiety=None, sleep_hours=None, note=""))
    old = checkins.create_checkin(db, patient=patient, at=utcnow() - timedelta(days=9),
                                  values=CheckinValues(mood=2, anxiety=None, sleep_hours=None, note=""))
    db.commit()
    page = patient_client.get("/progress").text
    assert f'href="/history/checkins/{recent.id}"' in page and "Change or delete" in page
    assert f'href="/history/checkins/{old.id}"' in page and "Read-only: older than 7 days" in page


def test_progress_is_kept_for_offline_use_by_its_owner(patient_client, patient):
    page = patient_client.get("/progress")
    assert page.headers["X-Offline-Page"] == str(patient.id)
    assert "/progress" in patient_client.get("/offline-pages.json").get_json()["urls"]
