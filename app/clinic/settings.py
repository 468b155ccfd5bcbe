"""A site's time: its zone, opening hours, holiday region and closures, read through one function per question."""
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import ClinicClosure, Site
from app.timezones import validate_timezone


@dataclass(frozen=True)
class ClinicTime:
    """What scheduling needs to know about a site: its courses are entered and its staff lists shown in `tz`."""

    tz: ZoneInfo
    opens_at: time
    closes_at: time
    holiday_country: str
    holiday_region: str
    site_id: int | None = None


def site_time(site: Site) -> ClinicTime:
    try:
        tz = validate_timezone(site.timezone)
    except ValueError:
        tz = ZoneInfo("America/New_York")
    return ClinicTime(tz, site.opens_at, site.closes_at, site.holiday_country, site.holiday_region, site.id)


def clinic_time(db: Session, site: Site | None = None) -> ClinicTime:
    """The zone and hours of `site` (the default site when None: a single-site clinic never names one)."""
    from app.sites.services import default_site

    return site_time(site or default_site(db))


def closed_days(db: Session, *, since: date | None = None, site_id: int | None = None) -> frozenset[date]:
    """The site's closure days (the default site's when `site_id` is None)."""
    if site_id is None:
        from app.sites.services import default_site

        site_id = default_site(db).id
    query = select(ClinicClosure.day).where(ClinicClosure.site_id == site_id)
    if since is not None:
        query = query.where(ClinicClosure.day >= since)
    return frozenset(db.exec(query))


def patient_clinic_time(db: Session, patient_or_id) -> ClinicTime:
    """The time of the site that treats this patient (a User or a patient id)."""
    from app.models import User
    from app.sites.services import site_of

    patient = patient_or_id if isinstance(patient_or_id, User) else db.get(User, patient_or_id)
    return site_time(site_of(db, patient))
