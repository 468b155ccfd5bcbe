"""Headers, request ids and logs, lockout and rate limits, staff idle timeout, fresh sign-in, password change."""
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from app import create_app
from app.auth import accounts, lockout
from app.auth.events import user_deactivated
from app.models import LoginFailure, User
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "blue kettle under the stairs"


class Clock:
    """A controllable clock for the CLOCK config hook."""

    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock(app):
    clock = Clock(datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc))
    app.config["CLOCK"] = clock
    return clock


def _request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "app.requests" and r.getMessage().startswith("{")]


# -- headers and cookies


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_signed_in_pages_are_never_cached(patient_client):
    assert patient_client.get("/today").headers["Cache-Control"] == "no-store"


def test_proxy_count_trusts_forwarded_https_for_hsts(database_url, monkeypatch):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k", "PROXY_COUNT": 1})
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    app.extensions["engine"].dispose()


def test_production_cookies_are_secure_httponly_and_lax(database_url, monkeypatch, patient):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False})
    response = app.test_client().post(
        "/login", base_url="https://localhost", data={"email": patient.email, "password": TEST_PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    assert "Expires=" in cookies["remember_token"]
    app.extensions["engine"].dispose()


# -- request ids and logs


def test_response_carries_a_request_id_and_accepts_a_sane_one(client):
    generated = client.get("/login").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/login", headers={"X-Request-ID": "edge-1234abcd"}).headers["X-Request-ID"] == "edge-1234abcd"
    assert client.get("/login", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"] != "bad id <script>"


def test_request_log_line_has_route_user_and_timing_but_no_body_or_query(caplog, patient_client, patient):
    caplog.set_level(logging.INFO, logger="app.requests")
    patient_client.get("/today?secret=mood-was-2")
    patient_client.post("/calendar/revoke", data={"note": "I feel hopeless"})
    lines = _request_lines(caplog)
    today = next(line for line in lines if line["endpoint"] == "today.index")
    assert today["method"] == "GET" and today["status"] == 200 and today["route"] == "/today"
    assert today["user_id"] == patient.id and today["role"] == "patient"
    assert isinstance(today["duration_ms"], float) and len(today["request_id"]) == 32
    assert "mood-was-2" not in caplog.text and "hopeless" not in caplog.text


def test_log_shows_route_pattern_not_link_tokens(caplog, client):
    caplog.set_level(logging.INFO, logger="app.requests")
    client.get("/invite/sEcReT-ToKeN-123")
    assert "sEcReT-ToKeN-123" not in caplog.text
    assert _request_lines(caplog)[-1]["route"] == "/invite/<token>"


def test_server_error_shows_reference_and_logs_it_without_the_path(app, caplog):
    @app.get("/explode/<token>")
    def explode(token):
        raise RuntimeError("boom")

    caplog.set_level(logging.INFO, logger="app.requests")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/explode/tok-abc-123")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert f"reference {request_id}" in response.text
    error = next(line for line in _request_lines(caplog) if line["event"] == "error")
    assert error["request_id"] == request_id and error["exception"] == "RuntimeError"
    assert "tok-abc-123" not in caplog.text


# -- lockout and rate limits


def _fail(client, email, times):
    return [client.post("/login", data={"email": email, "password": "wrong password here"}).status_code for _ in range(times)]


def test_five_failures_lock_the_account_for_fifteen_minutes(client, patient, clock):
    assert _fail(client, patient.email, 5) == [400, 400, 400, 400, 429]
    locked = client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429 and "paused for 15 minutes" in locked.text
    clock.advance(minutes=14, seconds=59)
    assert client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}).status_code == 429
    clock.advance(seconds=2)
    assert client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, patient, clock):
    for _ in range(4):
        _fail(client, patient.email, 1)
        clock.advance(minutes=5)
    assert _fail(client, patient.email, 1) == [400]
    assert client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}).status_code == 302


def test_unknown_email_locks_the_same_way(client, clock):
    first = _fail(client, "nobody@example.org", 5)
    assert first == [400, 400, 400, 400, 429]


def test_success_clears_the_accounts_failures_but_not_the_addresss(client, db, patient, clock):
    _fail(client, patient.email, 4)
    client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    client.post("/logout")
    keys = {row.account_key for row in db.exec(select(LoginFailure))}
    assert keys == {lockout.address_key("127.0.0.1")}
    assert _fail(client, patient.email, 4) == [400] * 4


def test_many_failures_from_one_address_pause_it_for_every_account(app, client, patient, clock):
    """Credential stuffing: one wrong password each for many emails; the account lock never triggers."""
    app.config["ADDRESS_LOCKOUT_FAILURES"] = 6
    statuses = [_fail(client, f"u{i}@example.org", 1)[0] for i in range(6)]
    assert statuses == [400] * 5 + [429]
    paused = client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert paused.status_code == 429 and "from this network" in paused.text
    elsewhere = client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD},
                            environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 302
    clock.advance(minutes=15, seconds=1)
    client.post("/logout")
    assert client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}).status_code == 302


