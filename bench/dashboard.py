"""Therapist dashboard benchmark: 200 patients x 90 days of history; server time for the caseload and one review
page, each as a ratio to a trivial page (/healthz) measured in the same run. Run from the repository root:

    .venv/bin/python -m bench.dashboard [--patients 200] [--days 90] [--repeat 5]

Uses a temporary SQLite file unless BENCH_DATABASE_URL names an (empty, disposable) database.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

from sqlmodel import Session, SQLModel

import app.models  # noqa: F401
from app import create_app
from app.models import (
    Assignment, AssignmentTiming, HomeworkCompletion, MoodCheckin, QuestionnaireResponse, Role, TmsCourse, TmsSession, User,
)
from app.models.tms import ProtocolKind
from app.models.types import utcnow
from bench import signed_in_client
from tests.factories import TEST_PASSWORD, _test_password_hash


def seed(db: Session, *, patients: int, days: int) -> tuple[User, User]:
    """Bulk history: daily check-ins, weekday TMS for the first six weeks, weekly PHQ-9, two daily assignments."""
    rng = random.Random(7)
    now = utcnow()
    therapist = User(email="bench-therapist@example.org", name="Dr Bench", role=Role.therapist, password_hash=_test_password_hash())
    db.add(therapist)
    db.flush()
    start = (now - timedelta(days=days)).date()
    users = [User(email=f"p{i}@example.org", name=f"Patient {i:03d}", role=Role.patient, therapist_id=therapist.id,
                  password_hash=_test_password_hash()) for i in range(patients)]
    db.add_all(users)
    db.flush()
    for user in users:
        course = TmsCourse(patient_id=user.id, label="Acute", protocol=ProtocolKind.standard, parameters={}, start_date=start,
                           created_by_id=therapist.id)
        db.add(course)
        db.flush()
        assignments = []
        for kind in ("mood_checkin", "thought_record"):
            a = Assignment(patient_id=user.id, created_by_id=therapist.id, kind=kind, title=kind, start_date=start)
            db.add(a)
            assignments.append(a)
        db.flush()
        db.add(AssignmentTiming(assignment_id=assignments[0].id, effective_from=start, kind="daily", local_time=clock(20)))
        db.add(AssignmentTiming(assignment_id=assignments[1].id, effective_from=start, kind="post_tms", window_hours=4))
        rows = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            noon = datetime.combine(day, clock(17), timezone.utc)
            if rng.random() < 0.85:
                rows.append(MoodCheckin(patient_id=user.id, mood=rng.randint(2, 8), recorded_at=noon + timedelta(hours=3)))
                rows.append(HomeworkCompletion(assignment_id=assignments[0].id, occurrence_key=f"day:{day.isoformat()}",
                                               completed_at=noon + timedelta(hours=3), source="bench", source_id=None))
            if offset < 42 and day.weekday() < 5:
                at = datetime.combine(day, clock(14), timezone.utc)
                rows.append(TmsSession(course_id=course.id, patient_id=user.id, scheduled_at=at, status="completed",
                                       completed_at=at + timedelta(minutes=25)))
            if offset % 7 == 0:
                rows.append(QuestionnaireResponse(patient_id=user.id, instrument="phq9", answers={}, total=max(0, 20 - offset // 7),
                                                  band="x", submitted_at=noon))
        db.add_all(rows)
    db.commit()
    return therapist, users[0]


def timed(client, path: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - begin)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return statistics.median(samples)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(directory) / 'bench.db'}"
        application = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
        engine = application.extensions["engine"]
        SQLModel.metadata.drop_all(engine)
        SQLModel.metadata.create_all(engine)
        begin = time.perf_counter()
        with Session(engine) as db:
            therapist, first = seed(db, patients=options.patients, days=options.days)
            therapist_email, first_id = therapist.email, first.id
        print(f"seeded {options.patients} patients x {options.days} days in {time.perf_counter() - begin:.1f} s")
        client = signed_in_client(application, therapist_email, TEST_PASSWORD)
        trivial = timed(client, "/healthz", options.repeat * 4)
        caseload = timed(client, "/patients", options.repeat)
        review = timed(client, f"/patients/{first_id}", options.repeat)
        print(f"trivial page (/healthz): {trivial * 1000:.1f} ms")
        print(f"caseload ({options.patients} patients): {caseload * 1000:.1f} ms  ratio to trivial {caseload / trivial:.0f}x")
        print(f"review ({options.days} days of history): {review * 1000:.1f} ms  ratio to trivial {review / trivial:.0f}x")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
