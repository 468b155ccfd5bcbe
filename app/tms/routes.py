"""TMS schedule pages: a patient's courses and sessions (therapist and clinic staff), the clinic's day list
(one tap to mark a visit), and the patient's own "I've just had my TMS"."""
import hashlib
from collections import defaultdict
from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as session_store
from flask_login import current_user
from flask_babel import gettext as _
from sqlmodel import select

from app.db import get_db
from app.security.content import date_arg
from app.homework.schedule import local_day_bounds
from app.homework.timing import SessionStatus
from app.models import TmsCourse, TmsSession, User
from app.models.tms import DEFAULT_SESSION_MINUTES, CalendarFeed, CalendarTitle, ProtocolKind
from app.models.types import utcnow
from app.policy import (clinic_team_required, get_patient_for, may_record_treatment, patient_required, tms_team_required,
                        visible_patients)
from app.public_identity import uid_domain
from app.clinic.settings import patient_clinic_time, site_time
from app.sites.current import current_site
from app.sites.services import site_of
from app.tms import calendar, presets, protocols, records, services
from app.tms.visit_rules import VisitTimeError
from app.validation import whole_number
from app.tms.protocol_input import (
    PRESETS, WEEKDAY_NAMES, InputError, describe, parse_date, parse_time, preset_from_form, protocol_from_form,
)

bp = Blueprint("tms", __name__)

VISITS_GIVEN = (SessionStatus.SCHEDULED, SessionStatus.COMPLETED)
"""Visits on the day list that need a motor threshold: booked or given (not missed or cancelled)."""

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


def _back(default: str, errors: dict | None = None):
    """Return to the page the button was on (a same-site path), else `default`; a refused visit time is shown
    beside its field there (kept for one request in the session, like a flash)."""
    if errors:
        session_store["field_errors"] = errors
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default, 303)


def _pending_errors() -> dict:
    return session_store.pop("field_errors", None) or {}


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
        progress={c.id: services.course_progress(by_course[c.id], c.prescribed_sessions) for c in courses},
        presets=PRESETS,
        describe=describe,
        kinds=list(ProtocolKind),
        weekday_names=WEEKDAY_NAMES,
        errors={**_pending_errors(), **(errors or {})},
        form=form or {},
        now=utcnow(),
        clinic_tz=patient_clinic_time(db, patient).tz.key,
    ), status


@bp.get("/patients/<int:patient_id>/tms")
@tms_team_required
def patient_sessions(patient_id: int):
    patient = get_patient_for(get_db(), current_user, patient_id, clinical=False)
    return _course_page(patient)


@bp.post("/patients/<int:patient_id>/tms/courses")
@tms_team_required
def create_course(patient_id: int):
    """A course from a preset or a protocol; accelerated sessions under 45 minutes apart need an explicit yes."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id, clinical=False)
    form = request.form
    preset = form.get("preset", "")
    try:
        start = parse_date(form, "start_date", "a start date")
        if preset:
            kind, protocol, parameters, minutes = preset_from_form(preset, form)
        else:
            try:
                kind = ProtocolKind(form.get("protocol", ""))
            except ValueError:
                return _course_page(patient, errors={"protocol": "Choose a protocol."}, form=form, status=400)
            protocol, parameters = protocol_from_form(kind, form, form.getlist("weekdays"))
            minutes = protocols.SESSION_MINUTES if kind == ProtocolKind.accelerated else DEFAULT_SESSION_MINUTES
        _check_gap(protocol, form)
        course = services.create_course(
            db, patient=patient, label=form.get("label", ""), kind=kind, protocol=protocol,
            parameters=parameters, start=start, by=current_user, session_minutes=minutes,
            include_weekends=form.get("include_weekends") == "1",
        )
        if preset == "deep_tms_ocd":
            presets.add_provocation_homework(db, course=course, patient=patient, by=current_user)
    except (InputError, protocols.ProtocolError, services.SessionError) as error:
        db.rollback()
        return _course_page(patient, errors={error.field: error.message}, form=form, status=400)
    db.commit()
    sessions = _sessions_of(db, course)
    clinic = patient_clinic_time(db, patient)
    last = max(s.scheduled_at for s in sessions).astimezone(clinic.tz)
    flash(f"{course.label}: {len(sessions)} sessions scheduled, the last on {last:%a %d %b %Y} "
          "(closures and weekends skipped).", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


def _check_gap(protocol, form) -> None:
    if (isinstance(protocol, protocols.AcceleratedProtocol)
            and protocol.minutes_apart < protocols.ACCELERATED_GAP_WARNING and form.get("confirm_short_gap") != "1"):
        raise InputError(
            "minutes_apart",
            f"Sessions {protocol.minutes_apart} minutes apart are much closer than the usual 50 (under "
            f"{protocols.ACCELERATED_GAP_WARNING}). Tick “I mean this gap” to book them anyway.",
        )


@bp.post("/tms/courses/<int:course_id>/extend")
@tms_team_required
def extend_course(course_id: int):
    """Extend a course by a block of sessions (often 10) after its last one."""
    db = get_db()
    course = db.get(TmsCourse, course_id) or abort(404)
    patient = get_patient_for(db, current_user, course.patient_id, clinical=False)
    try:
        count = whole_number(request.form.get("sessions")) or 0
        added = services.extend_course(db, course=course, sessions=count, by=current_user, now=utcnow())
    except services.SessionError as error:
        db.rollback()
        return _course_page(patient, errors={f"extend-{course.id}": error.message}, form=request.form, status=400)
    db.commit()
    flash(f"{course.label} extended by {len(added)} sessions.", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


@bp.post("/tms/sessions/<int:session_id>/makeup")
@tms_team_required
def book_makeup(session_id: int):
    """Book a make-up for a missed visit: it replaces it, so the prescription does not grow."""
    db = get_db()
    missed, patient = _session_for_staff(db, session_id)
    course = db.get(TmsCourse, missed.course_id)
    try:
        services.add_session(db, course=course, at=_local_instant(patient), by=current_user, now=utcnow(),
                             makeup_for=missed)
    except (InputError, protocols.ProtocolError, services.SessionError) as error:
        db.rollback()
        return _course_page(patient, errors={f"makeup-{missed.id}": error.message}, form=request.form, status=400)
    db.commit()
    flash("Make-up visit booked.", "success")
    return redirect(url_for("tms.patient_sessions", patient_id=patient.id), 303)


def _sessions_of(db, course: TmsCourse) -> list[TmsSession]:
    return list(db.exec(select(TmsSession).where(TmsSession.course_id == course.id)))


def _local_instant(patient: User, field_date: str = "date", field_time: str = "time") -> datetime:
    """Staff enter visits in clinic time, whatever zone the patient's phone is in."""
    day = parse_date(request.form, field_date)
    at = parse_time(request.form, field_time)
    return protocols.local_to_utc(day, at, patient_clinic_time(get_db(), patient).tz, field=field_time)


