"""Patients correct or delete their own check-ins, practices, activities and diary cards for 7 days; the therapist
sees the edit; safety events are never deleted, and a corrected diary card goes through the safety rules again."""
from datetime import timedelta

from sqlmodel import select

from app.activation import services as activation
from app.activation.ideas import LifeArea
from app.activation.planning import OutcomeInput, PlanInput
from app.checkins import services as checkins
from app.checkins.entries import CheckinValues
from app.dbt import services as dbt
from app.dbt.rules import DiaryInput
from app.exposure import services as exposure
from app.exposure.rules import PracticeInput
from app.homework.schedule import local_today
from app.models import (
    Activity, AuditEntry, DiaryCard, ExposurePractice, HomeworkCompletion, HomeworkKind, MoodCheckin, SafetyEvent, User,
)
from app.models.dbt import DiaryRating
from app.models.exposure import RitualResisted
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient

URGES_CALM = {"urge-self_harm": "0", "urge-suicide": "0", "urge-substance_use": "0", "emotion-sadness": "1",
              "skills_used": "3", "notes": ""}


def _checkin(db, patient, *, ago: timedelta, mood: int = 6) -> MoodCheckin:
    row = checkins.create_checkin(db, patient=patient, at=utcnow() - ago,
                                  values=CheckinValues(mood=mood, anxiety=3, sleep_hours=7.0, note="tired"))
    db.commit()
    return row


def _practice(db, patient, *, ago: timedelta) -> ExposurePractice:
    hierarchy = exposure.create_hierarchy(db, patient=patient, title="Contamination")
    item = exposure.add_item(db, hierarchy=hierarchy, kind="erp", description="Touch the door handle",
                             ritual="Wash hands", suds=50, by=patient, at=utcnow() - ago)
    at = utcnow() - ago
    entry = PracticeInput(started_at=at - timedelta(minutes=20), duration_minutes=20, suds_before=40, suds_peak=60,
                          suds_after=25, ritual_resisted=RitualResisted.fully, feared_outcome="I'll get ill",
                          likelihood_before=80, what_happened="Nothing", likelihood_after=30, notes="")
    practice = exposure.log_practice(db, patient=patient, item=item, entry=entry, entry_token=None, at=at).practice
    db.commit()
    return practice


# --- check-ins: the 7-day window ---

def test_patient_corrects_yesterdays_checkin_and_the_edit_is_marked_and_audited(patient_client, db, patient):
    checkin = _checkin(db, patient, ago=timedelta(days=1), mood=2)
    page = patient_client.get(f"/history/checkins/{checkin.id}")
    assert page.status_code == 200 and 'value="2" checked' in page.text and "tired" in page.text

    response = patient_client.post(f"/history/checkins/{checkin.id}", data={"mood": "7", "anxiety": "3", "note": "fine"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/progress#recent")
    db.expire_all()
    row = db.get(MoodCheckin, checkin.id)
    assert (row.mood, row.note) == (7, "fine")
    assert row.edited_at is not None and row.recorded_at == checkin.recorded_at  # the window never moves
    audit = db.exec(select(AuditEntry).where(AuditEntry.action == "history.edit")).one()
    assert (audit.user_id, audit.patient_id, audit.reason) == (patient.id, patient.id, f"mood_checkins:{checkin.id}")


def test_bad_correction_keeps_the_typed_values_beside_the_error(patient_client, db, patient):
    checkin = _checkin(db, patient, ago=timedelta(hours=3))
    response = patient_client.post(f"/history/checkins/{checkin.id}", data={"mood": "", "note": "my words"})
    assert response.status_code == 400
    assert 'id="mood-error"' in response.text and "my words" in response.text
    db.expire_all()
    assert db.get(MoodCheckin, checkin.id).edited_at is None


def test_seven_day_boundary(patient_client, db, patient):
    inside = _checkin(db, patient, ago=timedelta(days=7) - timedelta(minutes=5))
    outside = _checkin(db, patient, ago=timedelta(days=7, minutes=5))
    assert patient_client.post(f"/history/checkins/{inside.id}", data={"mood": "1"}).status_code == 303

    locked = patient_client.get(f"/history/checkins/{outside.id}")
    assert locked.status_code == 200 and "Entries can be changed for 7 days" in locked.text
    assert 'name="mood"' not in locked.text
    assert patient_client.post(f"/history/checkins/{outside.id}", data={"mood": "1"}).status_code == 403
    assert patient_client.post(f"/history/checkins/{outside.id}/delete").status_code == 403
    db.expire_all()
    assert db.get(MoodCheckin, outside.id).mood == 6 and db.get(MoodCheckin, outside.id).edited_at is None


def test_another_patients_entries_are_404(client, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other")
    checkin = _checkin(db, other, ago=timedelta(hours=1))
    practice = _practice(db, other, ago=timedelta(hours=1))
    sign_in(client, patient)
    assert client.get(f"/history/checkins/{checkin.id}").status_code == 404
    assert client.post(f"/history/checkins/{checkin.id}", data={"mood": "1"}).status_code == 404
    assert client.post(f"/history/checkins/{checkin.id}/delete").status_code == 404
    assert client.get(f"/history/practices/{practice.id}").status_code == 404
    assert client.post(f"/history/practices/{practice.id}/delete").status_code == 404
    assert client.get("/history/checkins/999999").status_code == 404
    db.expire_all()
    assert db.get(MoodCheckin, checkin.id) is not None and db.get(ExposurePractice, practice.id) is not None


def test_deleting_a_checkin_reopens_the_homework_it_completed(patient_client, db, patient):
    today = local_today(patient, utcnow())
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, timing_kind="once", start_date=today,
                    due_date=today)
    assert patient_client.post("/checkins/new", data={"mood": "5"}).status_code == 303
    checkin_id = db.exec(select(MoodCheckin.id)).one()
    assert db.exec(select(HomeworkCompletion)).all()
    version = db.get(User, patient.id).data_version

    assert patient_client.post(f"/history/checkins/{checkin_id}/delete").status_code == 303
    db.expire_all()
    assert db.exec(select(MoodCheckin)).all() == [] and db.exec(select(HomeworkCompletion)).all() == []
    assert db.get(User, patient.id).data_version > version  # Today's cached snapshot is stale now
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "history.delete")).one().reason == \
        f"mood_checkins:{checkin_id}"


