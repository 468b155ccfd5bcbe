"""Extensions created once and bound in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
login_manager.refresh_view = "auth.reauth"
login_manager.needs_refresh_message = "Please enter your password again to continue."
login_manager.needs_refresh_message_category = "info"

csrf = CSRFProtect()

limiter = Limiter(key_func=get_remote_address)
"""Per-address limits; storage from RATELIMIT_STORAGE_URI (redis:// shares counts across gunicorn workers)."""

babel = Babel()
"""Translations (Flask-Babel): locale and time zone selectors are set in app/i18n/__init__.py."""
