"""Sign in, sign out, and redeem invite or password-reset links."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import accounts
from app.auth.forms import LoginForm, SetPasswordForm
from app.auth.passwords import WeakPassword
from app.db import get_db
from app.models import Role
from app.models.types import utcnow

bp = Blueprint("auth", __name__)

LINK_PROBLEMS = {
    "unknown": "This link isn't valid. Ask your clinic for a new one.",
    "used": "This link has already been used. Sign in, or ask your clinic for a new link.",
    "expired": "This link has expired (links last 72 hours). Ask your clinic for a new one.",
}


def home_for(user) -> str:
    return {
        Role.patient: url_for("today.index"),
        Role.therapist: url_for("therapist.patients"),
        Role.admin: url_for("tms.clinic_today"),
    }[user.role]


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so the login form cannot be used to redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def root():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(get_db(), form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a new session on sign-in (no fixation)
            login_user(user, remember=form.remember.data and user.role == Role.patient)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors.append("That email and password don't match an active account.")
    if request.method == "POST":
        status = 400 if form.errors else 200
    form.password.data = ""
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember-me cookie
    flash("You are signed out.", "info")
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
        except (WeakPassword, accounts.AccountError) as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.commit()
            session.clear()
            login_user(user, remember=user.role == Role.patient)
            flash("Your password is set. Welcome!", "success")
            return redirect(home_for(user))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/set_password.html", form=form, user=user, is_invite=request.endpoint == "auth.invite"), status


@bp.get("/healthz")
def healthz():
    """Liveness for the load balancer and the trivial page for benchmarks: one round trip to the database."""
    from sqlalchemy import text

    get_db().exec(text("SELECT 1"))
    return {"status": "ok"}