@bp.post("/tms/courses/<int:course_id>/sessions")
@tms_team_required
def add_session(course_id: int):
    db = get_db()
    course = db.get(TmsCourse, course_id) or abort(404)
    patient = get_patient_for(db, current_user, course.patient_id, clinical=False)
    try:
        services.add_session(db, course=course, at=_local_instant(patient), by=current_user, now=utcnow())
    except (InputError, protocols.ProtocolError, services.SessionError) as error:
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
    """Done (with the visit's actual start, default the booked time), Missed, Cancel or Undo; the flash says which."""
    db = get_db()
    session, patient = _session_for_staff(db, session_id)
    status = STATUS_ACTIONS.get(request.form.get("status", "")) or abort(400)
    clinic = patient_clinic_time(db, patient)
    booked = session.scheduled_at.astimezone(clinic.tz)
    before = session.status
    try:
        started = _actual_start(session, clinic) if status == SessionStatus.COMPLETED else None
        services.set_status(db, session=session, status=status, by=current_user, at=utcnow(), started_at=started)
    except (InputError, protocols.ProtocolError, VisitTimeError) as error:
        db.rollback()
        flash(f"Not saved — {patient.name}, {booked:%a %d %b %H:%M}: {error.message}", "error")
        return _back(url_for("tms.patient_sessions", patient_id=patient.id), errors={f"start-{session.id}": error.message})
    db.commit()
    flash(_said(patient, booked, before, session, clinic), "success")
    return _back(url_for("tms.patient_sessions", patient_id=patient.id))


def _actual_start(session: TmsSession, clinic) -> datetime | None:
    """The start staff typed (a clinic wall-clock time on the booked day, or another date if given); None keeps
    the recorded one (or the booked time)."""
    raw = (request.form.get("started_time") or "").strip()
    if not raw:
        return None
    day = session.scheduled_at.astimezone(clinic.tz).date()
    if (request.form.get("started_date") or "").strip():
        day = parse_date(request.form, "started_date")
    return protocols.local_to_utc(day, parse_time(request.form, "started_time"), clinic.tz, field="started_time")


def _said(patient: User, booked: datetime, before: SessionStatus, session: TmsSession, clinic) -> str:
    """What the button did, in words, so a mis-tap is noticed at once."""
    visit = f"{patient.name}, {booked:%a %d %b} {booked:%H:%M} visit"
    if session.status == SessionStatus.COMPLETED:
        start = session.started_at.astimezone(clinic.tz)
        verb = "Start corrected" if before == SessionStatus.COMPLETED else "Marked done"
        return f"{verb}: {visit}, started {start:%H:%M}. Undo if that was a mistake."
    if session.status == SessionStatus.SCHEDULED:
        return f"Undone: {visit} is booked again ({before.value} removed)."
    return f"Marked {session.status.value}: {visit}. Undo if that was a mistake."


