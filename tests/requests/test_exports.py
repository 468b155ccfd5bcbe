"""Exports: the patient CSV and caseload CSV, the FHIR R4 bundle, and the patient's "download all my data"."""
import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from app.exports.csv_export import CASELOAD_HEADER, PATIENT_HEADER
from app.homework.schedule import local_today
from app.models import (
    Activity,
    ActivityStatus,
    ClinicianRating,
    HomeworkCompletion,
    HomeworkKind,
    MoodCheckin,
    QuestionnaireResponse,
    SafetyEvent,
    SafetyEventSource,
    SafetyPlan,
    SideEffectCheck,
    ThoughtComment,
    ThoughtEmotion,
    ThoughtRecord,
)
from app.models.dbt import DiaryCard, DiaryRating, SkillUse
from app.models.exposure import ExposureKind, ExposurePractice, Hierarchy, HierarchyItem, SudsRating
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_assignment, make_course, make_patient, make_therapist

PHQ9_HIGH = {str(n): 2 for n in range(1, 10)} | {"9": 0}  # total 16
PHQ9_LOW = {str(n): 0 for n in range(1, 10)} | {"1": 1, "2": 1, "3": 1}  # total 3


def add(db, *rows):
    for row in rows:
        db.add(row)
    db.commit()
    return rows[0] if len(rows) == 1 else rows


def phq9(db, patient, answers: dict, at: datetime) -> QuestionnaireResponse:
    total = sum(answers.values())
    band = "minimal" if total < 5 else "moderately severe"
    return add(db, QuestionnaireResponse(patient_id=patient.id, instrument="phq9", answers=answers, total=total,
                                         band=band, safety_flag=answers["9"] > 0, submitted_at=at))


def seed_full_record(db, patient, therapist, *, marker: str = "") -> None:
    """One row in every table a patient's record has, with `marker` in each free-text field."""
    start = utcnow() - timedelta(days=10)
    add(db, MoodCheckin(patient_id=patient.id, mood=6, anxiety=3, sleep_hours=7.5, note=f"{marker} slept ok",
                        recorded_at=start))
    add(db, SideEffectCheck(patient_id=patient.id, headache=2, scalp_discomfort=1, note=f"{marker} mild",
                            recorded_at=start))
    response = phq9(db, patient, PHQ9_HIGH, start)
    phq9(db, patient, PHQ9_LOW, start + timedelta(days=7))
    add(db, QuestionnaireResponse(patient_id=patient.id, instrument="gad7", answers={str(n): 1 for n in range(1, 8)},
                                  total=7, band="mild", submitted_at=start))
    add(db, QuestionnaireResponse(patient_id=patient.id, instrument="pcl5", answers={str(n): 2 for n in range(1, 21)},
                                  total=40, band="probable PTSD", submitted_at=start))
    add(db, ClinicianRating(patient_id=patient.id, scale="madrs", total=24, rated_on=start.date(),
                            entered_by_id=therapist.id))
    record = add(db, ThoughtRecord(patient_id=patient.id, status="complete", situation=f"{marker} at work",
                                   automatic_thoughts="I will fail", belief_before=80, evidence_for="late once",
                                   evidence_against="praised", balanced_thought="I mostly cope", belief_balanced=60,
                                   traps=["fortune telling"], completed_at=start))
    add(db, ThoughtEmotion(record_id=record.id, position=0, name="anxious", intensity=70, rerated=40),
        ThoughtComment(record_id=record.id, author_id=therapist.id, body=f"{marker} well spotted"))
    add(db, Activity(patient_id=patient.id, created_by_id=patient.id, title=f"{marker} walk", planned_date=start.date(),
                     planned_time=time(10), status=ActivityStatus.done, pleasure=6, mastery=5, recorded_at=start))
    ladder = add(db, Hierarchy(patient_id=patient.id, title="Contamination"))
    item = add(db, HierarchyItem(hierarchy_id=ladder.id, patient_id=patient.id, kind=ExposureKind.erp,
                                 description=f"{marker} touch door handle", suds=40))
    add(db, SudsRating(item_id=item.id, suds=40, rated_at=start, rated_by_id=therapist.id),
        ExposurePractice(patient_id=patient.id, item_id=item.id, started_at=start, duration_minutes=20, suds_before=40,
                         suds_peak=60, suds_after=20, ritual_resisted="fully", notes=f"{marker} easier"))
    card = add(db, DiaryCard(patient_id=patient.id, day=start.date(), skills_used=5, notes=f"{marker} ok day",
                             created_at=start, updated_at=start))
    add(db, DiaryRating(card_id=card.id, kind="urge", key="self_harm", label="Self-harm", value=1, acted_on=False),
        SkillUse(patient_id=patient.id, skill_slug="wise-mind", used_at=start, helped=5, note=f"{marker} helped"),
        SafetyPlan(patient_id=patient.id, warning_signs=f"{marker} isolating"),
        SafetyEvent(patient_id=patient.id, source=SafetyEventSource.patient_button, created_at=start))
    assert response.id


