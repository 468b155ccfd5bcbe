"""TMS schedule pages: a patient's courses and sessions (therapist and clinic staff), the clinic's day list
(one tap to mark a visit), and the patient's own "I've just had my TMS"."""
from collections import defaultdict
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from app.db import get_db
from app.homework.schedule import local_day_bounds
from app.homework.timing import SessionStatus
from app.models import Role, TmsCourse, TmsSession, User
from app.models.tms import ProtocolKind
from app.models.types import utcnow
from app.policy import clinic_team_required, get_patient_for, patient_required, tms_team_required, visible_patients
from app.tms import calendar, protocols, services
from app.tms.protocol_input import WEEKDAY_NAMES, InputError, describe, parse_date, parse_time, protocol_from_form

bp = Blueprint("tms", __name__)

STATUS_ACTIONS = {
    "completed": SessionStatus.COMPLETED,
    "missed": SessionStatus.MISSED,
    "cancelled": SessionStatus.CANCELLED,
    "scheduled": SessionStatus.SCHEDULED,
}


def _session_for_staff(db, session_id: int) -> tuple[TmsSession, User]:
    session = db.get(TmsSession, session_id) or abort(404)
    patient = get_patient_for(db, current_user, session.patient_id, clinical=False)
    return session, patient


def _back(default: str):
    """Return to the page the button was on (a same-site path), else `default`."""
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default, 303)


def _course_page(patient: User, *, errors: dict | None = None, form: dict | None = None, status: int = 200):
    db = get_db()
    courses = db.exec(select(TmsCourse).where(TmsCourse.patient_id == patient.id).order_by(TmsCourse.start_date.desc())).all()
    sessions = db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at)).all()
    by_course = defaultdict(list)
    for session in sessions:
        by_course[session.course_id].append(session)
    return render_template(
        "tms/patient_sessions.html",
        patient=patient,
        courses=courses,
        sessions=by_course,
        progress={c.id: services.course_progress(by_course[c.id]) for c in courses},
        describe=describe,
        kinds=list(ProtocolKind),
        weekday_names=WEEKDAY_NAMES,
        errors=errors or {},
        form=form or {},
        now=utcnow(),
    ), status


@bp.get("/patients/<int:patient_id>/tms")
@tms_team_required
def patient_sessions(patient_id: int):
    patient = get_patient_for(get_db(), current_user, patient_id, clinical=False)
    return _course_page(patient)


