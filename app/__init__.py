"""The application factory: configuration, extensions, blueprints and CLI, and nothing at import time."""
from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from app import audit, data_version, db, formatting, i18n, listeners, pwa, security
from app.config import load_config
from app.extensions import csrf, limiter, login_manager

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)

    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    security.init_app(app)
    db.init_app(app)
    formatting.init_app(app)
    i18n.init_app(app)
    audit.init_app(app)
    listeners.connect()
    data_version.install()
    pwa.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _register_user_loader()
    _register_blueprints(app)
    _register_error_pages(app)
    _register_cli(app)
    return app


def _register_user_loader() -> None:
    from app.security import device_sessions
    from app.security.sessions import now

    @login_manager.user_loader
    def load_user(user_id: str):
        """Cookie holds "id:session_version:device key"; a bumped version (password change, deactivation) or an
        ended device session (logout, sign out everywhere) signs out."""
        parsed = device_sessions.parse_cookie_id(user_id)
        if parsed is None:
            return None
        raw_id, version, key = parsed
        user = device_sessions.signed_in_user(db.get_db(), user_id=raw_id, version=version, key=key, at=now())
        if user is not None:
            user._device_key = key
        return user


def _register_blueprints(app: Flask) -> None:
    from app.activation.routes import bp as activation_bp
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.careteam.routes import bp as careteam_bp
    from app.checkins.routes import bp as checkins_bp
    from app.clinic.routes import bp as clinic_bp
    from app.dbt.routes import bp as dbt_bp
    from app.directory.routes import bp as directory_bp
    from app.exports.routes import bp as exports_bp
    from app.exposure.routes import bp as exposure_bp
    from app.homework.routes import bp as homework_bp
    from app.i18n.routes import bp as i18n_bp
    from app.push.routes import bp as push_bp
    from app.pwa.routes import bp as pwa_bp
    from app.safety.routes import bp as safety_bp
    from app.sites.routes import bp as sites_bp
    from app.therapist.routes import bp as therapist_bp
    from app.thoughts.routes import bp as thoughts_bp
    from app.tms.routes import bp as tms_bp
    from app.today.routes import bp as today_bp

    for blueprint in (
        auth_bp, admin_bp, today_bp, therapist_bp, tms_bp, homework_bp, safety_bp, checkins_bp, exposure_bp, dbt_bp,
        thoughts_bp, activation_bp, push_bp, exports_bp, pwa_bp, clinic_bp, i18n_bp, directory_bp, careteam_bp,
        sites_bp,
    ):
        app.register_blueprint(blueprint)


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        from flask import request
        from flask_login import current_user

        if "Idempotency-Key" in request.headers and not current_user.is_authenticated:
            # The outbox syncing after the session ended: its token died with the session; keep the entry, sign in.
            return "Sign in again to send this entry.", 401, {"Content-Type": "text/plain; charset=utf-8"}
        message = "This form had expired or was sent from somewhere else. Please go back, reload and try again."
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(DataError)
    def data_error(error):
        """A value the column type cannot hold (out-of-range number, bad encoding) is the sender's mistake."""
        message = "Some of what was sent isn't valid. Please check the form and try again."
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        """The database dropped the connection (restart, failover); the pool reconnects, so ask to retry."""
        app.logger.warning("database unavailable: %s", type(error.orig).__name__ if error.orig else "OperationalError")
        db.discard_session()
        message = "We couldn't reach your records just now. Nothing was lost; please try again in a moment."
        page = render_template("errors/error.html", code=503, message=message)
        return page, 503, {"Retry-After": "5"}

    @app.errorhandler(400)
    def bad_request(error):
        """A clear sentence when the view gave one (a date out of range in the address), else a generic one."""
        default = type(error).description
        message = error.description if error.description and error.description != default else (
            "Some of what was sent isn't valid. Please go back and check it.")
        return render_template("errors/error.html", code=400, message=message), 400

    for code, message in {
        403: "This page isn't part of your account.",
        404: "We couldn't find that page.",
        405: "That action isn't available here.",
        415: "This page only accepts its own form.",
        429: "Too many attempts in a short time. Please wait a few minutes and try again.",
        500: "Something went wrong on our side. Your last entry may not have been saved.",
    }.items():
        app.register_error_handler(
            code, lambda _e, code=code, message=message: (render_template("errors/error.html", code=code, message=message), code)
        )


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
