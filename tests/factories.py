"""Small factories that build real rows for tests (no mocking of our own database)."""
from datetime import date
from functools import lru_cache

from sqlmodel import Session

from app.auth.accounts import place_at_site
from app.auth.passwords import hash_password
from app.models import Onboarding, Role, User

TEST_PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def _test_password_hash() -> str:
    """Argon2 is deliberately slow; hash the shared test password once per run."""
    return hash_password(TEST_PASSWORD)


def make_user(db: Session, *, role: Role, email: str, name: str, timezone: str = "America/New_York",
              therapist: User | None = None, password: bool = True, active: bool = True, safety_contact: bool = False,
              site=None, **details) -> User:
    """`details`: other User columns, e.g. the demographics an EHR export needs (family_name, mrn...).
    A patient is placed at `site` and staff work there (the default site when None), as accounts.create_user does."""
    user = User(**details,
        email=email.lower(),
        name=name,
        role=role,
        timezone=timezone,
        therapist_id=therapist.id if therapist else None,
        password_hash=_test_password_hash() if password else None,
        active=active,
        safety_contact=safety_contact,
    )
    if "onboarding" not in details:
        user.onboarding = Onboarding.done  # signing in lands on Today; onboarding tests ask for a pending tour
    db.add(user)
    db.flush()
    place_at_site(db, user, site)
    db.commit()
    db.refresh(user)
    return user


def make_site(db: Session, *, name: str = "Chicago", timezone: str = "America/Chicago", **values):
    """A second site of the network (the default site exists once anyone is placed)."""
    from app.sites.services import create_site, default_site

    default_site(db)
    site = create_site(db, name=name, timezone=timezone, **values)
    db.commit()
    db.refresh(site)
    return site


EHR_DETAILS = {"family_name": "Example", "given_name": "Pat", "birth_date": date(1984, 7, 23),
               "administrative_gender": "female", "mrn": "MRN-0001"}
"""Demographics that let a FHIR export match the patient (pass as **EHR_DETAILS to make_patient)."""


def make_therapist(db: Session, *, email: str = "t@example.org", name: str = "Dr. Test", **kwargs) -> User:
    return make_user(db, role=Role.therapist, email=email, name=name, **kwargs)


def make_admin(db: Session, *, email: str = "a@example.org", name: str = "Admin", **kwargs) -> User:
    return make_user(db, role=Role.admin, email=email, name=name, **kwargs)


def make_patient(db: Session, *, therapist: User, email: str = "p@example.org", name: str = "Pat", **kwargs) -> User:
    return make_user(db, role=Role.patient, email=email, name=name, therapist=therapist, **kwargs)


def make_assignment(db: Session, *, patient: User, kind, timing_kind="daily", title: str = "Homework",
                    start_date=None, end_date=None, target: str | None = None, window_hours: int = 4,
                    local_time=None, weekdays: str = "", due_date=None):
    """An assignment with one timing version effective from its start date."""
    from datetime import date, time

    from app.models.homework import Assignment, AssignmentTiming

    start_date = start_date or date(2026, 1, 5)
    assignment = Assignment(patient_id=patient.id, created_by_id=patient.therapist_id, kind=kind, title=title,
                            target=target, start_date=start_date, end_date=end_date)
    db.add(assignment)
    db.flush()
    if local_time is None and timing_kind in {"daily", "weekdays", "weekly", "non_tms_days"}:
        local_time = time(18, 0)
    db.add(AssignmentTiming(assignment_id=assignment.id, effective_from=start_date, kind=timing_kind,
                            window_hours=window_hours, local_time=local_time, weekdays=weekdays, due_date=due_date))
    db.commit()
    db.refresh(assignment)
    return assignment


def make_course(db: Session, *, patient: User, by: User, start, weeks: int = 6, weekdays=frozenset(range(5)),
                at=None, label: str = "Acute course"):
    """A standard course expanded through the real service (sessions in the patient's zone)."""
    from datetime import time

    from app.models.tms import ProtocolKind
    from app.tms import protocols, services

    at = at or time(9, 0)
    protocol = protocols.StandardProtocol(frozenset(weekdays), weeks, at)
    course = services.create_course(
        db, patient=patient, label=label, kind=ProtocolKind.standard, protocol=protocol,
        parameters={"weekdays": sorted(weekdays), "weeks": weeks, "local_time": at.strftime("%H:%M")},
        start=start, by=by,
    )
    db.commit()
    return course


def skip_unless_a_visit_can_have_ended_today(visit_minutes: int = 40, *, timezone: str = "America/New_York") -> None:
    """A test needing today's visit to be over can't run in the day's first `visit_minutes` (+5): no visit that
    started today has ended yet. It skips then, saying why, instead of failing once a night."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    import pytest

    from app.models.types import utcnow

    local = utcnow().astimezone(ZoneInfo(timezone))
    if local - local.replace(hour=0, minute=0, second=0, microsecond=0) < timedelta(minutes=visit_minutes + 5):
        pytest.skip(f"{local:%H:%M} local: no visit that started today can have ended yet")


def earlier_today(minutes: int, *, timezone: str = "America/New_York"):
    """`minutes` ago, but never before local midnight: "today's visit" stays today when a test runs at 00:05."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from app.models.types import utcnow

    now = utcnow()
    midnight = datetime.combine(now.astimezone(ZoneInfo(timezone)).date(), time(0), ZoneInfo(timezone))
    return max(now - timedelta(minutes=minutes), midnight)
