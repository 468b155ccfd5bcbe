"""Configuration read from the environment, with safe defaults for a single clinic."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from app.push.sender import DEFAULT_PUSH_ALLOWLIST


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY if set; otherwise generate one into instance/ on first run and reuse it."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _instance_id(instance_path: Path) -> str:
    """INSTANCE_ID if set; otherwise a random id generated into instance/ on first run and kept, like the secret key.

    Identifiers and calendar UIDs fall back on it when PUBLIC_BASE_URL is unset, so they never follow the Host header.
    """
    if value := os.environ.get("INSTANCE_ID", "").strip().lower():
        return value
    id_file = instance_path / "instance_id"
    if id_file.exists():
        return id_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(8)
    id_file.write_text(value)
    return value


def normalise_database_url(url: str) -> str:
    """Accept Heroku-style postgres:// URLs and always use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _hosts(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list of host names (blank entries ignored); unset means the default."""
    value = os.environ.get(name)
    if value is None:
        return default
    return tuple(host.strip().lower() for host in value.split(",") if host.strip())


def load_config(instance_path: Path) -> dict:
    """Everything the app reads from the environment, in one place (see .env.example)."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'app.db'}"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": normalise_database_url(database_url),
        "CLINIC_NAME": os.environ.get("CLINIC_NAME", "TMS Clinic"),
        "CLINIC_TIMEZONE": os.environ.get("CLINIC_TIMEZONE", "America/New_York"),
        "PHONE_REGION": os.environ.get("PHONE_REGION", "US").upper(),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
        "INSTANCE_ID": _instance_id(instance_path),
        "MRN_SYSTEM": os.environ.get("MRN_SYSTEM", "").strip(),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        "SESSION_COOKIE_SECURE": _flag("SECURE_COOKIES", False),
        "REMEMBER_COOKIE_SECURE": _flag("SECURE_COOKIES", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30"))),
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "30")),
        "STAFF_SESSION_HOURS": int(os.environ.get("STAFF_SESSION_HOURS", "12")),
        "FRESH_LOGIN_MINUTES": 10,
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: limits per process until it is back, not a 500
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "20 per minute;200 per hour"),
        "LOCKOUT_FAILURES": 5,
        "ADDRESS_LOCKOUT_FAILURES": int(os.environ.get("ADDRESS_LOCKOUT_FAILURES", "30")),
        "LOCKOUT_MINUTES": 15,
        "WTF_CSRF_TIME_LIMIT": None,
        "INVITE_HOURS": 72,
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY", ""),
        "PUSH_SUBSCRIBER": os.environ.get("PUSH_SUBSCRIBER", "mailto:push@example.org"),
        "PUSH_ENDPOINT_ALLOWLIST": _hosts("PUSH_ENDPOINT_ALLOWLIST", DEFAULT_PUSH_ALLOWLIST),
        "PUSH_ALLOW_INSECURE_HOSTS": _hosts("PUSH_ALLOW_INSECURE_HOSTS", ()),
        "SCHEDULER_DELIVERY_SECONDS": int(os.environ.get("SCHEDULER_DELIVERY_SECONDS", "30")),
        "RECORDING_MAX_BYTES": int(os.environ.get("RECORDING_MAX_MB", "25")) * 1024 * 1024,
        "PUSH_TIMEOUT_SECONDS": float(os.environ.get("PUSH_TIMEOUT_SECONDS", "5")),
    }
