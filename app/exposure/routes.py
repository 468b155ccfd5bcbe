"""Exposure pages. Ladder editing is shared: patients at /exposure/..., therapists at /patients/<id>/exposure/...."""
import uuid
from datetime import datetime, timezone
from functools import wraps
from zoneinfo import ZoneInfo

from flask import (
    Blueprint, Response, abort, current_app, flash, jsonify, make_response, redirect, render_template, request, url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_babel import gettext as _

from app.audit import record_recording
from app.db import get_db
from app.exposure import charts, recordings, services
from app.exposure.forms import KIND_LABELS, RESISTED_LABELS, HierarchyForm, ItemForm, OrderForm, PracticeForm, RerateForm
from app.exposure.ordering import StaleOrder, by_suds, moved
from app.exposure.rules import ExposureError, TimedRating, check_practice, parse_timed_ratings
from app.models import Role, User
from app.models.exposure import ExposureKind, Hierarchy, HierarchyItem, ItemStatus
from app.models.types import utcnow
from app.policy import get_patient_for, patient_required, role_required, therapist_required
from app.pwa.idempotency import idempotent
from app.security.headers import MICROPHONE_ALLOWED
from app.validation import whole_number

bp = Blueprint("exposure", __name__)
DEFAULT_TARGET_MINUTES = 20
"""The session timer's first target; afterwards it offers the length of the item's last practice."""


def for_patient_or_therapist(view):
    """One view for both: a patient on their own pages (no patient_id), a therapist on a patient's (with it)."""

    @wraps(view)
    @role_required(Role.patient, Role.therapist)
    def wrapped(*args, patient_id: int | None = None, **kwargs):
        if (current_user.role == Role.patient) != (patient_id is None):
            abort(404)
        patient = current_user if patient_id is None else get_patient_for(get_db(), current_user, patient_id)
        return view(*args, patient=patient, **kwargs)

    return wrapped


def link(patient: User, name: str, **params) -> str:
    """URL of an exposure page for whoever is looking: the patient's own, or the therapist's copy."""
    if current_user.role == Role.therapist:
        return url_for(f"exposure.therapist_{name}", patient_id=patient.id, **params)
    return url_for(f"exposure.{name}", **params)


def _hierarchy(patient: User, hierarchy_id: int) -> Hierarchy:
    hierarchy = get_db().get(Hierarchy, hierarchy_id)
    if hierarchy is None or hierarchy.patient_id != patient.id:
        abort(404)
    return hierarchy


def _item(patient: User, item_id: int) -> HierarchyItem:
    item = get_db().get(HierarchyItem, item_id)
    if item is None or item.patient_id != patient.id:
        abort(404)
    return item


def _page_context(patient: User) -> dict:
    therapist = current_user.role == Role.therapist
    return {
        "patient": patient,
        "layout": "layouts/staff.html" if therapist else "layouts/patient.html",
        "is_therapist": therapist,
        "link": lambda name, **params: link(patient, name, **params),
        "kind_labels": KIND_LABELS,
        "ItemStatus": ItemStatus,
    }


def _render_hierarchies(patient: User, *, form: HierarchyForm | None = None, status: int = 200):
    db = get_db()
    ladders = [(h, services.items_of(db, h)) for h in services.hierarchies_of(db, patient)]
    return render_template(
        "exposure/hierarchies.html", ladders=ladders, form=form or HierarchyForm(), **_page_context(patient)
    ), status


def _render_hierarchy(patient: User, hierarchy: Hierarchy, *, item_form=None, stale: str | None = None,
                      rerate_errors: dict | None = None, status: int = 200):
    db = get_db()
    items = services.items_of(db, hierarchy)
    archived = [i for i in services.items_of(db, hierarchy, archived=True) if i.status == ItemStatus.archived]
    order = [i.id for i in items]
    moves = {
        item.id: {"up": ",".join(map(str, moved(order, item.id, -1))),
                  "down": ",".join(map(str, moved(order, item.id, 1)))}
        for item in items
    }
    return render_template(
        "exposure/hierarchy.html", hierarchy=hierarchy, items=items, archived=archived, moves=moves,
        suds_order=",".join(map(str, by_suds([(i.id, i.suds) for i in items]))),
        item_form=item_form or ItemForm(), order_form=OrderForm(version=hierarchy.version), rerate_form=RerateForm(),
        stale=stale, rerate_errors=rerate_errors or {}, **_page_context(patient),
    ), status


@bp.get("/exposure/ladders", endpoint="hierarchies")
@bp.get("/patients/<int:patient_id>/exposure", endpoint="therapist_hierarchies")
@for_patient_or_therapist
def hierarchies(patient: User):
    return _render_hierarchies(patient)


@bp.post("/exposure/ladders", endpoint="create_hierarchy")
@bp.post("/patients/<int:patient_id>/exposure", endpoint="therapist_create_hierarchy")
@for_patient_or_therapist
def create_hierarchy(patient: User):
    form = HierarchyForm()
    if form.validate_on_submit():
        db = get_db()
        try:
            hierarchy = services.create_hierarchy(db, patient=patient, title=form.title.data)
        except ExposureError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            return redirect(link(patient, "hierarchy", hierarchy_id=hierarchy.id), 303)
    return _render_hierarchies(patient, form=form, status=400)


@bp.get("/exposure/ladders/<int:hierarchy_id>", endpoint="hierarchy")
@bp.get("/patients/<int:patient_id>/exposure/ladders/<int:hierarchy_id>", endpoint="therapist_hierarchy")
@for_patient_or_therapist
def hierarchy(patient: User, hierarchy_id: int):
    return _render_hierarchy(patient, _hierarchy(patient, hierarchy_id))


@bp.post("/exposure/ladders/<int:hierarchy_id>/items", endpoint="add_item")
@bp.post("/patients/<int:patient_id>/exposure/ladders/<int:hierarchy_id>/items", endpoint="therapist_add_item")
@for_patient_or_therapist
def add_item(patient: User, hierarchy_id: int):
    ladder = _hierarchy(patient, hierarchy_id)
    form = ItemForm()
    if form.validate_on_submit():
        db = get_db()
        try:
            services.add_item(db, hierarchy=ladder, kind=form.kind.data, description=form.description.data,
                              ritual=form.ritual.data, suds=form.suds.data, by=current_user, at=utcnow())
        except ExposureError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            return redirect(link(patient, "hierarchy", hierarchy_id=ladder.id) + "#add-item", 303)
    return _render_hierarchy(patient, ladder, item_form=form, status=400)


@bp.post("/exposure/ladders/<int:hierarchy_id>/order", endpoint="reorder")
@bp.post("/patients/<int:patient_id>/exposure/ladders/<int:hierarchy_id>/order", endpoint="therapist_reorder")
@for_patient_or_therapist
def reorder(patient: User, hierarchy_id: int):
    """The button pressed carries the whole order as the person saw it after the move; stale views get a 409."""
    ladder = _hierarchy(patient, hierarchy_id)
    form = OrderForm()
    if not form.validate_on_submit():
        abort(400)
    raw_order = request.form.get("order", "")
    raw_version = form.version.data or ""
    order = [number for part in raw_order.split(",") if (number := whole_number(part)) is not None]
    db = get_db()
    try:
        seen_version = whole_number(raw_version)
        if seen_version is None or len(order) != len(raw_order.split(",")):
            raise StaleOrder()
        services.reorder(db, hierarchy=ladder, order=order, seen_version=seen_version)
    except StaleOrder as error:
        db.rollback()
        return _render_hierarchy(patient, _hierarchy(patient, hierarchy_id), stale=error.message, status=409)
    db.commit()
    return redirect(link(patient, "hierarchy", hierarchy_id=ladder.id) + "#ladder", 303)


@bp.post("/exposure/items/<int:item_id>/rating", endpoint="rerate")
@bp.post("/patients/<int:patient_id>/exposure/items/<int:item_id>/rating", endpoint="therapist_rerate")
@for_patient_or_therapist
def rerate(patient: User, item_id: int):
    item = _item(patient, item_id)
    form = RerateForm()
    if form.validate_on_submit():
        db = get_db()
        try:
            services.rerate(db, item=item, suds=form.suds.data, by=current_user, at=utcnow())
        except ExposureError as error:
            form.suds.errors.append(error.message)
        else:
            db.commit()
            return redirect(link(patient, "hierarchy", hierarchy_id=item.hierarchy_id) + f"#item-{item.id}", 303)
    ladder = _hierarchy(patient, item.hierarchy_id)
    return _render_hierarchy(patient, ladder, rerate_errors={item.id: " ".join(map(str, form.suds.errors))}, status=400)


@bp.post("/exposure/items/<int:item_id>/status", endpoint="set_status")
@bp.post("/patients/<int:patient_id>/exposure/items/<int:item_id>/status", endpoint="therapist_set_status")
@for_patient_or_therapist
def set_status(patient: User, item_id: int):
    item = _item(patient, item_id)
    if not OrderForm().validate_on_submit():
        abort(400)
    db = get_db()
    try:
        recording_removed = services.set_status(db, item=item, status=request.form.get("status", ""))
    except ExposureError:
        abort(400)
    if recording_removed:
        record_recording(db, by=current_user, patient_id=patient.id, action="delete", at=utcnow())
    db.commit()
    return redirect(link(patient, "hierarchy", hierarchy_id=item.hierarchy_id) + "#ladder", 303)


@bp.get("/patients/<int:patient_id>/exposure/items/<int:item_id>")
@therapist_required
def therapist_item(patient_id: int, item_id: int):
    """Every practice of one item over time, as charts and a table: are distress and prediction coming down?"""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    item = _item(patient, item_id)
    practices = services.practices_of(db, item)
    ratings = services.ratings_of(db, item)
    timed = services.timed_ratings_of(db, practices)
    tz = ZoneInfo(patient.timezone)
    return render_template(
        "exposure/therapist_item.html", item=item, practices=practices, ratings=ratings,
        recording=recordings.details_of(db, item),
        curves={p.id: charts.practice_curve(p, timed.get(p.id, [])) for p in practices},
        hierarchy=_hierarchy(patient, item.hierarchy_id),
        suds_chart=charts.suds_chart(practices, ratings, tz=tz), expectancy_chart=charts.expectancy_chart(practices, tz=tz),
        expectancy_change=charts.expectancy_change, resisted_labels=RESISTED_LABELS, **_page_context(patient),
    )


@bp.get("/exposure")
@patient_required
def practice():
    db = get_db()
    ladders = [(h, [i for i in services.items_of(db, h) if i.status == ItemStatus.active])
               for h in services.hierarchies_of(db, current_user)]
    return render_template(
        "exposure/practice.html", ladders=ladders, recent=services.recent_practices(db, current_user),
        saved_token=request.args.get("saved", ""), kind_labels=KIND_LABELS, resisted_labels=RESISTED_LABELS,
    )


def _parse_started_at(raw: str | None) -> datetime | None:
    """The timer's start, sent as epoch milliseconds by exposure.js; anything else is ignored."""
    millis = whole_number(raw)
    if millis is None:
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


@bp.route("/exposure/items/<int:item_id>/practice", methods=["GET", "POST"])
@idempotent
@patient_required
def practice_item(item_id: int):
    item = _item(current_user, item_id)
    if item.status == ItemStatus.archived:
        abort(404)
    form = PracticeForm()
    last = services.practices_of(get_db(), item)
    if request.method == "GET":
        form.entry_token.data = str(uuid.uuid4())
        if last and last[-1].feared_outcome:
            form.feared_outcome.data = last[-1].feared_outcome
    elif form.validate_on_submit():
        db = get_db()
        now = utcnow()
        try:
            entry = check_practice(
                kind=item.kind, started_at=_parse_started_at(form.started_at.data),
                duration_minutes=form.duration_minutes.data, suds_before=form.suds_before.data,
                suds_peak=form.suds_peak.data, suds_after=form.suds_after.data,
                ritual_resisted=form.ritual_resisted.data, feared_outcome=form.feared_outcome.data,
                likelihood_before=form.likelihood_before.data, what_happened=form.what_happened.data,
                likelihood_after=form.likelihood_after.data, notes=form.notes.data, now=now,
                timed_ratings=form.timed_ratings.data,
            )
            services.log_practice(db, patient=current_user, item=item, entry=entry,
                                  entry_token=(form.entry_token.data or "")[:36], at=now)
        except ExposureError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            flash(_("Practice saved. Well done for facing it."), "success")
            return redirect(url_for("exposure.practice", saved=form.entry_token.data), 303)
    status = 400 if request.method == "POST" else 200
    response = make_response(render_template(
        "exposure/practice_item.html", item=item, form=form, is_erp=item.kind == ExposureKind.erp,
        kind_labels=KIND_LABELS, fresh=request.method == "GET", timed_ratings=_shown_timed_ratings(form),
        target_minutes=last[-1].duration_minutes if last else DEFAULT_TARGET_MINUTES,
        sent=recordings.details_of(get_db(), item) if item.kind == ExposureKind.pe_imaginal else None,
        recording_max_bytes=current_app.config["RECORDING_MAX_BYTES"],
    ), status)
    if item.kind == ExposureKind.pe_imaginal:
        response.headers["Permissions-Policy"] = MICROPHONE_ALLOWED  # the session recording, kept on the phone
    return response


def _shown_timed_ratings(form: PracticeForm) -> tuple[TimedRating, ...]:
    """The timer's ratings re-shown with a refused form (none if they are what was refused)."""
    try:
        return parse_timed_ratings(form.timed_ratings.data)
    except ExposureError:
        return ()


def _recording_answer(message: str, status: int, item: HierarchyItem):
    """The recorder's fetch gets JSON; a plain form post goes back to the practice page (or an error page)."""
    if recordings.wants_json():
        return jsonify({"message": message}), status
    if status >= 400:
        return render_template("errors/error.html", code=status, message=message), status
    flash(message, "success")
    return redirect(url_for("exposure.practice_item", item_id=item.id) + "#recording-heading", 303)


@bp.post("/exposure/items/<int:item_id>/recording")
@patient_required
def send_recording(item_id: int):
    """The patient chose to send this item's session recording to their therapist: kept, replacing the last one."""
    item = _item(current_user, item_id)
    if item.kind != ExposureKind.pe_imaginal or item.status == ItemStatus.archived:
        abort(404)
    limit = current_app.config["RECORDING_MAX_BYTES"]
    upload = request.files.get("audio")
    data = upload.read(limit + 1) if upload else b""
    if upload:
        upload.close()  # a large upload is spooled to a temporary file: let it go at once
    try:
        recording = recordings.check_recording(content_type=upload.content_type if upload else None, data=data,
                                               seconds=request.form.get("seconds"), limit=limit)
    except recordings.RecordingRefused as refused:
        return _recording_answer(refused.message, refused.status, item)
    db = get_db()
    now = utcnow()
    recordings.keep(db, patient=current_user, item=item, recording=recording, at=now)
    record_recording(db, by=current_user, patient_id=current_user.id, action="upload", at=now)
    db.commit()
    return _recording_answer(_("Sent to your therapist."), 201 if recordings.wants_json() else 303, item)


@bp.post("/exposure/items/<int:item_id>/recording/remove")
@patient_required
def remove_recording(item_id: int):
    """The patient takes back the copy they sent; the one on their phone stays."""
    item = _item(current_user, item_id)
    if not OrderForm().validate_on_submit():
        abort(400)
    db = get_db()
    if recordings.remove(db, item=item):
        record_recording(db, by=current_user, patient_id=current_user.id, action="delete", at=utcnow())
    db.commit()
    return _recording_answer(_("Removed from the clinic. The recording on this phone is still here."), 303, item)


@bp.get("/patients/<int:patient_id>/exposure/items/<int:item_id>/recording")
@therapist_required
def listen_recording(patient_id: int, item_id: int):
    """The session recording the patient sent, for their therapists to play (each request is in the audit log)."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    recording = recordings.audio_of(db, _item(patient, item_id))
    if recording is None:
        abort(404)
    response = Response(recording.audio, mimetype=recording.mime_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = "inline"
    return response.make_conditional(request, accept_ranges=True, complete_length=recording.size_bytes)
