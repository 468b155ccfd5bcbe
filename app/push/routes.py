"""Reminder settings, the push subscription API used by static/js/push.js, and the service worker itself."""
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from app.db import get_db
from app.models import Role
from app.models.push import Notification, ReminderKind
from app.models.types import utcnow
from app.policy import role_required
from app.push import texts
from app.push.forms import ReminderSettingsForm
from app.push.reminders import PATIENT_URL, THERAPIST_URL, queue_notification, quiet_hours_of, settings_for
from app.push.settings import save_settings
from app.push.subscriptions import (
    SubscriptionError, SubscriptionTaken, delete_subscription, devices_of, save_subscription,
)
from app.push.timing import QuietHours
from app.push.vapid import load_vapid_keys
from app.security.content import accepts_json

bp = Blueprint("push", __name__)

people_with_reminders = role_required(Role.patient, Role.therapist)


@bp.get("/api/push/key")
@login_required
def public_key():
    keys = load_vapid_keys(Path(current_app.instance_path), env_value=current_app.config.get("VAPID_PRIVATE_KEY"))
    if keys is None:
        return jsonify(error="Reminders are not set up on this server yet."), 503
    return jsonify(publicKey=keys.application_server_key)


@bp.post("/api/push/subscriptions")
@people_with_reminders
@accepts_json
def subscribe():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(field="subscription", message="Send the subscription as JSON."), 400
    db = get_db()
    try:
        subscription = save_subscription(
            db,
            user=current_user,
            data=data,
            allowlist=current_app.config["PUSH_ENDPOINT_ALLOWLIST"],
            insecure_hosts=current_app.config["PUSH_ALLOW_INSECURE_HOSTS"],
            now=utcnow(),
        )
    except SubscriptionTaken as error:
        return jsonify(field=error.field, message=error.message), 409
    except SubscriptionError as error:
        return jsonify(field=error.field, message=error.message), 400
    db.commit()
    return jsonify(id=subscription.id), 201


@bp.delete("/api/push/subscriptions")
@people_with_reminders
@accepts_json
def unsubscribe():
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return jsonify(field="endpoint", message="Say which subscription to remove."), 400
    db = get_db()
    delete_subscription(db, user=current_user, endpoint=endpoint)
    db.commit()
    return "", 204


@bp.route("/settings/reminders", methods=["GET", "POST"])
@people_with_reminders
def settings():
    db = get_db()
    stored = settings_for(db, current_user.id)
    form = ReminderSettingsForm(obj=stored)
    if request.method == "GET":
        form.quiet.data = quiet_hours_of(stored) is not None
    if form.validate_on_submit():
        quiet = QuietHours(form.quiet_start.data, form.quiet_end.data) if form.quiet.data else None
        save_settings(
            db,
            user=current_user,
            flags={name: getattr(form, name).data for name in ("post_tms", "post_tms_nudge", "checkin", "homework",
                                                                "questionnaires", "digest", "detailed_text")},
            checkin_time=form.checkin_time.data,
            digest_time=form.digest_time.data,
            quiet=quiet,
            now=utcnow(),
        )
        db.commit()
        flash(_("Reminder settings saved."), "success")
        return redirect(url_for("push.settings"), 303)
    status = 400 if request.method == "POST" else 200
    preview = texts.homework_due(title="Thought record", due="6 pm", detailed=bool(form.detailed_text.data))
    return render_template("push/settings.html", form=form, devices=devices_of(db, current_user),
                           preview=preview), status


TESTS_PER_HOUR = 5
TEST_GAP = timedelta(minutes=1)


def recent_tests(db, *, user, now, within: timedelta = timedelta(hours=1)) -> int:
    """Test notifications this person queued recently: counted in the database, so every worker agrees."""
    return db.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == ReminderKind.test,
        Notification.created_at > now - within)).one()


@bp.post("/settings/reminders/test")
@people_with_reminders
def send_test():
    """Queue a test notification to every device now; the clock process sends it within its interval."""
    db = get_db()
    if not devices_of(db, current_user):
        flash(_("No device gets reminders yet. Turn on reminders on this device first, then send a test."), "error")
        return redirect(url_for("push.settings"), 303)
    now = utcnow()
    if recent_tests(db, user=current_user, now=now) >= TESTS_PER_HOUR or recent_tests(
        db, user=current_user, now=now, within=TEST_GAP
    ):
        flash(_("A test was sent a moment ago. Please wait a minute (at most 5 tests an hour)."), "error")
        return redirect(url_for("push.settings"), 303)
    queue_notification(
        db,
        user=current_user,
        kind=ReminderKind.test,
        occurrence_key=f"test:{now.isoformat()}",
        text=texts.device_check(),
        url=PATIENT_URL if current_user.role == Role.patient else THERAPIST_URL,
        due_at=now,
    )
    db.commit()
    flash(_("A test notification is on its way to your devices (within a minute)."), "success")
    return redirect(url_for("push.settings"), 303)