def read_csv(response) -> list[dict]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# Patient CSV


def test_patient_csv_has_one_row_per_measure_on_the_patients_local_date(therapist_client, db, patient):
    add(db, MoodCheckin(patient_id=patient.id, mood=4, anxiety=6, note="", recorded_at=datetime(2026, 3, 2, 3, 30, tzinfo=UTC)))
    phq9(db, patient, PHQ9_HIGH, datetime(2026, 3, 2, 15, 0, tzinfo=UTC))

    response = therapist_client.get(f"/patients/{patient.id}/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert tuple(rows[0].keys()) == PATIENT_HEADER
    mood = [r for r in rows if r["type"] == "checkin"]
    assert [(r["date"], r["time"], r["measure"], r["value"]) for r in mood] == [
        ("2026-03-01", "22:30", "mood", "4"), ("2026-03-01", "22:30", "anxiety", "6"),
    ]
    total = next(r for r in rows if r["type"] == "phq9" and r["measure"] == "total")
    assert (total["date"], total["time"], total["value"], total["detail"]) == ("2026-03-02", "10:00", "16", "moderately severe")
    items = [r for r in rows if r["type"] == "phq9" and r["measure"].startswith("item_")]
    assert [r["measure"] for r in items] == [f"item_{n}" for n in range(1, 10)]
    assert items[0]["value"] == "2" and items[0]["detail"] == "More than half the days"


@pytest.mark.parametrize("note", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_patient_csv_quotes_text_that_a_spreadsheet_would_run_as_a_formula(therapist_client, db, patient, note):
    add(db, MoodCheckin(patient_id=patient.id, mood=5, note=note, recorded_at=datetime(2026, 3, 2, 15, tzinfo=UTC)))

    rows = read_csv(therapist_client.get(f"/patients/{patient.id}/export.csv"))

    assert next(r for r in rows if r["measure"] == "note")["detail"] == "'" + note


def test_patient_csv_keeps_commas_quotes_and_line_breaks_in_free_text(therapist_client, db, patient):
    note = 'Said "fine", then\nleft early'
    add(db, MoodCheckin(patient_id=patient.id, mood=5, note=note, recorded_at=datetime(2026, 3, 2, 15, tzinfo=UTC)))

    rows = read_csv(therapist_client.get(f"/patients/{patient.id}/export.csv"))

    assert next(r for r in rows if r["measure"] == "note")["detail"] == note
    assert next(r for r in rows if r["measure"] == "mood")["value"] == "5"


def test_patient_csv_lists_tms_sessions_homework_and_every_module(therapist_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=utcnow().date() - timedelta(days=14), weeks=1)
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, title="Daily mood",
                                 start_date=utcnow().date() - timedelta(days=3))
    seed_full_record(db, patient, therapist, marker="Tx")

    rows = read_csv(therapist_client.get(f"/patients/{patient.id}/export.csv"))

    types = {r["type"] for r in rows}
    assert {"checkin", "side effect check", "phq9", "gad7", "pcl5", "clinician rating", "tms session",
            "homework occurrence", "exposure practice", "thought record", "activity", "diary card",
            "skill use"} <= types
    homework = [r for r in rows if r["type"] == "homework occurrence" and r["detail"] == assignment.title]
    assert "missed" in {r["value"] for r in homework}
    assert "upcoming" not in {r["value"] for r in homework}
    assert {"Tx at work", "Tx well spotted"} <= {r["detail"] for r in rows if r["type"] == "thought record"}
    rating = next(r for r in rows if r["type"] == "clinician rating")
    assert (rating["measure"], rating["value"], rating["time"]) == ("madrs", "24", "")


def test_patient_csv_marks_a_done_occurrence_by_its_completion(therapist_client, db, patient):
    day = local_today(patient, utcnow()) - timedelta(days=2)
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, title="Mood",
                                 start_date=day, end_date=day, local_time=time(20, 0))
    add(db, HomeworkCompletion(assignment_id=assignment.id, occurrence_key=f"day:{day.isoformat()}",
                               completed_at=datetime.combine(day, time(12), ZoneInfo(patient.timezone)), source="x"))

    rows = read_csv(therapist_client.get(f"/patients/{patient.id}/export.csv"))

    assert [(r["date"], r["time"], r["measure"], r["value"]) for r in rows if r["type"] == "homework occurrence"] == [
        (day.isoformat(), "", "status", "done_on_time"), (day.isoformat(), "", "completed_at", f"{day}T12:00"),
    ]


