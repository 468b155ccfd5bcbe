"""Logout ends the session on the server (issue 19, finding 2): a copied session or remember-me cookie stops
working at logout; each device has its own; "sign out everywhere" ends them all; phones stay signed in 30 days."""
from datetime import datetime, timezone

import pytest

from tests.requests.test_security import Clock


@pytest.fixture
def clock(app):
    clock = Clock(datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc))
    app.config["CLOCK"] = clock
    return clock


def _copy(app, client, name):
    """Another browser holding a copy of one of `client`'s cookies (an attacker, or a stolen backup)."""
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_copied_patient_session_cookie_dies_with_logout(app, client, auth, patient):
    auth.login(patient.email)
    thief = _copy(app, client, "session")
    assert thief.get("/today").status_code == 200
    auth.logout()
    assert thief.get("/today").status_code == 302


def test_a_copied_therapist_session_cookie_dies_with_logout(app, client, auth, therapist, patient):
    auth.login(therapist.email)
    thief = _copy(app, client, "session")
    assert thief.get(f"/patients/{patient.id}").status_code == 200
    auth.logout()
    assert thief.get(f"/patients/{patient.id}").status_code == 302


def test_a_copied_remember_cookie_dies_with_logout(app, client, auth, patient):
    auth.login(patient.email, remember=True)
    thief = _copy(app, client, "remember_token")
    assert thief.get("/today").status_code == 200
    auth.logout()
    assert thief.get("/today").status_code == 302
    assert _copy(app, thief, "remember_token").get("/today").status_code == 302


def test_each_device_has_its_own_session_and_logout_ends_only_that_one(app, patient):
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post("/login", data={"email": patient.email, "password": "correct horse battery staple", "remember": "y"})
    assert phone.get_cookie("remember_token").value != laptop.get_cookie("remember_token").value
    laptop.post("/logout")
    assert laptop.get("/today").status_code == 302
    assert phone.get("/today").status_code == 200


def test_sign_out_everywhere_ends_every_device(app, client, auth, patient):
    other = app.test_client()
    other.post("/login", data={"email": patient.email, "password": "correct horse battery staple", "remember": "y"})
    auth.login(patient.email, remember=True)
    remembered = _copy(app, other, "remember_token")
    assert "Sign out everywhere" in client.get("/settings/reminders").text
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/today").status_code == 302
    assert other.get("/today").status_code == 302
    assert remembered.get("/today").status_code == 302


def test_sign_out_everywhere_needs_the_form_token(patient_client):
    assert patient_client.post("/account/sign-out-everywhere", csrf=False).status_code == 400


def test_a_phone_stays_signed_in_for_thirty_days_then_signs_in_again(app, client, auth, patient, clock):
    auth.login(patient.email, remember=True)
    clock.advance(days=29, hours=23)
    assert client.get("/today").status_code == 200
    assert _copy(app, client, "remember_token").get("/today").status_code == 200
    clock.advance(hours=2)
    assert client.get("/today").status_code == 302


def test_a_staff_sign_in_lasts_one_working_day_at_most(client, auth, therapist, clock):
    auth.login(therapist.email)
    for _ in range(24):  # busy all day (11.6 hours), never idle for 30 minutes
        clock.advance(minutes=29)
        assert client.get("/patients").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/patients").status_code == 302
