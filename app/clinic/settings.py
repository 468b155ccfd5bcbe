"""The clinic's time: its zone, opening hours and holiday region, read through one function (sites later, issue 22)."""
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
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
    """The clinic's zone and hours. Until an admin saves them, the zone is the deployment's CLINIC_TIMEZONE."""
    from app.safety.services import clinic_settings

    settings = clinic_settings(db)
    zone = settings.timezone
    if settings.updated_by_id is None and has_app_context():
        zone = current_app.config.get("CLINIC_TIMEZONE", zone)
    try:
        tz = validate_timezone(zone)
    except ValueError:
        tz = ZoneInfo("America/New_York")
    return ClinicTime(tz, settings.opens_at, settings.closes_at, settings.holiday_country, settings.holiday_region)


def closed_days(db: Session, *, since: date | None = None) -> frozenset[date]:
    query = select(ClinicClosure.day)
    if since is not None:
        query = query.where(ClinicClosure.day >= since)
    return frozenset(db.exec(query))
