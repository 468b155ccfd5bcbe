"""One policy for dates, whole numbers, JSON and redirect targets (issue 19, findings 3, 4 and 10): absurd input
is a clear 400 or an error beside the field, never a 500, never stored, and never slow."""
import time

import pytest
from sqlmodel import select

from app.models import Assignment, MoodCheckin, TmsCourse
from app.security.content import MAX_JSON_DEPTH, json_depth
from tests.conftest import sign_in
from tests.requests.test_authorization_matrix import LOGIN, MATRIX, PAYLOADS, SERVER_SETUP, request_url
from tests.support.world import ROLES, build_world

HUGE = "9" * 5000
COURSE = {"label": "Second course", "protocol": "standard", "start_date": "2026-05-04", "weeks": "1",
          "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]}


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_tms_course_far_outside_the_clinic_range_is_refused_beside_the_field(therapist_client, db, patient, start):
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**COURSE, "start_date": start})
    assert response.status_code == 400 and "between 1 January 2000" in response.text
    assert db.exec(select(TmsCourse)).all() == []


def test_homework_starting_in_year_one_is_refused_quickly(therapist_client, db, patient):
    started = time.perf_counter()
    response = therapist_client.post(f"/patients/{patient.id}/homework", data={**PAYLOADS["homework.create"],
                                                                               "start_date": "0001-01-01"})
    assert response.status_code == 400 and "between 1 January 2000" in response.text
    assert time.perf_counter() - started < 2
    assert db.exec(select(Assignment)).all() == []


@pytest.mark.parametrize("field", ["weeks", "start_date"])
def test_five_thousand_digits_in_a_course_field_is_an_error_not_a_500(therapist_client, patient, field):
    response = therapist_client.post(f"/patients/{patient.id}/tms/courses", data={**COURSE, field: HUGE})
    assert response.status_code == 400


@pytest.mark.parametrize("field,value", [("mood", HUGE), ("anxiety", HUGE), ("mood", "²")])
def test_absurd_numbers_on_a_checkin_are_refused_beside_the_field(patient_client, db, field, value):
    response = patient_client.post("/checkins/new", data={"mood": "5", field: value})
    assert response.status_code == 400 and "whole number" in response.text
    assert db.exec(select(MoodCheckin)).all() == []


def test_homework_window_of_five_thousand_digits_is_refused(therapist_client, patient):
    response = therapist_client.post(f"/patients/{patient.id}/homework", data={**PAYLOADS["homework.create"],
                                                                               "window_hours": HUGE})
    assert response.status_code == 400 and "whole number of hours" in response.text


@pytest.mark.parametrize("path", ["/activities?week=9999-12-31", "/activities?week=0001-01-01"])
def test_a_patients_week_far_outside_the_range_is_a_clear_400(patient_client, path):
    response = patient_client.get(path)
    assert response.status_code == 400 and "between 1 January 2000" in response.text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", HUGE])
def test_clinic_day_outside_the_range_is_a_clear_400(admin_client, day):
    response = admin_client.get(f"/clinic/today?day={day}")
    assert response.status_code == 400


def test_a_review_from_a_future_date_is_a_clear_400(therapist_client, patient):
    response = therapist_client.get(f"/patients/{patient.id}?since=2040-01-01")
    assert response.status_code == 400 and "starts today or earlier" in response.text
    assert therapist_client.get(f"/patients/{patient.id}?since=0001-01-01").status_code == 400
    assert therapist_client.get(f"/patients/{patient.id}?since=2026-01-05").status_code == 200


def test_deeply_nested_json_is_refused_before_parsing_without_signing_in(client):
    body = "[" * 100_000 + "]" * 100_000
    for path in ("/login", "/push/subscribe", "/sync/replay"):
        response = client.post(path, data=body, content_type="application/json", csrf=False)
        assert response.status_code in {400, 404, 405, 415}, path


def test_deeply_nested_json_to_a_json_route_is_a_400(patient_client):
    response = patient_client.post("/push/subscribe", data="[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth(b'{"a": "[[[[[[[[", "b": [1, {"c": 2}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 10_000) == MAX_JSON_DEPTH + 1


@pytest.mark.parametrize("next_target", ["/today%0d%0aSet-Cookie:%20x=1", "/today%0aX", "/\\evil.example.org",
                                         "/today%E2%80%A8"])
def test_control_characters_in_next_are_dropped_on_login_and_reauth(client, patient, next_target):
    response = client.post(f"/login?next={next_target}", data={"email": patient.email,
                                                               "password": "correct horse battery staple"})
    assert response.status_code == 302 and response.headers["Location"] == "/today"
    response = client.post(f"/reauth?next={next_target}", data={"password": "correct horse battery staple"})
    assert response.status_code == 302 and response.headers["Location"] == "/today"


def test_invalid_utf8_in_a_form_is_a_clear_400_not_stored(patient_client, db):
    response = patient_client.post("/checkins/new", data=b"mood=5&note=caf%E9", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "UTF-8" in response.text
    assert db.exec(select(MoodCheckin)).all() == []


def test_invalid_utf8_in_the_query_string_is_a_clear_400(patient_client):
    response = patient_client.get("/activities?week=%FF")
    assert response.status_code == 400 and "UTF-8" in response.text


# -- the sweep: every page, every hostile query string; every unsafe route, deeply nested JSON

GET_ROUTES = sorted(endpoint for endpoint, method in MATRIX if method == "GET" and endpoint != "static")
HOSTILE_QUERIES = ["week=9999-12-31&day=0001-01-01&since=9999-12-31", "week=0001-01-01&day=9999-12-31&since=0001-01-01",
                   f"week={HUGE}&day={HUGE}&since={HUGE}&session_id={HUGE}&patient={HUGE}&next={HUGE}",
                   "next=/x%0d%0aY&week=%00&day=%FF&sort=%FF"]
OWNER_ORDER = ("patient_a", "therapist_a", "admin", "anonymous")


def owner(endpoint: str, method: str) -> str:
    row = MATRIX[(endpoint, method)]
    return next((role for role in OWNER_ORDER if row[ROLES.index(role)] not in {LOGIN, 403, 404}), "patient_a")


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_hostile_query_strings_never_error(app, db, client, endpoint):
    world = build_world(db)
    role = owner(endpoint, "GET")
    if role != "anonymous":
        sign_in(client, world.users[role])
    url = request_url(app, world, endpoint, "GET")
    if endpoint in SERVER_SETUP:
        SERVER_SETUP[endpoint](app)
    for query in HOSTILE_QUERIES:
        joined = f"{url}{'&' if '?' in url else '?'}{query}"
        with client.get(joined) as response:
            assert response.status_code < 500, f"GET {endpoint}?{query[:40]}: {response.status_code}"


UNSAFE_ROUTES = sorted((endpoint, method) for endpoint, method in MATRIX if method in {"POST", "PUT", "PATCH", "DELETE"})
DEEP_JSON = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize("endpoint,method", UNSAFE_ROUTES)
def test_deeply_nested_json_never_errors(app, db, client, endpoint, method):
    world = build_world(db)
    role = owner(endpoint, method)
    if role != "anonymous":
        sign_in(client, world.users[role])
    url = request_url(app, world, endpoint, method)
    response = client.open(url, method=method, data=DEEP_JSON, content_type="application/json")
    assert response.status_code in {400, 415}, f"{method} {endpoint}: {response.status_code}"