def test_address_pause_is_counted_in_the_database_so_every_worker_sees_it(app, database_url, patient, clock):
    app.config["ADDRESS_LOCKOUT_FAILURES"] = 3
    for i in range(3):
        _fail(app.test_client(), f"u{i}@example.org", 1)
    other_worker = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
                               "CLOCK": clock, "ADDRESS_LOCKOUT_FAILURES": 3})
    other_worker.test_client_class = app.test_client_class
    response = other_worker.test_client().post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert response.status_code == 429 and "from this network" in response.text
    other_worker.extensions["engine"].dispose()


def test_lockout_is_counted_in_the_database_so_every_worker_sees_it(app, database_url, patient, clock):
    _fail(app.test_client(), patient.email, 5)
    other_worker = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key", "CLOCK": clock})
    other_worker.test_client_class = app.test_client_class
    response = other_worker.test_client().post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    other_worker.extensions["engine"].dispose()


def test_address_rate_limit_applies_across_accounts(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    statuses = [client.post("/login", data={"email": f"u{i}@example.org", "password": "x" * 12}).status_code for i in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "Too many attempts" in client.post("/login", data={"email": "z@example.org", "password": "y"}).text


# -- sessions


def test_login_rotates_the_session(client, patient):
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"].startswith(f"{patient.get_id()}:")


def test_staff_session_ends_after_thirty_idle_minutes(client, auth, therapist, clock):
    auth.login(therapist.email)
    clock.advance(minutes=29)
    assert client.get("/patients").status_code == 200
    clock.advance(minutes=30)
    assert client.get("/patients").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get("/patients")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/patients")
    assert client.get("/patients").status_code == 302


def test_patient_stays_signed_in_however_long_idle(client, auth, patient, clock):
    auth.login(patient.email, remember=True)
    clock.advance(days=3)
    assert client.get("/today").status_code == 200


def test_remember_me_is_for_patients_only(client, auth, therapist):
    response = auth.login(therapist.email, remember=True)
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


def test_password_change_needs_a_recent_sign_in(client, patient, clock):
    sign_in(client, patient)
    response = client.get("/account/password")
    assert response.status_code == 303 and response.headers["Location"] == "/reauth?next=/account/password"
    wrong = client.post("/reauth?next=/account/password", data={"password": "not my password"})
    assert wrong.status_code == 400
    right = client.post("/reauth?next=/account/password", data={"password": TEST_PASSWORD})
    assert right.headers["Location"] == "/account/password"
    assert client.get("/account/password").status_code == 200
    clock.advance(minutes=11)
    assert client.get("/account/password").status_code == 303


def test_remembered_session_is_not_fresh(app, client, auth, patient):
    auth.login(patient.email, remember=True)
    remember = client.get_cookie("remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/today").status_code == 200
    assert fresh.get("/account/password").status_code == 303


def test_changing_password_keeps_this_device_and_signs_out_others(app, db, client, auth, patient):
    other = app.test_client()
    sign_in(other, patient)
    auth.login(patient.email)
    response = client.post("/account/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert client.get("/today").status_code == 200
    assert other.get("/today").status_code == 302
    db.expire_all()
    assert accounts.authenticate(db, patient.email, NEW_PASSWORD) is not None


def test_changing_to_a_weak_password_is_refused(client, auth, db, patient):
    auth.login(patient.email)
    response = client.post("/account/password", data={"password": "password1234", "confirm": "password1234"})
    assert response.status_code == 400 and "too common" in response.text
    assert accounts.authenticate(db, patient.email, TEST_PASSWORD) is not None


def test_staff_can_change_their_password_too(client, auth, therapist):
    auth.login(therapist.email)
    assert client.post("/account/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303


# -- data lifecycle


def test_deactivation_announces_itself_for_other_features(db, patient):
    seen = []

    def receiver(user, db):
        seen.append((user.id, db))

    user_deactivated.connect(receiver)
    try:
        accounts.deactivate(db, user=db.get(User, patient.id))
    finally:
        user_deactivated.disconnect(receiver)
    assert seen == [(patient.id, db)]


def test_deactivated_patient_keeps_records_and_cannot_sign_in(db, admin_client, patient):
    from tests.factories import make_assignment
    from app.models import HomeworkKind

    make_assignment(db, patient=patient, kind=list(HomeworkKind)[0])
    admin_client.post(f"/admin/users/{patient.id}/active", data={"active": "0"})
    db.expire_all()
    assert db.get(User, patient.id).active is False
    from app.models import Assignment
    assert len(db.exec(select(Assignment).where(Assignment.patient_id == patient.id)).all()) == 1


# -- input the database can't hold


def test_nul_character_in_a_form_is_refused_before_the_database(therapist_client, patient):
    response = therapist_client.post(f"/patients/{patient.id}/homework", data={"title": "a\x00b"})
    assert response.status_code == 400


def test_id_beyond_the_database_integer_range_is_not_found(admin_client):
    assert admin_client.post(f"/users/{'9' * 30}/link").status_code == 404


def test_json_sent_to_a_form_view_is_refused(patient_client):
    assert patient_client.post("/calendar/revoke", json=False).status_code == 415
