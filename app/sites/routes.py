"""Sites: the switcher for staff at several, the admin's site pages, moving a patient, the network view."""
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.clinic.settings import site_time
from app.db import get_db
from app.models import Role, Site, StaffSite, User
from app.models.types import utcnow
from app.policy import admin_required, clinic_team_required, get_patient_for, works_at
from app.sites import services
from app.sites.current import choose_site, current_site
from app.sites.network import is_org_admin, network_figures
from app.timezones import common_timezones
from app.validation import safe_next, whole_number

bp = Blueprint("sites", __name__)


@bp.post("/sites/current")
@clinic_team_required
def switch_site():
    """Work at another of one's sites: its day list, closures and patients from the next page on."""
    site = choose_site(get_db(), whole_number(request.form.get("site_id")))
    if site is None:
        abort(404)
    flash(f"Now working at {site.name}.", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("tms.clinic_today"), 303)


def _my_site(db, site_id: int) -> Site:
    """A site the signed-in admin works at, else 404 (another site's page is not theirs to see)."""
    site = db.get(Site, site_id)
    if site is None or not works_at(db, current_user, site.id):
        abort(404)
    return site


def _sites_page(*, errors: dict | None = None, form=None, status: int = 200):
    db = get_db()
    mine = services.sites_of_staff(db, current_user)
    return render_template(
        "sites/index.html", sites=mine, counts={s.id: services.patient_count(db, s) for s in mine},
        errors=errors or {}, form=form or {}, zones=common_timezones(), org_admin=is_org_admin(db, current_user),
    ), status


@bp.get("/admin/sites")
@admin_required
def index():
    return _sites_page()


@bp.post("/admin/sites")
@admin_required
def create():
    db = get_db()
    try:
        site = services.create_site(db, name=request.form.get("name", ""), address=request.form.get("address", ""),
                                    timezone=request.form.get("timezone", ""), by=current_user)
    except services.SiteError as error:
        db.rollback()
        return _sites_page(errors={error.field: error.message}, form=request.form, status=400)
    db.commit()
    flash(f"{site.name} added. Switch to it to set its hours, closures and crisis numbers.", "success")
    return redirect(url_for("sites.edit", site_id=site.id), 303)


def _edit_page(site: Site, *, errors: dict | None = None, form=None, status: int = 200):
    db = get_db()
    staff_here = set(db.exec(select(StaffSite.user_id).where(StaffSite.site_id == site.id)))
    staff = db.exec(select(User).where(User.role != Role.patient, User.active).order_by(User.name)).all()
    return render_template(
        "sites/edit.html", site=site, staff=staff, staff_here=staff_here, patients=services.patient_count(db, site),
        errors=errors or {}, form=form or {}, zones=common_timezones(),
    ), status


@bp.get("/admin/sites/<int:site_id>")
@admin_required
def edit(site_id: int):
    return _edit_page(_my_site(get_db(), site_id))


@bp.post("/admin/sites/<int:site_id>")
@admin_required
def update(site_id: int):
    db = get_db()
    site = _my_site(db, site_id)
    try:
        services.update_site(db, site, name=request.form.get("name", ""), address=request.form.get("address", ""),
                             timezone=request.form.get("timezone", ""))
    except services.SiteError as error:
        db.rollback()
        return _edit_page(site, errors={error.field: error.message}, form=request.form, status=400)
    db.commit()
    flash(f"{site.name} saved.", "success")
    return redirect(url_for("sites.edit", site_id=site.id), 303)


@bp.post("/admin/sites/<int:site_id>/delete")
@admin_required
def delete(site_id: int):
    db = get_db()
    site = _my_site(db, site_id)
    try:
        services.delete_site(db, site)
    except services.SiteError as error:
        db.rollback()
        return _edit_page(site, errors={"site": error.message}, status=409)
    db.commit()
    flash("Site removed.", "success")
    return redirect(url_for("sites.index"), 303)


@bp.post("/admin/sites/<int:site_id>/staff")
@admin_required
def staff(site_id: int):
    """Assign a staff member to the site, or take them off it."""
    db = get_db()
    site = _my_site(db, site_id)
    member = db.get(User, whole_number(request.form.get("user_id")) or 0)
    if member is None or member.role == Role.patient:
        abort(404)
    if request.form.get("assigned") == "1":
        services.assign_staff(db, staff=member, site=site)
    else:
        services.unassign_staff(db, staff=member, site=site)
    db.commit()
    flash(f"{member.name} {'works at' if request.form.get('assigned') == '1' else 'no longer works at'} {site.name}.",
          "success")
    return redirect(url_for("sites.edit", site_id=site.id), 303)


@bp.post("/admin/patients/<int:patient_id>/site")
@admin_required
def move_patient(patient_id: int):
    """Move a patient to another of the admin's sites: their whole record goes with them."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, clinical=False)
    site = db.get(Site, whole_number(request.form.get("site_id")) or 0)
    if site is None or not works_at(db, current_user, site.id):
        flash("Choose one of your sites.", "error")
        return redirect(url_for("admin.index"), 303)
    services.assign_patient(db, patient=patient, site=site)
    db.commit()
    flash(f"{patient.name} now belongs to {site.name}; their record moved with them.", "success")
    return redirect(url_for("admin.index"), 303)


@bp.get("/admin/network")
@admin_required
def network():
    """Every site's figures, for an administrator who works at all of them; aggregates only."""
    db = get_db()
    if not is_org_admin(db, current_user):
        abort(403)
    now = utcnow()
    tz = site_time(current_site(db)).tz
    local = now.astimezone(tz)
    week_start = datetime.combine(local.date() - timedelta(days=local.weekday()), time(0), tz)
    return render_template("sites/network.html", figures=network_figures(db, now=now, week_start=week_start),
                           week_start=week_start.date())


@bp.app_template_global("my_sites")
def my_sites() -> list[Site]:
    """The signed-in staff member's sites, for the switcher (once per request)."""
    from flask import g

    if "my_sites" not in g:
        g.my_sites = services.sites_of_staff(get_db(), current_user) if current_user.is_authenticated else []
    return g.my_sites


@bp.app_template_global("this_site")
def this_site() -> Site:
    return current_site(get_db())


@bp.app_template_global("site_count")
def site_count() -> int:
    return len(my_sites())
