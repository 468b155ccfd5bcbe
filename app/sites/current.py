"""The site a staff member is working at right now: remembered in their session, always one of their own sites.
Staff at one site never choose (the switcher shows only for two or more)."""
from flask import g, session
from flask_login import current_user
from sqlmodel import Session

from app.models import Role, Site
from app.sites import services

SESSION_KEY = "site_id"


def current_site(db: Session) -> Site:
    """The patient's own site; for staff the site chosen in the switcher, else the first they work at (the
    default site for someone assigned nowhere, whose lists then show no one: visible_patients decides)."""
    if "current_site" in g:
        return g.current_site
    site = None
    if current_user.is_authenticated and current_user.role == Role.patient:
        site = services.site_of(db, current_user)
    elif current_user.is_authenticated:
        mine = services.sites_of_staff(db, current_user)
        chosen = session.get(SESSION_KEY)
        site = next((s for s in mine if s.id == chosen), None) or (mine[0] if mine else None)
    g.current_site = site or services.default_site(db)
    return g.current_site


def choose_site(db: Session, site_id: int | None) -> Site | None:
    """Remember a site the staff member works at; None (and nothing remembered) for any other id."""
    site = next((s for s in services.sites_of_staff(db, current_user) if s.id == site_id), None)
    if site is not None:
        session[SESSION_KEY] = site.id
        g.current_site = site
    return site