# Caseload CSV


def test_caseload_csv_has_a_row_per_own_patient_with_phq9_outcome_and_counts(therapist_client, db, therapist, patient):
    other = make_therapist(db, email="other@example.org")
    make_patient(db, therapist=other, email="theirs@example.org", name="Not Mine")
    quiet = make_patient(db, therapist=therapist, email="quiet@example.org", name="Quiet Patient")
    start = utcnow() - timedelta(days=20)
    phq9(db, patient, PHQ9_HIGH, start)
    phq9(db, patient, PHQ9_LOW, start + timedelta(days=14))
    add(db, MoodCheckin(patient_id=patient.id, mood=3, recorded_at=start),
        MoodCheckin(patient_id=patient.id, mood=7, recorded_at=start + timedelta(days=1)),
        SafetyEvent(patient_id=patient.id, source=SafetyEventSource.patient_button, created_at=start),
        SafetyEvent(patient_id=patient.id, source=SafetyEventSource.patient_button, created_at=start,
                    acknowledged_at=start, acknowledged_by_id=therapist.id, action_taken="called"))
    today = local_today(patient, utcnow())
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin, start_date=today - timedelta(days=8),
                    end_date=today - timedelta(days=2))

    response = therapist_client.get("/caseload.csv")

    assert response.status_code == 200
    rows = read_csv(response)
    assert tuple(rows[0].keys()) == CASELOAD_HEADER
    assert [r["name"] for r in rows] == ["Pat Example", "Quiet Patient"]
    mine = rows[0]
    assert (mine["phq9_baseline"], mine["phq9_latest"], mine["phq9_change"]) == ("16", "3", "-13")
    assert (mine["phq9_response"], mine["phq9_remission"]) == ("yes", "yes")
    assert mine["last_checkin_mood"] == "7"
    assert mine["open_safety_events"] == "1"
    assert (mine["homework_7d_missed"], mine["homework_7d_on_time"]) == ("5", "0")
    assert (quiet.id, rows[1]["phq9_latest"], rows[1]["last_checkin_date"], rows[1]["tms_total"]) == (
        int(rows[1]["patient_id"]), "", "", "0")


def test_caseload_csv_shows_tms_progress_of_the_current_course(therapist_client, db, therapist, patient):
    make_course(db, patient=patient, by=therapist, start=utcnow().date() - timedelta(days=100), weeks=1, label="Old")
    make_course(db, patient=patient, by=therapist, start=utcnow().date() + timedelta(days=30), weeks=2, label="Next")

    row = read_csv(therapist_client.get("/caseload.csv"))[0]

    assert (row["tms_done"], row["tms_total"], row["tms_missed"]) == ("0", "5", "0")


def _caseload(db, therapist, count: int) -> None:
    start = utcnow() - timedelta(days=9)
    for n in range(count):
        p = make_patient(db, therapist=therapist, email=f"{therapist.id}-{n}@example.org", name=f"Patient {n:02d}")
        make_course(db, patient=p, by=therapist, start=start.date(), weeks=1)
        make_assignment(db, patient=p, kind=HomeworkKind.mood_checkin, start_date=start.date())
        phq9(db, p, PHQ9_HIGH, start)
        add(db, MoodCheckin(patient_id=p.id, mood=5, recorded_at=start),
            SafetyEvent(patient_id=p.id, source=SafetyEventSource.patient_button, created_at=start))


