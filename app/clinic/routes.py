"""Clinic time and closures: staff keep the closure list (public holidays pre-filled); admins set the zone and hours."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.clinic import closures
from app.clinic.settings import site_time
from app.sites.current import current_site
from app.db import get_db
from app.models import ClinicClosure
from app.models.types import utcnow
from app.policy import admin_required, clinic_team_required
from app.timezones import common_timezones
from app.validation import whole_number

bp = Blueprint("clinic", __name__)


@bp.app_template_global("clinic_zone")
def clinic_zone() -> str:
    """The current site's zone name, for pages that name a patient's own zone when it differs (once per request)."""
    if "clinic_zone" not in g:
        g.clinic_zone = site_time(current_site(get_db())).tz.key
    return g.clinic_zone


def _page(*, errors: dict | None = None, form=None, status: int = 200):
    db = get_db()
    site = current_site(db)
    clinic = site_time(site)
    today = utcnow().astimezone(clinic.tz).date()
    rows = db.exec(select(ClinicClosure).where(ClinicClosure.site_id == site.id,
                                               ClinicClosure.day >= today - timedelta(days=30))
                   .order_by(ClinicClosure.day)).all()
    return render_template(
        "clinic/closures.html", closures=rows, clinic=clinic, today=today, site=site, errors=errors or {}, form=form or {},
        zones=common_timezones() if current_user.is_admin else [],
    ), status


@bp.get("/clinic/closures")
@clinic_team_required
def closures_page():
    return _page()


def _date(field: str, *, required: bool) -> date | None:
    raw = (request.form.get(field) or "").strip()
    if not raw and not required:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise closures.ClosureError(field, "Enter a date like 2026-12-24.") from None


def _said(result: closures.Added, what: str) -> str:
    message = f"{what}: {len(result.added)} day{'s' if len(result.added) != 1 else ''} closed."
    if result.booked:
        message += f" {len(result.booked)} booked visit{'s' if len(result.booked) != 1 else ''} fall on them: move them."
    return message


@bp.post("/clinic/closures")
@clinic_team_required
def add_closure():
    db = get_db()
    try:
        first = _date("first_day", required=True)
        result = closures.add_closures(db, site=current_site(db), first=first, last=_date("last_day", required=False),
                                       label=request.form.get("label", ""), by=current_user, now=utcnow())
    except closures.ClosureError as error:
        db.rollback()
        return _page(errors={error.field: error.message}, form=request.form, status=400)
    db.commit()
    flash(_said(result, "Closure saved"), "success")
    return redirect(url_for("clinic.closures_page"), 303)


@bp.post("/clinic/closures/holidays")
@clinic_team_required
def add_holidays():
    db = get_db()
    year = whole_number(request.form.get("year"))
    if year is None or not 2000 <= year <= 2100:
        return _page(errors={"year": "Enter a year like 2027."}, form=request.form, status=400)
    try:
        result = closures.add_public_holidays(db, site=current_site(db), year=year, by=current_user, now=utcnow())
    except closures.ClosureError as error:
        db.rollback()
        return _page(errors={"year" if error.field == "first_day" else error.field: error.message},
                     form=request.form, status=400)
    db.commit()
    flash(_said(result, f"Public holidays {year}"), "success")
    return redirect(url_for("clinic.closures_page"), 303)


@bp.post("/clinic/closures/<int:closure_id>/delete")
@clinic_team_required
def remove_closure(closure_id: int):
    db = get_db()
    closure = db.get(ClinicClosure, closure_id)
    if closure is None or closure.site_id != current_site(db).id:
        abort(404)
    day, label = closure.day, closure.label
    closures.remove_closure(db, closure=closure)
    db.commit()
    flash(f"Open again on {day.isoformat()} ({label}).", "success")
    return redirect(url_for("clinic.closures_page"), 303)


@bp.post("/clinic/time")
@admin_required
def save_time():
    db = get_db()
    try:
        closures.save_clinic_time(db, site=current_site(db), values=request.form, by=current_user, at=utcnow())
    except (closures.ClosureError, ValueError) as error:
        db.rollback()
        field = getattr(error, "field", "timezone")
        return _page(errors={field: getattr(error, "message", str(error))}, form=request.form, status=400)
    db.commit()
    flash("Clinic time saved. New courses and staff lists use it.", "success")
    return redirect(url_for("clinic.closures_page"), 303)
