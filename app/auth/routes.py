"""Sign in (with per-address limits and per-account lockout), sign out, re-enter the password for sensitive
actions, change the password, and redeem invite or password-reset links."""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_babel import gettext as _

from app.auth import accounts, lockout
from app.auth.forms import ChangePasswordForm, LoginForm, ReauthForm, SetPasswordForm
from app.auth.passwords import WeakPassword
from app.db import get_db
from app.extensions import limiter
from app.models import Onboarding, Role, User
from app.models.types import utcnow
from app.policy import fresh_login_required
from app.security import device_sessions
from app.security.request_log import log_event
from app.security.sessions import mark_signed_in, now
from app.validation import safe_next

bp = Blueprint("auth", __name__)

LINK_PROBLEMS = {
    "unknown": "This link isn't valid. Ask your clinic for a new one.",
    "used": "This link has already been used. Sign in, or ask your clinic for a new link.",
    "expired": "This link has expired (links last 72 hours). Ask your clinic for a new one.",
}


def home_for(user) -> str:
    """Where signing in lands: a patient who hasn't seen the welcome tour yet starts it (skippable)."""
    if user.role == Role.patient and user.onboarding == Onboarding.pending:
        return url_for("onboarding.resume")
    return {
        Role.patient: url_for("today.index"),
        Role.therapist: url_for("therapist.patients"),
        Role.admin: url_for("tms.clinic_today"),
        Role.physician: url_for("therapist.patients"),
        Role.technician: url_for("tms.clinic_today"),
    }[user.role]


_safe_next = safe_next


@bp.route("/")
def root():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


LOCKED_MESSAGE = (
    "Too many attempts to sign in to this account. For your security it is paused for {minutes} minutes; "
    "try again later or ask your clinic for a reset link."
)
ADDRESS_LOCKED_MESSAGE = (
    "Too many failed sign-ins from this network. For everyone's security sign-in from here is paused for "
    "{minutes} minutes; try again later or from another connection."
)


def _locks(email: str) -> list[tuple[str, lockout.LockoutRule, str]]:
    """(key, rule, message) for the account and for the address: the same window and pause, a higher count for an
    address (a clinic's Wi-Fi is shared by many patients)."""
    config = current_app.config
    minutes = timedelta(minutes=config["LOCKOUT_MINUTES"])
    return [
        (lockout.account_key(email), lockout.LockoutRule(config["LOCKOUT_FAILURES"], minutes, minutes), LOCKED_MESSAGE),
        (lockout.address_key(request.remote_addr), lockout.LockoutRule(config["ADDRESS_LOCKOUT_FAILURES"], minutes, minutes),
         ADDRESS_LOCKED_MESSAGE),
    ]


def _lock_message(db, locks, at) -> str | None:
    """The message of the first lock in force (the account's before the address's), else None."""
    for key, rule, message in locks:
        if lockout.lock_ends_at(db, key, now=at, rule=rule):
            return message.format(minutes=current_app.config["LOCKOUT_MINUTES"])
    return None


def _check_password(db, email: str, password: str):
    """(user, None) on success, else (None, message, status): locked accounts and addresses aren't even checked."""
    locks = _locks(email)
    at = now()
    if message := _lock_message(db, locks, at):
        log_event("login_locked")
        return None, message, 429
    user = accounts.authenticate(db, email, password)
    if user is None:
        lockout.record_failure(db, {key: rule for key, rule, _ in locks}, now=at)
        db.commit()
        log_event("login_failed")
        if message := _lock_message(db, locks, at):
            return None, message, 429
        return None, "That email and password don't match an active account.", 400
    lockout.clear_failures(db, lockout.account_key(email))
    db.commit()
    return user, None, 200


def _sign_in(user, *, remember: bool) -> None:
    """A new session on sign-in (no fixation), backed by a server-side row that logout can end."""
    session.clear()
    db = get_db()
    user._device_key = device_sessions.start(db, user=user, at=now())
    db.commit()
    login_user(user, remember=remember and user.role == Role.patient)
    mark_signed_in()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user, message, status = _check_password(get_db(), form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            log_event("login")
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append(message)
    elif request.method == "POST":
        status = 400
    form.password.data = ""
    return render_template("auth/login.html", form=form), status


@bp.route("/reauth", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def reauth():
    """Type the password again before a sensitive action; patients kept signed in on their phone land here."""
    form = ReauthForm()
    status = 200
    if form.validate_on_submit():
        user, message, status = _check_password(get_db(), current_user.email, form.password.data)
        if user is not None:
            login_user(user, fresh=True)  # keeps the remember-me cookie; marks this session fresh
            mark_signed_in()
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append(message)
    elif request.method == "POST":
        status = 400
    return render_template("auth/reauth.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@fresh_login_required
def change_password():
    """Any signed-in person changes their password; every other device is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_db()
        user = db.get(User, current_user.id)
        try:
            accounts.set_password(db, user=user, password=form.password.data)
        except WeakPassword as error:
            form.password.errors.append(error.message)
        else:
            db.commit()
            _sign_in(user, remember=False)
            log_event("password_changed")
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(home_for(user), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


def _end_this_device() -> None:
    if current_user.is_authenticated and current_user._device_key:
        db = get_db()
        device_sessions.end(db, key=current_user._device_key, at=now())
        db.commit()


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of this account (a lost phone, a shared computer), this one included."""
    db = get_db()
    device_sessions.end_all(db, user_id=current_user.id, at=now())
    db.commit()
    log_event("signed_out_everywhere")
    session.clear()
    logout_user()
    flash(_("You are signed out on every device, this one included."), "info")
    response = redirect(url_for("auth.login"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/logout")
def logout():
    _end_this_device()
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember-me cookie
    flash(_("You are signed out."), "info")
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/invite/<token>", methods=["GET", "POST"], endpoint="invite")
@bp.route("/reset/<token>", methods=["GET", "POST"], endpoint="reset")
def redeem(token: str):
    """Invite and reset links share one page: set a password, then you are signed in."""
    db = get_db()
    try:
        _record, user = accounts.check_link(db, token, now=utcnow())
    except accounts.LinkInvalid as problem:
        return render_template("auth/link_invalid.html", message=LINK_PROBLEMS[problem.reason]), 410
    form = SetPasswordForm()
    if request.method == "GET":
        form.timezone.data = user.timezone
    if form.validate_on_submit():
        try:
            user = accounts.redeem_link(
                db, token, password=form.password.data, timezone=form.timezone.data, now=utcnow()
            )
        except accounts.LinkInvalid as problem:  # redeemed by a parallel request a moment ago
            db.rollback()
            return render_template("auth/link_invalid.html", message=LINK_PROBLEMS[problem.reason]), 410
        except (WeakPassword, accounts.AccountError) as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            _sign_in(user, remember=True)
            flash(_("Your password is set. Welcome!"), "success")
            return redirect(home_for(user))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, user=user, is_invite=request.endpoint == "auth.invite"), status


@bp.get("/healthz")
def healthz():
    """For the load balancer (503 when the database is unreachable) and monitoring (the clock's heartbeat age)."""
    from app.health import health_report

    return health_report(now=utcnow())