def _statements(app, client, url: str) -> int:
    """Statements a request runs, leaving out the audit log's own writes (one row per exported patient, by design;
    SQLite sends them one by one, PostgreSQL in one batch)."""
    engine = app.extensions["engine"]
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len([s for s in seen if not s.startswith("INSERT INTO audit_log")])


def test_caseload_csv_uses_the_same_number_of_queries_for_3_and_12_patients(app, db, client):
    small, large = make_therapist(db, email="small@example.org"), make_therapist(db, email="large@example.org")
    _caseload(db, small, 3)
    _caseload(db, large, 12)

    sign_in(client, small)
    three = _statements(app, client, "/caseload.csv")
    sign_in(client, large)
    twelve = _statements(app, client, "/caseload.csv")

    assert three == twelve
    assert len(read_csv(client.get("/caseload.csv"))) == 12


# FHIR: tests/requests/test_fhir_export.py


# Download all my data


def test_my_data_page_explains_and_links_the_download(patient_client):
    page = patient_client.get("/my-data").get_data(as_text=True)

    assert "What the file includes" in page
    assert "/my-data.json" in page


def test_me_page_links_my_data(patient_client):
    assert "/my-data" in patient_client.get("/me").get_data(as_text=True)


def test_my_data_json_holds_every_part_of_the_record_as_an_attachment(patient_client, db, patient, therapist):
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    make_assignment(db, patient=patient, kind=HomeworkKind.mood_checkin)
    seed_full_record(db, patient, therapist, marker="Mine")

    response = patient_client.get("/my-data.json")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json(force=True)
    assert data["account"]["email"] == patient.email
    assert data["account"]["therapist"] == therapist.name
    for section in ("tms_courses", "homework", "checkins", "side_effect_checks", "questionnaire_responses",
                    "clinician_ratings", "thought_records", "activities", "exposure_hierarchies", "diary_cards",
                    "skill_uses", "safety_events"):
        assert data[section], section
    assert len(data["tms_courses"][0]["sessions"]) == 5
    assert data["homework"][0]["timings"]
    assert data["thought_records"][0]["comments"][0] == {
        "id": data["thought_records"][0]["comments"][0]["id"], "body": "Mine well spotted",
        "created_at": data["thought_records"][0]["comments"][0]["created_at"], "author": therapist.name,
    }
    item = data["exposure_hierarchies"][0]["items"][0]
    assert item["suds_ratings"] and item["practices"][0]["notes"] == "Mine easier"
    assert data["diary_cards"][0]["ratings"][0]["key"] == "self_harm"
    assert data["safety_plan"]["warning_signs"] == "Mine isolating"
    assert "password_hash" not in json.dumps(data)


def test_my_data_json_holds_nothing_of_another_patient(patient_client, db, patient, therapist):
    seed_full_record(db, patient, therapist, marker="Mine")
    other = make_patient(db, therapist=therapist, email="other@example.org", name="Other Person")
    seed_full_record(db, other, therapist, marker="Theirs")

    text = patient_client.get("/my-data.json").get_data(as_text=True)

    assert "Mine" in text
    assert "Theirs" not in text
    assert "Other Person" not in text and "other@example.org" not in text


# Who may export


@pytest.mark.parametrize("path", ["/patients/{id}/export.csv", "/patients/{id}/fhir"])
def test_another_therapists_patient_cannot_be_exported(therapist_client, db, path):
    other = make_therapist(db, email="other@example.org")
    theirs = make_patient(db, therapist=other, email="theirs@example.org")

    assert therapist_client.get(path.format(id=theirs.id)).status_code == 404


@pytest.mark.parametrize("path", ["/patients/{id}/export.csv", "/patients/{id}/fhir", "/caseload.csv"])
def test_patients_cannot_use_therapist_exports(patient_client, patient, path):
    assert patient_client.get(path.format(id=patient.id)).status_code == 403


@pytest.mark.parametrize("path", ["/my-data", "/my-data.json"])
def test_my_data_is_for_patients_only(therapist_client, path):
    assert therapist_client.get(path).status_code == 403


