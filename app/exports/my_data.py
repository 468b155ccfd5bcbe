""""Download all my data": everything a patient has entered or that is kept about them, as one JSON document.

Built only from a PatientRecord loaded for the signed-in patient, so nothing about anyone else can get in.
Internal bookkeeping (password hash, session version, staff user ids, form resubmission tokens) is left out;
staff who wrote something the patient sees (comments, acknowledgements) are named instead.
"""
from dataclasses import asdict
from datetime import datetime

from sqlmodel import SQLModel

from app.exports.records import PatientRecord

FORMAT = "tms-homework/my-data/1"

_INTERNAL = {"patient_id", "entry_token"}


def plain(row: SQLModel, *, drop: set[str] = frozenset()) -> dict:
    """A row as JSON values (ISO dates, enum values), without the owner's id and staff user ids."""
    data = row.model_dump(mode="json")
    return {key: value for key, value in data.items()
            if key not in _INTERNAL and key not in drop and not key.endswith("_by_id")}


def _account(record: PatientRecord) -> dict:
    patient = record.patient
    return {
        "name": patient.name,
        "email": patient.email,
        "timezone": patient.timezone,
        "account_created_at": plain(patient)["created_at"],
        "therapist": record.therapist.name if record.therapist else None,
        "recorded_by_the_clinic": {
            key: plain(patient)[key] for key in ("family_name", "given_name", "birth_date", "administrative_gender", "mrn")
        },
    }


def _exposure(record: PatientRecord) -> list[dict]:
    practices: dict[int, list[dict]] = {}
    for practice in record.practices:
        practices.setdefault(practice.item_id, []).append(plain(practice, drop={"item_id"}))
    return [
        {
            **plain(hierarchy),
            "items": [
                {
                    **plain(item, drop={"hierarchy_id"}),
                    "suds_ratings": [plain(r, drop={"item_id"}) for r in record.suds_ratings.get(item.id, [])],
                    "practices": practices.get(item.id, []),
                }
                for item in record.items.get(hierarchy.id, [])
            ],
        }
        for hierarchy in record.hierarchies
    ]


def _session(record: PatientRecord, session) -> dict:
    """A TMS visit with what it delivered, where the TMS team recorded it."""
    treatment = record.treatment_records.get(session.id)
    return {**plain(session, drop={"course_id"}),
            "treatment_record": plain(treatment, drop={"session_id"}) if treatment else None}


def _safety_event(record: PatientRecord, event) -> dict:
    data = plain(event)
    data["acknowledged_by"] = record.people.get(event.acknowledged_by_id) if event.acknowledged_by_id else None
    return data


def my_data(record: PatientRecord, *, now: datetime) -> dict:
    """The whole record, grouped the way the app shows it (courses with sessions, records with comments...)."""
    people = record.people
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(timespec="seconds"),
        "account": _account(record),
        "tms_courses": [
            {**plain(course), "sessions": [_session(record, s) for s in record.sessions if s.course_id == course.id]}
            for course in record.courses
        ],
        "therapy_sessions": [plain(s, drop={"therapist_id"}) for s in record.therapy_sessions],
        "therapy_appointments": [plain(a, drop={"therapist_id"}) for a in record.appointments],
        "treatment_plan_versions": [plain(p) for p in record.plan_versions],
        "homework": [
            {
                **plain(assignment),
                "timings": [plain(t, drop={"assignment_id"}) for t in record.timings.get(assignment.id, [])],
                "completions": [plain(c, drop={"assignment_id"}) for c in record.completions.get(assignment.id, [])],
            }
            for assignment in record.assignments
        ],
        "checkins": [plain(c) for c in record.checkins],
        "side_effect_checks": [plain(s) for s in record.side_effects],
        "questionnaire_responses": [plain(r) for r in record.responses],
        "clinician_ratings": [plain(r, drop={"entered_by_id"}) for r in record.clinician_ratings],
        "thought_records": [
            {
                **plain(t),
                "emotions": [plain(e, drop={"record_id"}) for e in record.thought_emotions.get(t.id, [])],
                "comments": [
                    {**plain(c, drop={"record_id", "author_id", "read_at"}), "author": people.get(c.author_id)}
                    for c in record.thought_comments.get(t.id, [])
                ],
            }
            for t in record.thought_records
        ],
        "activities": [plain(a) for a in record.activities],
        "exposure_hierarchies": _exposure(record),
        "diary_targets": [plain(t) for t in record.diary_targets],
        "diary_cards": [
            {**plain(card), "ratings": [plain(r, drop={"card_id"}) for r in record.diary_ratings.get(card.id, [])]}
            for card in record.diary_cards
        ],
        "skill_uses": [plain(u) for u in record.skill_uses],
        "safety_plan": plain(record.safety_plan) if record.safety_plan else None,
        "safety_events": [_safety_event(record, e) for e in record.safety_events],
        "recordings_sent_to_the_clinic": [
            {"item_id": item_id, **asdict(details), "created_at": details.created_at.isoformat(timespec="seconds")}
            for item_id, details in record.recordings
        ],
    }
