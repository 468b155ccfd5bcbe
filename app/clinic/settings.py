"""The clinic's time: its zone, opening hours and holiday region, read through one function (sites later, issue 22)."""
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import ClinicClosure
from app.timezones import validate_timezone


@dataclass(frozen=True)
class ClinicTime:
    """What scheduling needs to know about the clinic: courses are entered and staff lists shown in `tz`."""

    tz: ZoneInfo
    opens_at: time
    closes_at: time
    holiday_country: str
    holiday_region: str


def clinic_time(db: Session) -> ClinicTime:
    """The clinic's zone and hours (defaults until an admin saves them; a zone that stopped existing falls back)."""
    from app.safety.services import clinic_settings

    settings = clinic_settings(db)
    try:
        tz = validate_timezone(settings.timezone)
    except ValueError:
        tz = ZoneInfo("America/New_York")
    return ClinicTime(tz, settings.opens_at, settings.closes_at, settings.holiday_country, settings.holiday_region)


def closed_days(db: Session, *, since: date | None = None) -> frozenset[date]:
    query = select(ClinicClosure.day)
    if since is not None:
        query = query.where(ClinicClosure.day >= since)
    return frozenset(db.exec(query))
