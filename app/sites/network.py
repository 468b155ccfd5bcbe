"""The organisation-wide view: per-site aggregates only (counts and rates, never a patient's name), for an
administrator who works at every site (an org admin: the decision in issue 22)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from app.homework.timing import SessionStatus
from app.models import Role, SafetyEvent, Site, StaffSite, TmsSession, User
from app.sites.services import all_sites


@dataclass(frozen=True)
class SiteFigures:
    site: Site
    patients: int
    active_courses: int
    """Patients with a visit booked or delivered in the last 14 days or the next 14."""
    delivered_this_week: int
    open_safety_events: int
    adherence: float | None
    """Delivered visits of those due in the last 28 days (delivered + missed), None when none were due."""


def is_org_admin(db: Session, user: User) -> bool:
    """An administrator assigned to every site sees the whole network."""
    if user.role != Role.admin or not user.active:
        return False
    mine = set(db.exec(select(StaffSite.site_id).where(StaffSite.user_id == user.id)))
    return bool(mine) and mine >= {s.id for s in all_sites(db)}


def _by_site(db: Session, query) -> dict[int, int]:
    return {site_id: count for site_id, count in db.exec(query)}


def network_figures(db: Session, *, now: datetime, week_start: datetime) -> list[SiteFigures]:
    """One grouped query per figure, whatever the number of sites or patients."""
    patients = _by_site(db, select(User.site_id, func.count()).where(User.role == Role.patient, User.active)
                        .group_by(User.site_id))
    sessions = select(User.site_id, func.count(func.distinct(TmsSession.patient_id))).join(
        User, User.id == TmsSession.patient_id)
    active = _by_site(db, sessions.where(TmsSession.scheduled_at >= now - timedelta(days=14),
                                         TmsSession.scheduled_at < now + timedelta(days=14),
                                         TmsSession.status != SessionStatus.CANCELLED).group_by(User.site_id))
    visits = select(User.site_id, func.count()).join(User, User.id == TmsSession.patient_id)
    delivered = _by_site(db, visits.where(TmsSession.status == SessionStatus.COMPLETED,
                                          TmsSession.scheduled_at >= week_start,
                                          TmsSession.scheduled_at < now).group_by(User.site_id))
    since = now - timedelta(days=28)
    due_window = (TmsSession.scheduled_at >= since, TmsSession.scheduled_at < now)
    done = _by_site(db, visits.where(TmsSession.status == SessionStatus.COMPLETED, *due_window).group_by(User.site_id))
    missed = _by_site(db, visits.where(TmsSession.status == SessionStatus.MISSED, *due_window).group_by(User.site_id))
    events = _by_site(db, select(User.site_id, func.count()).join(User, User.id == SafetyEvent.patient_id)
                      .where(SafetyEvent.acknowledged_at.is_(None)).group_by(User.site_id))
    figures = []
    for site in all_sites(db):
        due = done.get(site.id, 0) + missed.get(site.id, 0)
        figures.append(SiteFigures(
            site, patients.get(site.id, 0), active.get(site.id, 0), delivered.get(site.id, 0),
            events.get(site.id, 0), done.get(site.id, 0) / due if due else None,
        ))
    return figures
