"""Who may do what, for every route in the URL map, checked with real objects owned by patient A.

A route missing from MATRIX fails test_every_route_has_an_entry, so nothing ships unchecked. Adding a route is
one line: its (endpoint, method) and the expected result for
(anonymous, patient A, patient B, A's therapist, another therapist, admin).
LOGIN means a redirect to the sign-in page; 302 any other redirect.
"""
import pytest
from flask import url_for

from tests.conftest import sign_in
from tests.support.world import ROLES, build_world

LOGIN = "login"

PATIENT_OWN = (LOGIN, 200, 200, 403, 403, 403)  # a patient's own pages: each patient sees their own
CLINICAL = (LOGIN, 403, 403, 200, 404, 403)  # A's clinical record: only A's therapist
SCHEDULING = (LOGIN, 403, 403, 200, 404, 200)  # A's TMS schedule: A's therapist and clinic staff
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
EVERYONE = (200, 200, 200, 200, 200, 200)

MATRIX: dict[tuple[str, str], tuple] = {
    ("admin.index", "GET"): ADMIN_ONLY,
    ("admin.issue_link", "POST"): (LOGIN, 403, 403, 200, 404, 200),
    ("admin.new_patient", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("admin.new_patient", "POST"): (LOGIN, 403, 403, 400, 400, 400),
    ("admin.new_staff", "GET"): ADMIN_ONLY,
    ("admin.new_staff", "POST"): (LOGIN, 403, 403, 403, 403, 400),
    ("admin.reassign", "GET"): ADMIN_ONLY,
    ("admin.reassign", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("admin.set_active", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("auth.change_password", "GET"): SIGNED_IN,  # signed in moments ago, so the sign-in is fresh
    ("auth.change_password", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("auth.invite", "GET"): EVERYONE,
    ("auth.invite", "POST"): (400, 400, 400, 400, 400, 400),
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (400, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("auth.reauth", "GET"): SIGNED_IN,
    ("auth.reauth", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("auth.reset", "GET"): EVERYONE,
    ("auth.reset", "POST"): (400, 400, 400, 400, 400, 400),
    ("auth.root", "GET"): (LOGIN, 302, 302, 302, 302, 302),
    ("homework.create", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.edit", "GET"): CLINICAL,
    ("homework.edit", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.end", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.patient_assignments", "GET"): CLINICAL,
    ("static", "GET"): EVERYONE,
    ("therapist.patient", "GET"): CLINICAL,
    ("therapist.patients", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("tms.add_session", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.calendar_create", "POST"): PATIENT_OWN,
    ("tms.calendar_feed", "GET"): EVERYONE,
    ("tms.calendar_revoke", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("tms.calendar_settings", "GET"): PATIENT_OWN,
    ("tms.clinic_today", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("tms.confirm", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("tms.create_course", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.patient_sessions", "GET"): SCHEDULING,
    ("tms.reschedule", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.set_status", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("today.index", "GET"): PATIENT_OWN,
    ("today.practice", "GET"): PATIENT_OWN,
    ("today.week", "GET"): PATIENT_OWN,
}

# A valid body for actions whose permitted callers should succeed, so "allowed" means the action really happens.
PAYLOADS: dict[str, dict] = {
    "admin.reassign": {"therapist_id": "{other_therapist_id}"},
    "admin.set_active": {"active": "0"},
    "homework.create": {"kind": "thought_record", "title": "Thought record", "instructions": "",
                        "start_date": "2026-03-02", "timing_kind": "post_tms", "window_hours": "4"},
    "homework.edit": {"title": "Evening record", "instructions": "", "timing_kind": "daily", "local_time": "19:00",
                      "window_hours": "4"},
    "tms.add_session": {"date": "2026-03-14", "time": "10:00"},
    "tms.create_course": {"label": "Second course", "protocol": "standard", "start_date": "2026-05-04", "weeks": "1",
                          "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]},
    "tms.reschedule": {"date": "2026-03-02", "time": "15:30"},
    "tms.set_status": {"status": "completed"},
}


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def payload_for(endpoint: str, world) -> dict:
    """The route's valid body, with {placeholders} filled from the world's objects."""
    return {k: (v.format(**world.params) if isinstance(v, str) else v) for k, v in PAYLOADS.get(endpoint, {}).items()}


def request_url(app, world, endpoint: str, method: str) -> str:
    """The endpoint's URL with its parameters filled from patient A's objects."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
    with app.test_request_context():
        return url_for(endpoint, **world.url_values(endpoint, set(rule.arguments)))


def request_for(app, world, endpoint: str, method: str, role: str, client):
    """Send `method` to `endpoint` as `role`, with the route's payload if it has one."""
    url = request_url(app, world, endpoint, method)
    if role != "anonymous":
        sign_in(client, world.users[role])
    return client.open(url, method=method, data=payload_for(endpoint, world) if method != "GET" else None)


def test_every_route_has_an_entry(app):
    routes = app_routes(app)
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes with no authorization entry in MATRIX: {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint,method", sorted(MATRIX))
def test_access(app, db, client, endpoint, method, role):
    world = build_world(db)
    expected = MATRIX[(endpoint, method)][ROLES.index(role)]
    with request_for(app, world, endpoint, method, role, client) as response:
        if expected == LOGIN:
            assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login")
        else:
            assert response.status_code == expected
            if expected == 302:
                assert not response.headers["Location"].startswith("/login")