# --- the therapist sees the edit ---

def test_therapist_sees_edited_mark_on_the_review(client, db, therapist, patient):
    checkin = _checkin(db, patient, ago=timedelta(days=1))
    sign_in(client, patient)
    client.post(f"/history/checkins/{checkin.id}", data={"mood": "8"})
    sign_in(client, therapist)
    review = client.get(f"/patients/{patient.id}?since={(local_today(patient, utcnow()) - timedelta(days=3)).isoformat()}")
    assert review.status_code == 200
    assert "Corrected by the patient" in review.text and "edited " in review.text and "check-in" in review.text


# --- exposure practices: the stored record ---

def test_practice_correction_checks_end_is_not_above_peak_then_saves(patient_client, db, patient):
    practice = _practice(db, patient, ago=timedelta(days=2))
    page = patient_client.get(f"/history/practices/{practice.id}")
    assert page.status_code == 200 and "Touch the door handle" in page.text and 'value="60"' in page.text

    refused = patient_client.post(f"/history/practices/{practice.id}", data={
        "duration_minutes": "30", "suds_before": "40", "suds_peak": "50", "suds_after": "70", "ritual_resisted": "partly"})
    assert refused.status_code == 400 and 'id="suds_after-error"' in refused.text and 'value="70"' in refused.text

    saved = patient_client.post(f"/history/practices/{practice.id}", data={
        "duration_minutes": "30", "suds_before": "40", "suds_peak": "70", "suds_after": "35", "ritual_resisted": "partly",
        "notes": "Longer than I said"})
    assert saved.status_code == 303
    db.expire_all()
    row = db.get(ExposurePractice, practice.id)
    assert (row.duration_minutes, row.suds_peak, row.suds_after, row.ritual_resisted, row.notes) == (
        30, 70, 35, RitualResisted.partly, "Longer than I said")
    assert row.edited_at is not None and row.started_at == practice.started_at
    assert row.feared_outcome == "I'll get ill" and row.likelihood_after == 30  # untouched fields stay


def test_therapist_sees_the_corrected_practice_marked_on_the_item(client, db, therapist, patient):
    practice = _practice(db, patient, ago=timedelta(days=1))
    sign_in(client, patient)
    client.post(f"/history/practices/{practice.id}", data={
        "duration_minutes": "25", "suds_before": "40", "suds_peak": "60", "suds_after": "30", "ritual_resisted": "fully"})
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/exposure/items/{practice.item_id}")
    assert page.status_code == 200 and 'class="edited-mark small">edited ' in page.text


def test_practice_delete_within_the_week(patient_client, db, patient):
    practice_id = _practice(db, patient, ago=timedelta(days=6)).id
    assert patient_client.post(f"/history/practices/{practice_id}/delete").status_code == 303
    db.expire_all()
    assert db.get(ExposurePractice, practice_id) is None


# --- activities: corrected on their own form, same rule ---

