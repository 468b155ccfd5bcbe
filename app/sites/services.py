"""Sites, and who is at which: create and edit a site, place a patient at one, assign staff. Each operation only
flushes; the caller commits. A deployment always has at least one site (the default, made by migration 0016)."""
from datetime import datetime, time

from flask import current_app, has_app_context
from sqlmodel import Session, func, select

from app.models import ClinicClosure, Role, Site, StaffSite, User
from app.models.types import utcnow
from app.timezones import validate_timezone
from app.validation import FieldError

STAFF_ROLES = (Role.admin, Role.therapist, Role.physician, Role.technician)
NAME_MAX = 80


class SiteError(FieldError):
    """A site value or site change a form shows beside its field."""


def default_site(db: Session) -> Site:
    """The first site. A database built without migrations (tests, a fresh create_all) gets it here, made from the
    clinic settings the way migration 0016 makes it."""
    site = db.exec(select(Site).order_by(Site.id)).first()
    if site is not None:
        return site
    from app.safety.services import clinic_settings

    settings = clinic_settings(db)
    config = current_app.config if has_app_context() else {}
    site = Site(name=config.get("CLINIC_NAME", "TMS Clinic")[:NAME_MAX],
                timezone=config.get("CLINIC_TIMEZONE", settings.timezone) if settings.updated_by_id is None
                else settings.timezone,
                **{name: getattr(settings, name) for name in COPIED_SETTINGS})
    db.add(site)
    db.flush()
    return site


COPIED_SETTINGS = ("opens_at", "closes_at", "holiday_country", "holiday_region", "clinic_phone", "after_hours_phone",
                   "crisis_line_label", "crisis_line_number", "crisis_line_text", "crisis_chat_url", "emergency_number")


def all_sites(db: Session) -> list[Site]:
    default_site(db)
    return list(db.exec(select(Site).order_by(Site.name)))


def site_of(db: Session, patient: User) -> Site:
    """The patient's site (its zone, closures and numbers are the patient's); the default site for anyone else."""
    if patient.site_id is not None:
        site = db.get(Site, patient.site_id)
        if site is not None:
            return site
    return default_site(db)


def staff_site_ids(db: Session, user: User) -> list[int]:
    return list(db.exec(select(StaffSite.site_id).where(StaffSite.user_id == user.id).order_by(StaffSite.site_id)))


def sites_of_staff(db: Session, user: User) -> list[Site]:
    return list(db.exec(select(Site).join(StaffSite, StaffSite.site_id == Site.id)
                        .where(StaffSite.user_id == user.id).order_by(Site.name)))


def create_site(db: Session, *, name: str, timezone: str = "America/New_York", address: str = "",
                by: User | None = None, at: datetime | None = None, **values) -> Site:
    """A new site; `values` are any other Site fields (phone numbers, hours, holiday region). The admin who
    creates it works there from then on, so they can fill it."""
    site = Site(created_at=at or utcnow(), updated_at=at or utcnow())
    _apply(db, site, {"name": name, "timezone": timezone, "address": address, **values})
    db.add(site)
    db.flush()
    if by is not None and by.role in STAFF_ROLES:
        assign_staff(db, staff=by, site=site)
    return site


def update_site(db: Session, site: Site, *, at: datetime | None = None, **values) -> Site:
    _apply(db, site, values)
    site.updated_at = at or utcnow()
    db.add(site)
    db.flush()
    return site


def _apply(db: Session, site: Site, values: dict) -> None:
    if "name" in values:
        name = " ".join((values["name"] or "").split())
        if not name:
            raise SiteError("name", "Give the site a name.")
        if len(name) > NAME_MAX:
            raise SiteError("name", f"At most {NAME_MAX} characters.")
        clash = db.exec(select(Site.id).where(func.lower(Site.name) == name.lower(), Site.id != site.id)).first()
        if clash is not None:
            raise SiteError("name", "Another site has that name.")
        site.name = name
    if "timezone" in values:
        site.timezone = validate_timezone(values["timezone"] or "", field="timezone").key
    if "address" in values:
        site.address = (values["address"] or "").strip()[:500]
    for name in ("opens_at", "closes_at"):
        if name in values:
            value = values[name]
            setattr(site, name, value if isinstance(value, time) else _time(name, value))
    if site.closes_at <= site.opens_at:
        raise SiteError("closes_at", "Closing time must be after opening time.")
    for name in COPIED_SETTINGS:
        if name in values and name not in ("opens_at", "closes_at"):
            setattr(site, name, (values[name] or "").strip())


def _time(field: str, raw) -> time:
    try:
        return time.fromisoformat((raw or "").strip())
    except ValueError:
        raise SiteError(field, "Enter a time like 07:30.") from None


def assign_patient(db: Session, *, patient: User, site: Site) -> User:
    """Place a patient at a site, or move them: their record (courses, entries, events) is theirs and moves
    with them; only the site whose staff schedule them changes."""
    if patient.role != Role.patient:
        raise SiteError("site_id", "Only patients belong to one site; staff are assigned to sites.")
    patient.site_id = site.id
    patient.data_version = (patient.data_version or 0) + 1
    db.add(patient)
    db.flush()
    return patient


def assign_staff(db: Session, *, staff: User, site: Site) -> StaffSite:
    if staff.role not in STAFF_ROLES:
        raise SiteError("site_id", "Patients belong to one site: move them instead.")
    row = db.exec(select(StaffSite).where(StaffSite.user_id == staff.id, StaffSite.site_id == site.id)).first()
    if row is None:
        row = StaffSite(user_id=staff.id, site_id=site.id)
        db.add(row)
        db.flush()
    return row


def unassign_staff(db: Session, *, staff: User, site: Site) -> None:
    row = db.exec(select(StaffSite).where(StaffSite.user_id == staff.id, StaffSite.site_id == site.id)).first()
    if row is not None:
        db.delete(row)
        db.flush()


def patient_count(db: Session, site: Site) -> int:
    return db.exec(select(func.count()).select_from(User)
                   .where(User.role == Role.patient, User.site_id == site.id)).one()


def delete_site(db: Session, site: Site) -> None:
    """Only an empty site goes: its patients must be moved first (their TMS is delivered somewhere)."""
    patients = patient_count(db, site)
    if patients:
        raise SiteError("site", f"{site.name} still has {patients} patient{'s' if patients != 1 else ''}: "
                                "move them to another site first.")
    if db.exec(select(func.count()).select_from(Site)).one() <= 1:
        raise SiteError("site", "The clinic needs at least one site.")
    for row in db.exec(select(StaffSite).where(StaffSite.site_id == site.id)):
        db.delete(row)
    for row in db.exec(select(ClinicClosure).where(ClinicClosure.site_id == site.id)):
        db.delete(row)
    db.delete(site)
    db.flush()
