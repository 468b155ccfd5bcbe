"""Fixtures: an app on a clean database per test, a CSRF-aware client, users, and sign-in helpers."""
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (all tables)
from app import create_app
from app.config import normalise_database_url
from app.db import make_engine
from tests.factories import TEST_PASSWORD, make_admin, make_patient, make_therapist
from tests.support.databases import postgres_database

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
TEST_CSRF = "test-csrf-raw-token"


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'sqlite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """TEST_DATABASE_URL (PostgreSQL in CI) or a temporary SQLite file; the schema is built once per run."""
    url = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith("postgresql"):
        # Each pytest-xdist worker gets a database of its own (`<db>_gw0`, ...); SQLite needs nothing (each
        # worker already has its own temporary directory).
        with postgres_database(url, f"{make_url(url).database}_{worker}") as own:
            yield _with_schema(own)
    else:
        yield _with_schema(url)


def _with_schema(url: str) -> str:
    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return url


def wipe(engine) -> None:
    """Every test starts from empty tables (never from another test's leftovers)."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


class CsrfClient(FlaskClient):
    """Sends a valid CSRF token with every unsafe request, as the real pages do; pass csrf=False to omit it."""

    def open(self, *args, csrf: bool = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method in UNSAFE:
            with self.session_transaction() as session:
                session["csrf_token"] = TEST_CSRF
            signed = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(TEST_CSRF)
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", signed)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "SERVER_NAME": None,
            "PUSH_ALLOW_INSECURE_HOSTS": ("127.0.0.1", "localhost"),
        }
    )
    application.instance_path = str(tmp_path / "instance")
    Path(application.instance_path).mkdir()
    application.test_client_class = CsrfClient
    wipe(application.extensions["engine"])
    yield application
    application.extensions["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session for arranging and checking data directly (the app uses its own per request)."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


class AuthActions:
    """Sign in and out the way a person does, through the login form."""

    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = TEST_PASSWORD, remember: bool = False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def therapist(db):
    return make_therapist(db, email="therapist@example.org", name="Dr. Ada Byron")


@pytest.fixture
def patient(db, therapist):
    return make_patient(db, therapist=therapist, email="patient@example.org", name="Pat Example")


@pytest.fixture
def admin(db):
    return make_admin(db, email="admin@example.org", name="Clinic Staff")


def sign_in(client, user) -> None:
    """Fast sign-in for tests that are not about signing in: the same session the login form creates (with its
    server-side device session row)."""
    from app.security import device_sessions

    application = client.application
    signed_at = int(datetime.now(timezone.utc).timestamp())
    at = application.config.get("CLOCK", lambda: datetime.now(timezone.utc))()
    with application.app_context(), Session(application.extensions["engine"]) as db:
        key = device_sessions.start(db, user=user, at=at)
        db.commit()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}:{key}"
        session["_fresh"] = True
        session["_id"] = _client_identifier(client)  # Flask-Login's "basic" protection un-freshens without it
        session["fresh_at"] = session["last_seen"] = signed_at  # as app.security.sessions.mark_signed_in does


def _client_identifier(client) -> str:
    """The session identifier Flask-Login derives from the test client's address and user agent."""
    from flask_login.utils import _create_identifier

    with client.application.test_request_context(environ_base=client.environ_base):
        return _create_identifier()


@pytest.fixture
def patient_client(client, patient):
    sign_in(client, patient)
    return client


@pytest.fixture
def therapist_client(client, therapist):
    sign_in(client, therapist)
    return client


@pytest.fixture
def admin_client(client, admin):
    sign_in(client, admin)
    return client