def test_therapist_pages_link_the_exports(therapist_client, patient):
    overview = therapist_client.get(f"/patients/{patient.id}").get_data(as_text=True)
    caseload = therapist_client.get("/patients").get_data(as_text=True)

    assert f"/patients/{patient.id}/export.csv" in overview and f"/patients/{patient.id}/fhir" in overview
    assert "/caseload.csv" in caseload


def test_caseload_export_is_written_to_the_audit_log(app, therapist_client, db, patient):
    from sqlmodel import select

    from app.models import AuditEntry

    therapist_client.get("/caseload.csv")

    entries = db.exec(select(AuditEntry)).all()
    assert [(e.patient_id, e.action) for e in entries] == [(patient.id, "exports.caseload_csv")]


def test_csv_downloads_name_their_charset_once(therapist_client, patient):
    for url in (f"/patients/{patient.id}/export.csv", "/caseload.csv"):
        response = therapist_client.get(url)
        assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8", url


def test_my_data_holds_the_tms_dose_appointments_plan_and_sent_recordings_never_the_audio(patient_client, db, patient,
                                                                                          therapist):
    """Care-team records about the patient are theirs to download too; the audio stays out (they keep it)."""
    from app.models import (
        AppointmentStatus, StimulationPattern, TherapyAppointment, TmsSession, TmsTreatmentRecord, TreatmentPlan,
    )
    from app.models.exposure import ExposureRecording
    from app.models.plan import PlanPhase
    from sqlmodel import select

    make_course(db, patient=patient, by=therapist, start=local_today(patient, utcnow()) - timedelta(days=7), weeks=1)
    visit = db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id)).first()
    now = utcnow()
    add(db, TmsTreatmentRecord(session_id=visit.id, patient_id=patient.id, target="Left DLPFC", coil="Figure-8",
                               motor_threshold_pct=55, motor_threshold_measured_on=local_today(patient, utcnow()),
                               intensity_pct=120, pattern=StimulationPattern.hz10, pulses=3000,
                               duration_seconds=2250, adverse_events=["scalp_pain"], recorded_by_id=therapist.id,
                               recorded_at=now),
        TherapyAppointment(patient_id=patient.id, therapist_id=therapist.id, starts_at=now + timedelta(days=2),
                           minutes=50, status=AppointmentStatus.scheduled, created_by_id=therapist.id,
                           created_at=now, updated_at=now),
        TreatmentPlan(patient_id=patient.id, version=1, goals="Walk the dog again", focus=["depression"],
                      phase=PlanPhase.acute, modalities=["cbt"], homework_minutes=20, edited_by_id=therapist.id,
                      edited_at=now))
    ladder = Hierarchy(patient_id=patient.id, title="The accident")
    add(db, ladder)
    item = HierarchyItem(hierarchy_id=ladder.id, patient_id=patient.id, kind=ExposureKind.pe_imaginal,
                         description="Listen", suds=70, position=0)
    add(db, item)
    add(db, ExposureRecording(item_id=item.id, patient_id=patient.id, mime_type="audio/webm", size_bytes=68,
                              duration_seconds=60, audio=b"\x1a\x45\xdf\xa3" + bytes(64), created_at=now))

    body = patient_client.get("/my-data.json").get_data(as_text=True)
    data = json.loads(body)
    sessions = data["tms_courses"][0]["sessions"]
    dose = next(s["treatment_record"] for s in sessions if s["id"] == visit.id)
    assert (dose["intensity_pct"], dose["pulses"], dose["adverse_events"]) == (120, 3000, ["scalp_pain"])
    assert all(s["treatment_record"] is None for s in sessions if s["id"] != visit.id)
    assert data["therapy_appointments"][0]["minutes"] == 50
    assert data["treatment_plan_versions"][0]["goals"] == "Walk the dog again"
    assert data["recordings_sent_to_the_clinic"] == [{
        "item_id": item.id, "mime_type": "audio/webm", "size_bytes": 68, "duration_seconds": 60,
        "created_at": data["recordings_sent_to_the_clinic"][0]["created_at"]}]
    assert "audio" not in body.replace("audio/webm", "") and "recorded_by_id" not in body
