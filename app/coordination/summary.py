"""One week's "what changed" per patient for a physician, on the page and (without patient details) by email."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.homework.schedule import local_day_bounds
from app.mail import send_mail
from app.models import Role, User
from app.policy import Facet, visible_patients
from app.therapist.changes import Change, gather, what_changed

WEEK_DAYS = 7


@dataclass(frozen=True)
class PatientWeek:
    patient: User
    changes: list[Change]


def weekly_summary(db: Session, physician: User, *, now: datetime) -> list[PatientWeek]:
    """The physician's patients (their medical facet) with the last 7 local days' changes, those with changes
    first. Exposure steps are the therapist's record, not the medical facet, so they are left out."""
    rows = []
    for patient in db.exec(visible_patients(physician, facet=Facet.medical).where(User.active).order_by(User.name)):
        tz = ZoneInfo(patient.timezone)
        until = now.astimezone(tz).date()
        since = until - timedelta(days=WEEK_DAYS - 1)
        start, _ = local_day_bounds(since, tz)
        _, end = local_day_bounds(until, tz)
        facts = gather(db, patient, start=start, end=end, since=since, until=until, now=now)
        rows.append(PatientWeek(patient, what_changed(facts, include_exposure=False)))
    return sorted(rows, key=lambda row: not row.changes)


def email_text(rows: list[PatientWeek], *, page_url: str) -> str:
    """No names, scores or events in an email (it leaves the app unencrypted): counts and the link to the page."""
    changed = sum(bool(row.changes) for row in rows)
    safety = sum(any(c.section == "safety" for c in row.changes) for row in rows)
    lines = [
        f"Your weekly coordination summary is ready: {changed} of your {len(rows)} patients have changes this week.",
    ]
    if safety:
        lines.append(f"{safety} of them had a safety event.")
    lines += ["", f"Open it after signing in: {page_url}"]
    return "\n".join(lines)


def send_weekly_emails(db: Session, *, now: datetime, base_url: str) -> int:
    """Email every active physician with patients their summary notice; returns how many were sent."""
    sent = 0
    for physician in db.exec(select(User).where(User.role == Role.physician, User.active).order_by(User.id)):
        rows = weekly_summary(db, physician, now=now)
        if not rows:
            continue
        sent += send_mail(physician.email, "Weekly coordination summary",
                          email_text(rows, page_url=f"{base_url}/coordination"))
    return sent