def _recorded_activity(db, patient, *, ago: timedelta) -> Activity:
    at = utcnow() - ago
    activity = activation.plan_activity(db, patient=patient, by=patient, at=at, plan=PlanInput(
        title="Walk round the park", life_area=LifeArea.HEALTH_BODY, planned_date=local_today(patient, at),
        planned_time=None))
    activation.record_outcome(db, patient=patient, activity=activity, at=at,
                              outcome=OutcomeInput(True, 3, 4, None, None, ""))
    db.commit()
    return activity


def test_correcting_a_recorded_activity_marks_it_and_keeps_when_it_was_recorded(patient_client, db, patient):
    activity = _recorded_activity(db, patient, ago=timedelta(days=2))
    first_recorded = activity.recorded_at
    response = patient_client.post(f"/activities/{activity.id}/record",
                                   data={"outcome": "done", "pleasure": "8", "mastery": "6"})
    assert response.status_code == 303
    db.expire_all()
    row = db.get(Activity, activity.id)
    assert row.pleasure == 8 and row.edited_at is not None and row.recorded_at == first_recorded


def test_an_activity_recorded_over_a_week_ago_is_read_only(patient_client, db, patient):
    activity = _recorded_activity(db, patient, ago=timedelta(days=8))
    page = patient_client.get(f"/activities/{activity.id}/record")
    assert page.status_code == 200 and "Entries can be changed for 7 days" in page.text
    assert patient_client.post(f"/activities/{activity.id}/record",
                               data={"outcome": "done", "pleasure": "8", "mastery": "6"}).status_code == 403
    assert patient_client.post(f"/history/activities/{activity.id}/delete").status_code == 403
    db.expire_all()
    assert db.get(Activity, activity.id).pleasure == 3


def test_deleting_an_activity_someone_replanned_from_keeps_the_copy(patient_client, db, patient):
    activity = _recorded_activity(db, patient, ago=timedelta(days=1))
    copy = Activity(patient_id=patient.id, created_by_id=patient.id, title="Walk again", replanned_from_id=activity.id,
                    planned_date=local_today(patient, utcnow()))
    db.add(copy)
    db.commit()
    activity_id, copy_id = activity.id, copy.id
    assert patient_client.post(f"/history/activities/{activity_id}/delete").status_code == 303
    db.expire_all()
    assert db.get(Activity, activity_id) is None and db.get(Activity, copy_id).replanned_from_id is None


# --- diary cards: safety ---

def _card(db, patient, *, days_ago: int) -> DiaryCard:
    at = utcnow() - timedelta(days=days_ago)
    card = dbt.save_diary(db, patient=patient, day=local_today(patient, at), at=at,
                          entry=DiaryInput(urges=(), emotions=(), skills_used=2, notes="calm day"))
    db.commit()
    return card


def test_correcting_an_older_diary_card_up_to_the_threshold_raises_a_safety_event(patient_client, db, patient):
    card = _card(db, patient, days_ago=3)
    assert db.exec(select(SafetyEvent)).all() == []
    page = patient_client.get(f"/diary?day={card.day.isoformat()}")
    assert page.status_code == 200 and "An earlier card" in page.text and "calm day" in page.text
    response = patient_client.post(f"/diary?day={card.day.isoformat()}", data=URGES_CALM | {"urge-suicide": "4"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/crisis")
    db.expire_all()
    event = db.exec(select(SafetyEvent)).one()
    assert event.source == "diary_card" and event.patient_id == patient.id
    row = db.get(DiaryCard, card.id)
    assert row.edited_at is not None
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "history.edit")).one().reason == \
        f"dbt_diary_cards:{card.id}"


def test_a_diary_card_over_a_week_old_cannot_be_opened_for_editing(patient_client, db, patient):
    card = _card(db, patient, days_ago=8)
    assert patient_client.get(f"/diary?day={card.day.isoformat()}").status_code == 404
    assert patient_client.get(f"/diary?day={(card.day + timedelta(days=3)).isoformat()}").status_code == 404


def test_deleting_a_diary_card_keeps_the_safety_event_it_raised(patient_client, db, patient):
    response = patient_client.post("/diary", data=URGES_CALM | {"urge-suicide": "5"})
    assert response.status_code == 303
    card_id = db.exec(select(DiaryCard.id)).one()
    event = db.exec(select(SafetyEvent)).one()

    assert patient_client.post(f"/history/diary/{card_id}/delete").status_code == 303
    db.expire_all()
    assert db.get(DiaryCard, card_id) is None and db.exec(select(DiaryRating)).all() == []
    kept = db.get(SafetyEvent, event.id)
    assert kept is not None and kept.details == event.details and kept.acknowledged_at is None