@bp.post("/patients/<int:patient_id>/tms/courses")
@tms_team_required
def create_course(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, clinical=False)
    form = request.form
    try:
        kind = ProtocolKind(form.get("protocol", ""))
    except ValueError:
        return _course_page(patient, errors={"protocol": "Choose a protocol."}, form=form, status=400)
    try:
        start = parse_date(form, "start_date", "a start date")
        protocol, parameters = protocol_from_form(kind, form, form.getlist("weekdays"))
        course = services.create_course(
            db, patient=patient, label=form.get("label", ""), kind=kind, protocol=protocol,
            parameters=parameters, start=start, by=current_user,
        )
    except (InputError, protocols.ProtocolError, services.SessionError) as error:
        db.rollback()
        return _course_page(patient, errors={error.field: error.message}, form=form, status=400)
    db.commit()
    flash(f"{course.label}: {services.course_progress(_sessions_of(db, course))['total']} sessions scheduled.", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


def _sessions_of(db, course: TmsCourse) -> list[TmsSession]:
    return list(db.exec(select(TmsSession).where(TmsSession.course_id == course.id)))


def _local_instant(patient: User, field_date: str = "date", field_time: str = "time") -> datetime:
    day = parse_date(request.form, field_date)
    at = parse_time(request.form, field_time)
    return protocols.local_to_utc(day, at, ZoneInfo(patient.timezone), field=field_time)


@bp.post("/tms/courses/<int:course_id>/sessions")
@tms_team_required
def add_session(course_id: int):
    db = get_db()
    course = db.get(TmsCourse, course_id) or abort(404)
    patient = get_patient_for(db, current_user, course.patient_id, clinical=False)
    try:
        services.add_session(db, course=course, at=_local_instant(patient), by=current_user, now=utcnow())
    except (InputError, protocols.ProtocolError) as error:
        db.rollback()
        return _course_page(patient, errors={f"add-{course.id}": error.message}, form=request.form, status=400)
    db.commit()
    flash("Session added.", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


@bp.post("/tms/sessions/<int:session_id>/reschedule")
@tms_team_required
def reschedule(session_id: int):
    db = get_db()
    session, patient = _session_for_staff(db, session_id)
    try:
        services.reschedule_session(db, session=session, at=_local_instant(patient), by=current_user, now=utcnow())
    except (InputError, protocols.ProtocolError, services.SessionError) as error:
        db.rollback()
        return _course_page(patient, errors={f"move-{session.id}": error.message}, form=request.form, status=400)
    db.commit()
    flash("Session moved.", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


@bp.post("/tms/sessions/<int:session_id>/status")
@tms_team_required
def set_status(session_id: int):
    db = get_db()
    session, patient = _session_for_staff(db, session_id)
    status = STATUS_ACTIONS.get(request.form.get("status", "")) or abort(400)
    services.set_status(db, session=session, status=status, by=current_user, at=utcnow())
    db.commit()
    return _back(url_for("tms.patient_sessions", patient_id=patient.id))


@bp.get("/clinic/today")
@clinic_team_required
def clinic_today():
    """Every visible patient's sessions on one clinic day (clinic time zone), to mark with one tap."""
    db = get_db()
    tz = ZoneInfo(current_app.config["CLINIC_TIMEZONE"])
    now = utcnow()
    try:
        day = datetime.strptime(request.args["day"], "%Y-%m-%d").date() if request.args.get("day") else now.astimezone(tz).date()
    except ValueError:
        abort(400)
    start, end = local_day_bounds(day, tz)
    patients = visible_patients(current_user, clinical=False).subquery()
    rows = db.exec(
        select(TmsSession, User)
        .join(User, User.id == TmsSession.patient_id)
        .where(TmsSession.patient_id.in_(select(patients.c.id)), TmsSession.scheduled_at >= start, TmsSession.scheduled_at < end)
        .order_by(TmsSession.scheduled_at, User.name)
    ).all()
    return render_template(
        "tms/clinic_today.html", rows=rows, day=day, tz=tz.key, prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1), is_today=day == now.astimezone(tz).date(),
    )


@bp.post("/tms/sessions/<int:session_id>/confirm")
@patient_required
def confirm(session_id: int):
    """The patient's "I've just had my TMS" when staff have not marked it yet; recorded as patient-reported."""
    db = get_db()
    session = db.get(TmsSession, session_id)
    if session is None or session.patient_id != current_user.id:
        abort(404)
    try:
        services.confirm_by_patient(db, session=session, patient=current_user, now=utcnow())
    except services.SessionError as error:
        flash(error.message, "error")
        return redirect(url_for("today.index"), 303)
    db.commit()
    flash("Thanks — your practice window is open now.", "success")
    return redirect(url_for("today.index"), 303)


@bp.get("/calendar")
@patient_required
def calendar_settings():
    from app.models import CalendarFeed

    feed = get_db().exec(select(CalendarFeed).where(CalendarFeed.patient_id == current_user.id)).first()
    return render_template("tms/calendar.html", feed=feed, url=None)


@bp.post("/calendar")
@patient_required
def calendar_create():
    db = get_db()
    token = calendar.new_feed_token(db, patient=current_user, now=utcnow())
    db.commit()
    url = url_for("tms.calendar_feed", token=token, _external=True)
    feed_url = (current_app.config["PUBLIC_BASE_URL"] + url_for("tms.calendar_feed", token=token)) if current_app.config["PUBLIC_BASE_URL"] else url
    return render_template("tms/calendar.html", feed=True, url=feed_url, webcal="webcal://" + feed_url.split("://", 1)[1])


@bp.post("/calendar/revoke")
@patient_required
def calendar_revoke():
    db = get_db()
    calendar.revoke_feed(db, patient=current_user)
    db.commit()
    flash("Your calendar link no longer works. Remove the calendar from your phone too.", "success")
    return redirect(url_for("tms.calendar_settings"), 303)


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """No sign-in: calendar apps can't log in. The unguessable token is the credential."""
    db = get_db()
    patient = calendar.patient_for_token(db, token) or abort(404)
    sessions = db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at)).all()
    body = calendar.build_calendar(sessions, clinic_name=current_app.config["CLINIC_NAME"], host=request.host.split(":")[0], now=utcnow())
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store"}
