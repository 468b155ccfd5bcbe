"""Clinic closures: days with no TMS. Public holidays come from the well-kept `holidays` package for the clinic's
country and region; staff add their own days and remove any. Each operation only flushes."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from sqlmodel import Session, select

from app.clinic.settings import closed_days, site_time
from app.homework.timing import SessionStatus
from app.models import ClinicClosure, Role, Site, TmsCourse, TmsSession, User
from app.timezones import validate_timezone
from app.validation import FieldError

MAX_RANGE_DAYS = 366
LABEL_MAX = 80


class ClosureError(FieldError):
    """A closure or clinic-time value a form shows beside its field."""


def public_holidays(country: str, region: str, year: int) -> list[tuple[date, str]]:
    """The public holidays of `year` for a country (ISO 3166 code) and optional region, sorted by date."""
    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
    except (NotImplementedError, KeyError):
        raise ClosureError("holiday_country", f"No holiday list is known for {country}/{region or '-'}.") from None
    return sorted((day, name[:LABEL_MAX]) for day, name in found.items())


@dataclass(frozen=True)
class Added:
    added: list[ClinicClosure]
    booked: list[TmsSession]
    """Visits already booked on the new closure days: staff must move them (nothing is moved silently)."""


def add_closures(db: Session, *, site: Site, first: date, last: date | None, label: str, by: User,
                 now: datetime) -> Added:
    """Close the site on [first, last] (one day if `last` is None). Refused when that would leave a course of its
    patients with booked visits no clinic day for any of them."""
    label = " ".join((label or "").split())
    if not label:
        raise ClosureError("label", "Say why the clinic is closed, for example “Staff training”.")
    if len(label) > LABEL_MAX:
        raise ClosureError("label", f"At most {LABEL_MAX} characters.")
    last = last or first
    if last < first:
        raise ClosureError("last_day", "The last day can't be before the first.")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ClosureError("last_day", "Close at most a year at a time.")
    new_days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    existing = closed_days(db, site_id=site.id)
    _refuse_if_a_course_loses_every_day(db, site, frozenset(new_days) | existing, now=now)
    added = [ClinicClosure(site_id=site.id, day=day, label=label, created_by_id=by.id, created_at=now)
             for day in new_days if day not in existing]
    db.add_all(added)
    db.flush()
    return Added(added, booked_on(db, site, frozenset(new_days)))


def add_public_holidays(db: Session, *, site: Site, year: int, by: User, now: datetime) -> Added:
    """Pre-fill a year's public holidays for the site's country and region (already-closed days are kept)."""
    clinic = site_time(site)
    existing = closed_days(db, site_id=site.id)
    days = [(day, name) for day, name in public_holidays(clinic.holiday_country, clinic.holiday_region, year)
            if day not in existing]
    _refuse_if_a_course_loses_every_day(db, site, frozenset(d for d, _ in days) | existing, now=now)
    added = [ClinicClosure(site_id=site.id, day=day, label=name, created_by_id=by.id, created_at=now)
             for day, name in days]
    db.add_all(added)
    db.flush()
    return Added(added, booked_on(db, site, frozenset(d for d, _ in days)))


def remove_closure(db: Session, *, closure: ClinicClosure) -> None:
    db.delete(closure)
    db.flush()


def booked_on(db: Session, site: Site, days: frozenset[date]) -> list[TmsSession]:
    """The site's patients' still-booked visits on any of `days` (site time)."""
    if not days:
        return []
    tz = site_time(site).tz
    start = datetime.combine(min(days), time(0), tz)
    end = datetime.combine(max(days) + timedelta(days=1), time(0), tz)
    rows = db.exec(select(TmsSession).where(
        TmsSession.status == SessionStatus.SCHEDULED, TmsSession.scheduled_at >= start, TmsSession.scheduled_at < end,
        TmsSession.patient_id.in_(_patients_at(site)),
    ).order_by(TmsSession.scheduled_at))
    return [s for s in rows if s.scheduled_at.astimezone(tz).date() in days]


def _patients_at(site: Site):
    return select(User.id).where(User.role == Role.patient, User.site_id == site.id)


def _refuse_if_a_course_loses_every_day(db: Session, site: Site, closed: frozenset[date], *, now: datetime) -> None:
    tz = site_time(site).tz
    upcoming: dict[int, list[date]] = {}
    for session in db.exec(select(TmsSession).where(TmsSession.status == SessionStatus.SCHEDULED,
                                                    TmsSession.scheduled_at >= now,
                                                    TmsSession.patient_id.in_(_patients_at(site)))):
        upcoming.setdefault(session.course_id, []).append(session.scheduled_at.astimezone(tz).date())
    for course_id, days in upcoming.items():
        if all(day in closed for day in days):
            course = db.get(TmsCourse, course_id)
            raise ClosureError(
                "first_day",
                f"That would leave “{course.label}” no clinic day for any of its {len(days)} booked visits. "
                "Close fewer days, or move the course first.",
            )


def save_clinic_time(db: Session, *, site: Site, values: dict, by: User, at: datetime) -> Site:
    """The site's time zone, opening hours and holiday country/region (admin)."""
    tz = validate_timezone(values.get("timezone", ""), field="timezone")
    opens, closes = _time(values, "opens_at"), _time(values, "closes_at")
    if closes <= opens:
        raise ClosureError("closes_at", "Closing time must be after opening time.")
    country = (values.get("holiday_country") or "").strip().upper()
    region = (values.get("holiday_region") or "").strip().upper()
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ClosureError("holiday_country", "Give a two-letter country code, like US or GB.")
    if region and region not in supported[country]:
        raise ClosureError("holiday_region", f"{region} is not a region of {country} we know (for example NY for US).")
    site.timezone, site.opens_at, site.closes_at = tz.key, opens, closes
    site.holiday_country, site.holiday_region = country, region
    site.updated_at = at
    db.add(site)
    db.flush()
    return site


def _time(values: dict, field: str) -> time:
    try:
        return time.fromisoformat((values.get(field) or "").strip())
    except ValueError:
        raise ClosureError(field, "Enter a time like 07:30.") from None