@bp.get("/clinic/today")
@clinic_team_required
def clinic_today():
    """Every visible patient's sessions at the current site on one of its days (its time zone), to mark with one tap."""
    db = get_db()
    site = current_site(db)
    tz = site_time(site).tz
    now = utcnow()
    today = now.astimezone(tz).date()
    day = date_arg("day", today=today) or today
    start, end = local_day_bounds(day, tz)
    patients = visible_patients(current_user, clinical=False).subquery()
    rows = db.exec(
        select(TmsSession, User)
        .join(User, User.id == TmsSession.patient_id)
        .where(TmsSession.patient_id.in_(select(patients.c.id).where(patients.c.site_id == site.id)),
               TmsSession.scheduled_at >= start, TmsSession.scheduled_at < end)
        .order_by(TmsSession.scheduled_at, User.name)
    ).all()
    return render_template(
        "tms/clinic_today.html", rows=rows, day=day, tz=tz.key, prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1), is_today=day == now.astimezone(tz).date(), errors=_pending_errors(),
        mt_due=records.thresholds_due(db, [p.id for s, p in rows if s.status in VISITS_GIVEN], on=day),
        recorded=records.recorded_sessions(db, [s.id for s, _p in rows]), records_kept=may_record_treatment(current_user),
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
    flash(_("Thanks — your practice window is open now."), "success")
    return redirect(url_for("today.index"), 303)


@bp.get("/calendar")
@patient_required
def calendar_settings():
    feed = get_db().exec(select(CalendarFeed).where(CalendarFeed.patient_id == current_user.id)).first()
    return render_template("tms/calendar.html", feed=feed, url=None, titles=calendar.TITLES)


def _chosen_title() -> CalendarTitle | None:
    try:
        return CalendarTitle(request.form.get("event_title", ""))
    except ValueError:
        return None


@bp.post("/calendar")
@patient_required
def calendar_create():
    db = get_db()
    token = calendar.new_feed_token(db, patient=current_user, now=utcnow(), title=_chosen_title())
    db.commit()
    feed = db.exec(select(CalendarFeed).where(CalendarFeed.patient_id == current_user.id)).first()
    url = url_for("tms.calendar_feed", token=token, _external=True)
    feed_url = (current_app.config["PUBLIC_BASE_URL"] + url_for("tms.calendar_feed", token=token)) if current_app.config["PUBLIC_BASE_URL"] else url
    return render_template("tms/calendar.html", feed=feed, url=feed_url, webcal="webcal://" + feed_url.split("://", 1)[1],
                           titles=calendar.TITLES)


@bp.post("/calendar/title")
@patient_required
def calendar_title():
    """The patient names their entries "TMS session" or a neutral word; every subscribed calendar follows."""
    title = _chosen_title()
    if title is None:
        flash(_("Choose one of the names shown."), "error")
        return redirect(url_for("tms.calendar_settings"), 303)
    db = get_db()
    if calendar.set_event_title(db, patient=current_user, title=title, now=utcnow()):
        db.commit()
        flash(_("Calendar entries are now called “%(title)s”. Calendars pick it up at their next refresh.", title=_(calendar.TITLES[title])), "success")
    else:
        flash(_("Create a calendar link first."), "error")
    return redirect(url_for("tms.calendar_settings"), 303)


@bp.post("/calendar/revoke")
@patient_required
def calendar_revoke():
    db = get_db()
    calendar.revoke_feed(db, patient=current_user)
    db.commit()
    flash(_("Your calendar link no longer works. Remove the calendar from your phone too."), "success")
    return redirect(url_for("tms.calendar_settings"), 303)


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """No sign-in: calendar apps can't log in. The unguessable token is the credential.

    ETag (a hash of the body) and Last-Modified (the newest change) let calendar apps ask "anything new?" and
    get a 304 when not; `private` keeps shared caches from holding it.
    """
    db = get_db()
    feed, patient = calendar.feed_for_token(db, token) or abort(404)
    config = current_app.config
    site = site_of(db, patient)  # visits are at the patient's site: its name and address are where to go
    where = f"{site.name}, {' '.join(site.address.split())}" if site.address.strip() else config["CLINIC_NAME"]
    context = calendar.FeedContext(patient=patient, feed=feed, clinic_name=where,
                                   uid_domain=uid_domain(config))
    events = calendar.feed_events(db, context)
    body = calendar.build_calendar(events, calendar_name=calendar.calendar_name(feed.event_title, config["CLINIC_NAME"]))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = calendar.last_change(events, context)
    return response.make_conditional(request)
