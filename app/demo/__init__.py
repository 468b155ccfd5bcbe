"""The demo clinic: one therapist, one TMS-team admin, three patients in different phases of treatment; and the
care team: a TMS physician, a TMS technician, and a community therapist from outside the clinic with one patient.

Idempotent: accounts are found by email, and each feature's seeder skips a patient who already has its data.
Demo only: the shared password below is printed in the README.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.auth import accounts
from app.auth.passwords import DEMO_PASSWORD  # kept beside the policy that refuses it outside the demo clinic
from app.models import Onboarding, Role, User
from app.models.types import utcnow


@dataclass(frozen=True)
class DemoPerson:
    key: str
    role: Role
    email: str
    name: str
    timezone: str
    language: str = "en"
    therapist_key: str = "therapist"
    """For a patient: the key of their treating therapist."""
    external: bool = False


PEOPLE = (
    DemoPerson("therapist", Role.therapist, "therapist@demo.clinic", "Dr. Maya Hart", "America/New_York"),
    DemoPerson("staff", Role.admin, "staff@demo.clinic", "Leo Brandt (TMS team)", "America/New_York"),
    DemoPerson("dana", Role.patient, "dana@demo.clinic", "Dana Rivera", "America/New_York"),
    DemoPerson("sam", Role.patient, "sam@demo.clinic", "Sam Okafor", "America/Chicago"),
    DemoPerson("jordan", Role.patient, "jordan@demo.clinic", "Jordan Lee", "America/Los_Angeles"),
    DemoPerson("lucia", Role.patient, "lucia@demo.clinic", "Lucía Morales", "America/Denver", language="es"),
    DemoPerson("physician", Role.physician, "physician@demo.clinic", "Dr. Priya Nair (TMS physician)", "America/New_York"),
    DemoPerson("technician", Role.technician, "technician@demo.clinic", "Tom Reyes (TMS technician)", "America/New_York"),
    DemoPerson("community", Role.therapist, "community@demo.clinic", "Dr. Alex Morgan (community therapist)",
               "America/New_York", external=True),
    DemoPerson("riley", Role.patient, "riley@demo.clinic", "Riley Chen", "America/New_York", therapist_key="community"),
)


@dataclass(frozen=True)
class DemoClinic:
    """What feature seeders receive: the demo people by key and the instant the seed runs."""

    people: dict[str, User]
    now: datetime


def _ensure_people(db: Session) -> dict[str, User]:
    people: dict[str, User] = {}
    for person in PEOPLE:
        user = accounts.find_user_by_email(db, person.email)
        if user is None:
            user = accounts.create_user(
                db,
                role=person.role,
                email=person.email,
                name=person.name,
                timezone=person.timezone,
                therapist=people.get(person.therapist_key) if person.role == Role.patient else None,
                password=DEMO_PASSWORD,
                demo=True,
                language=person.language,
            )
            user.external = person.external
            user.onboarding = Onboarding.done  # weeks into treatment: the welcome tour is behind them (Me reopens it)
        people[person.key] = user
    people["staff"].safety_contact = True  # the TMS team takes red flags, fallbacks and escalations
    return people


def seeders():
    """Each feature's demo history, in dependency order (TMS courses before homework that follows them)."""
    from app.demo.activation import seed_activation
    from app.demo.appointments import seed_appointments
    from app.demo.careteam import seed_care_team
    from app.demo.checkins import seed_checkins
    from app.demo.dbt import seed_dbt
    from app.demo.demographics import seed_demographics
    from app.demo.exposure import seed_exposure
    from app.demo.homework import seed_homework
    from app.demo.languages import seed_spanish_speaker
    from app.demo.sites import seed_sites
    from app.demo.thoughts import seed_thoughts
    from app.demo.tms import seed_tms
    from app.demo.treatment import seed_treatment_records

    return [seed_sites, seed_tms, seed_homework, seed_checkins, seed_exposure, seed_dbt, seed_thoughts, seed_activation,
            seed_demographics, seed_spanish_speaker, seed_care_team, seed_treatment_records, seed_appointments]


def seed(db: Session, *, now: datetime | None = None) -> str:
    clinic = DemoClinic(people=_ensure_people(db), now=now or utcnow())
    for seeder in seeders():
        seeder(db, clinic)
    db.commit()
    return "Demo clinic ready: " + ", ".join(f"{p.email} ({p.role})" for p in PEOPLE) + f"; password {DEMO_PASSWORD}"
