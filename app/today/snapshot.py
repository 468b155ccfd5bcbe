"""What Today reads from the database for one patient and day, kept in this process until the patient's data
version moves (app/data_version.py moves it in the same transaction as every change to these rows).

A patient opens Today many times a day and it rarely changes between visits: a repeat visit costs no query beyond
the signed-in user's row, which carries the version. Time-dependent parts (open windows, what is late) are still
worked out per request from the kept rows and the current time.
"""
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock

from flask import current_app
from sqlmodel import Session

from app.clinic.settings import patient_clinic_time
from app.activation.services import activities_for_day
from app.checkins.services import day_checkin_state
from app.homework.schedule import PatientHomework, load_homework
from app.models import Activity, MoodCheckin, ThoughtRecord, TmsSession, User
from app.thoughts.services import unread_comment_records

LOOK_BACK = timedelta(days=7)
"""Weekly questionnaires are due within a week; late work reaches back two days."""
KEPT_PATIENTS = 1024
"""Per process. A snapshot is a few dozen rows: a clinic's whole caseload fits in a few megabytes."""


@dataclass(frozen=True)
class TodaySnapshot:
    day: date
    homework: PatientHomework
    activities: list[Activity]
    checkin: MoodCheckin | None
    side_effect_session: TmsSession | None
    commented: list[ThoughtRecord]
    """Thought records with a therapist comment the patient hasn't opened yet."""
    clinic_zone: str = ""
    """The clinic's zone, so Today can name the patient's own zone when it differs (kept with the snapshot)."""


class SnapshotCache:
    """One snapshot per patient, least recently used dropped first; thread-safe (the dev server is threaded)."""

    def __init__(self, size: int = KEPT_PATIENTS):
        self._size = size
        self._entries: OrderedDict[int, tuple[tuple, TodaySnapshot]] = OrderedDict()
        self._lock = Lock()

    def get(self, db: Session, patient: User, day: date) -> TodaySnapshot:
        key = (patient.data_version, patient.timezone, day)
        with self._lock:
            entry = self._entries.get(patient.id)
            if entry is not None and entry[0] == key:
                self._entries.move_to_end(patient.id)
                return entry[1]
        snapshot = load_snapshot(db, patient, day)
        with self._lock:
            self._entries[patient.id] = (key, snapshot)
            self._entries.move_to_end(patient.id)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return snapshot


def load_snapshot(db: Session, patient: User, day: date) -> TodaySnapshot:
    """Seven queries; the rows are detached from the request's session so they outlive it unchanged."""
    week_ago = day - LOOK_BACK
    homework = load_homework(db, [patient], active_on=week_ago, horizon=week_ago)[patient.id]
    checkin, side_effect_session = day_checkin_state(db, patient=patient, day=day)
    snapshot = TodaySnapshot(day, homework, activities_for_day(db, patient, day), checkin, side_effect_session,
                             unread_comment_records(db, patient), patient_clinic_time(db, patient).tz.key)
    homework.tz  # noqa: B018  (worked out now: later requests must not read the first request's user row)
    for row in _rows(snapshot):
        if row in db:
            db.expunge(row)
    return snapshot


def _rows(snapshot: TodaySnapshot):
    homework = snapshot.homework
    yield from homework.assignments
    for versions in homework.timings.values():
        yield from versions
    yield from homework.sessions
    for done in homework.completions.values():
        yield from done.values()
    yield from snapshot.activities
    yield from (row for row in (snapshot.checkin, snapshot.side_effect_session) if row is not None)
    yield from snapshot.commented


def today_snapshot(db: Session, patient: User, day: date) -> TodaySnapshot:
    cache = current_app.extensions.setdefault("today_snapshots", SnapshotCache())
    return cache.get(db, patient, day)
