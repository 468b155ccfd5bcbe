"""Thought records through the client: validation with values kept, drafts, completion of homework, ownership."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.homework.schedule import local_today
from app.models import HomeworkCompletion, HomeworkKind, RecordStatus, ThoughtComment, ThoughtEmotion, ThoughtRecord
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_patient, make_therapist

COMPLETE = {
    "action": "complete",
    "situation": "Friend cancelled our dinner plans by text",
    "automatic_thoughts": "Nobody actually wants to spend time with me",
    "belief_before": "90",
    "emotions-0-name": "Lonely",
    "emotions-0-intensity": "85",
    "emotions-0-rerated": "50",
    "evidence_for": "She cancelled",
    "evidence_against": "She suggested another day and said she was sick",
    "balanced_thought": "She is ill, and she still wants to meet",
    "belief_balanced": "70",
    "traps": ["mind-reading", "overgeneralising"],
}


def records(db) -> list[ThoughtRecord]:
    db.expire_all()
    return list(db.exec(select(ThoughtRecord).order_by(ThoughtRecord.id)))


def test_complete_record_is_saved_and_shown(patient_client, db):
    response = patient_client.post("/thoughts/new", data=COMPLETE)
    assert response.status_code == 303
    [record] = records(db)
    assert record.status == RecordStatus.complete and record.completed_at is not None
    assert record.traps == ["mind-reading", "overgeneralising"]
    page = patient_client.get(response.headers["Location"]).text
    assert "Lonely: 85 %" in page and "→ 50 % now" in page and "Mind reading" in page


def test_bad_input_is_flagged_beside_the_field_and_everything_typed_is_kept(patient_client, db):
    data = {**COMPLETE, "belief_before": "140", "evidence_for": "", "situation": "x" * 1001}
    response = patient_client.post("/thoughts/new", data=data)
    assert response.status_code == 400
    page = response.text
    assert 'id="belief_before-error"' in page and "must be from 0 to 100" in page
    assert 'id="evidence_for-error"' in page and "Evidence for the thought is needed." in page
    assert "at most 1000 characters (this has 1001)" in page
    assert 'value="140"' in page and "She suggested another day" in page and 'value="Lonely"' in page
    assert 'value="mind-reading" checked' in page
    assert records(db) == []


def test_draft_is_kept_on_the_server_and_finished_later(patient_client, db, patient):
    response = patient_client.post("/thoughts/new", data={"action": "draft", "situation": "Meeting at work",
                                                          "belief_before": "60"})
    assert response.status_code == 303 and response.headers["Location"] == "/thoughts"
    [draft] = records(db)
    assert draft.status == RecordStatus.draft and draft.completed_at is None
    history = patient_client.get("/thoughts").text
    assert "Drafts to finish" in history and "Meeting at work" in history
    assert f'data-forget-draft="thoughts:{patient.id}:new"' in history
    form = patient_client.get(f"/thoughts/{draft.id}/edit").text
    assert "Meeting at work" in form and 'value="60"' in form

    response = patient_client.post(f"/thoughts/{draft.id}/edit", data=COMPLETE)
    assert response.status_code == 303
    [record] = records(db)
    assert record.id == draft.id and record.status == RecordStatus.complete


def test_draft_with_an_out_of_range_value_is_refused(patient_client, db):
    response = patient_client.post("/thoughts/new", data={"action": "draft", "situation": "x",
                                                          "emotions-0-name": "Sad", "emotions-0-intensity": "101"})
    assert response.status_code == 400
    assert 'id="emotions-0-intensity-error"' in response.text
    assert records(db) == []


def test_completing_a_record_completes_todays_thought_record_homework_on_time(patient_client, db, patient):
    today = local_today(patient, utcnow())
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, start_date=today - timedelta(days=2))
    patient_client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    [completion] = db.exec(select(HomeworkCompletion)).all()
    assert completion.assignment_id == assignment.id
    assert completion.occurrence_key == f"day:{today.isoformat()}"
    assert (completion.source, completion.source_id) == ("thought_records", record.id)


def test_record_done_the_day_after_completes_yesterdays_occurrence_late(patient_client, db, patient):
    today = local_today(patient, utcnow())
    yesterday = today - timedelta(days=1)
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, start_date=yesterday - timedelta(days=1),
                    end_date=yesterday)
    patient_client.post("/thoughts/new", data=COMPLETE)
    [completion] = db.exec(select(HomeworkCompletion)).all()
    assert completion.occurrence_key == f"day:{yesterday.isoformat()}"


def test_saving_a_draft_completes_no_homework(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record,
                    start_date=local_today(patient, utcnow()) - timedelta(days=1))
    patient_client.post("/thoughts/new", data={**COMPLETE, "action": "draft"})
    assert db.exec(select(HomeworkCompletion)).all() == []


def test_editing_a_complete_record_keeps_it_complete_and_whole_without_a_second_completion(patient_client, db, patient):
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record,
                    start_date=local_today(patient, utcnow()) - timedelta(days=1))
    patient_client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    completed_at = record.completed_at
    response = patient_client.post(f"/thoughts/{record.id}/edit", data={**COMPLETE, "balanced_thought": "She's ill",
                                                                        "action": "draft"})
    assert response.status_code == 303
    [record] = records(db)
    assert record.balanced_thought == "She's ill"
    assert record.status == RecordStatus.complete and record.completed_at == completed_at
    assert len(db.exec(select(HomeworkCompletion)).all()) == 1
    emptied = patient_client.post(f"/thoughts/{record.id}/edit", data={**COMPLETE, "evidence_against": "",
                                                                       "action": "draft"})
    assert emptied.status_code == 400 and "Evidence against the thought is needed." in emptied.text
    assert records(db)[0].evidence_against == COMPLETE["evidence_against"]


def test_another_patients_record_is_a_404(client, db, therapist, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other Person")
    sign_in(client, other)
    assert client.get(f"/thoughts/{record.id}").status_code == 404
    assert client.get(f"/thoughts/{record.id}/edit").status_code == 404
    assert client.post(f"/thoughts/{record.id}/edit", data=COMPLETE).status_code == 404
    assert records(db)[0].patient_id == patient.id


def test_therapist_sees_completed_records_newest_first_with_tags_and_changes(client, db, therapist, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data={**COMPLETE, "situation": "First situation"})
    client.post("/thoughts/new", data={**COMPLETE, "situation": "Second situation"})
    client.post("/thoughts/new", data={"action": "draft", "situation": "Private draft"})
    sign_in(client, therapist)
    page = client.get(f"/patients/{patient.id}/thoughts").text
    assert page.index("Second situation") < page.index("First situation")
    assert "Private draft" not in page and "1 unfinished draft" in page
    assert "Mind reading" in page and "90 % → 70 %" in page and "Lonely 85→50" in page and "(-35)" in page


def test_therapist_comment_is_shown_to_the_patient(client, db, therapist, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    sign_in(client, therapist)
    response = client.post(f"/patients/{patient.id}/thoughts/{record.id}/comments",
                           data={"body": "Great catch on the mind reading."})
    assert response.status_code == 303
    sign_in(client, patient)
    assert "Great catch on the mind reading." in client.get(f"/thoughts/{record.id}").text
    assert "1 comment from your therapist" in client.get("/thoughts").text


def test_empty_or_overlong_comment_is_refused_beside_the_field(therapist_client, db, patient):
    record = ThoughtRecord(patient_id=patient.id, status=RecordStatus.complete, completed_at=utcnow(), situation="s")
    db.add(record)
    db.commit()
    url = f"/patients/{patient.id}/thoughts/{record.id}/comments"
    empty = therapist_client.post(url, data={"body": "  "})
    assert empty.status_code == 400 and "Your comment is needed." in empty.text
    long = therapist_client.post(url, data={"body": "y" * 2001})
    assert long.status_code == 400 and "at most 2000 characters" in long.text
    assert db.exec(select(ThoughtComment)).all() == []


def test_therapist_cannot_see_another_therapists_patients_records(client, db, patient):
    sign_in(client, patient)
    client.post("/thoughts/new", data=COMPLETE)
    [record] = records(db)
    stranger = make_therapist(db, email="stranger@example.org", name="Dr. Stranger")
    sign_in(client, stranger)
    assert client.get(f"/patients/{patient.id}/thoughts").status_code == 404
    assert client.get(f"/patients/{patient.id}/thoughts/{record.id}").status_code == 404
    assert client.post(f"/patients/{patient.id}/thoughts/{record.id}/comments", data={"body": "x"}).status_code == 404


def test_therapist_cannot_open_a_draft(therapist_client, db, patient):
    draft = ThoughtRecord(patient_id=patient.id, situation="unfinished")
    db.add(draft)
    db.commit()
    assert therapist_client.get(f"/patients/{patient.id}/thoughts/{draft.id}").status_code == 404


def test_database_refuses_percentages_out_of_range(db, patient):
    for bad in ({"belief_before": 101}, {"belief_balanced": -1}):
        db.add(ThoughtRecord(patient_id=patient.id, situation="s", **bad))
        with pytest.raises(IntegrityError):
            db.commit()
        db.rollback()
    record = ThoughtRecord(patient_id=patient.id, situation="s", belief_before=100, belief_balanced=0)
    db.add(record)
    db.commit()
    db.add(ThoughtEmotion(record_id=record.id, position=0, name="Sad", intensity=101))
    with pytest.raises(IntegrityError):
        db.commit()
