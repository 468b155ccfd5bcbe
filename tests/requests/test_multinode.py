"""Several web nodes on one database: nothing that must be shared lives in one process.

The sign-in burst limit is shared through Redis (RATELIMIT_STORAGE_URI), proven with a second node in its own
process (in one process every app shares Flask-Limiter's storage, which would prove nothing). The Today cache is per
process but keyed on the patient's data version in the database, so a write through one node shows on a page the
other node has already loaded. Redis on 127.0.0.1:6379 is required in CI (CI=true; .ci/run starts it); locally the
Redis tests are skipped when it is not running.
"""
import os
import uuid
from datetime import date

import httpx
import pytest

from app import create_app
from app.models import HomeworkKind, TmsSession, User
from tests.conftest import sign_in
from tests.factories import earlier_today, make_assignment, make_course, skip_unless_a_visit_can_have_ended_today
from tests.support.web_node import web_node

REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix():
    """A key prefix of our own on the Redis server, removed afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URI, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the multi-node tests against Redis at {REDIS_URI}; .ci/run should have started it")
        pytest.skip(f"Redis is not reachable at {REDIS_URI}")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def _node_config(database_url: str, storage: str, prefix: str) -> dict:
    return {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
            "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_RATE_LIMIT": "3 per minute",
            "WTF_CSRF_ENABLED": False}


def _attempts(node_a, node_b: str, emails: list[str]) -> tuple[list[int], list[int]]:
    """Failed sign-ins from one address: the first two through node A, the rest through node B."""
    on_a = [node_a.post("/login", data={"email": e, "password": "not the password"}).status_code for e in emails[:2]]
    with httpx.Client(base_url=node_b, timeout=30) as client:
        on_b = [client.post("/login", data={"email": e, "password": "not the password"}).status_code
                for e in emails[2:]]
    return on_a, on_b


@pytest.mark.parametrize("storage, expected_on_b", [
    (REDIS_URI, [400, 429]),   # shared: node B sees node A's two attempts
    ("memory://", [400, 400]),  # per process: each node allows the whole burst (why production sets Redis)
])
def test_two_nodes_share_the_sign_in_burst_limit_only_through_redis(app, database_url, redis_prefix, storage,
                                                                    expected_on_b):
    config = _node_config(database_url, storage, redis_prefix)
    node_a = create_app(config)
    try:
        with web_node(config) as node_b:
            on_a, on_b = _attempts(node_a.test_client(), node_b, [f"u{i}@example.org" for i in range(4)])
    finally:
        node_a.extensions["engine"].dispose()
    assert on_a == [400, 400]
    assert on_b == expected_on_b


@pytest.fixture
def node_b(app, database_url):
    """A second app on the same database and secret: the load balancer may send the same phone to either node."""
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"})
    other.test_client_class = app.test_client_class
    yield other
    other.extensions["engine"].dispose()


def _same_phone(node_a_client, node_b):
    """A client of node B carrying node A's session cookie."""
    cookie = node_a_client.get_cookie("session")
    phone = node_b.test_client()
    phone.set_cookie("session", cookie.value, domain=cookie.domain)
    return phone


def test_a_check_in_through_one_node_shows_on_the_other_nodes_already_loaded_today(
    app, node_b, patient_client, db, patient
):
    on_b = _same_phone(patient_client, node_b)
    assert "Daily check-in: done" not in patient_client.get("/today").text
    assert "Daily check-in: done" not in on_b.get("/today").text  # both nodes now hold this patient's Today

    response = on_b.post("/checkins/new", data={"mood": "7", "anxiety": "", "sleep_hours": "", "note": ""})
    assert response.status_code == 303

    page = patient_client.get("/today").text
    assert "Daily check-in: done" in page and "Mood 7/10" in page


def test_staff_on_one_node_opening_the_practice_window_shows_on_the_patients_node(
    app, node_b, patient_client, db, patient, therapist
):
    skip_unless_a_visit_can_have_ended_today()
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind="post_tms",
                    title="Thought record after TMS", start_date=date(2026, 1, 5))
    course = make_course(db, patient=patient, by=db.get(User, patient.therapist_id), start=date(2026, 1, 5), weeks=1)
    visit = TmsSession(course_id=course.id, patient_id=patient.id, scheduled_at=earlier_today(60))  # ended (40 min)
    db.add(visit)
    db.commit()
    on_b = _same_phone(patient_client, node_b)
    assert "Practice window open" not in on_b.get("/today").text

    staff = app.test_client()
    sign_in(staff, therapist)
    assert staff.post(f"/tms/sessions/{visit.id}/status", data={"status": "completed"}).status_code in (302, 303)

    page = on_b.get("/today").text
    assert "Practice window open" in page and "Thought record after TMS" in page


def test_sign_in_keeps_working_and_limited_per_process_while_redis_is_down(app, database_url):
    """Redis holds only burst counters: losing it must not lock everyone out (the lockouts live in the database)."""
    node = create_app(_node_config(database_url, "redis://127.0.0.1:1/0", "down"))
    try:
        client = node.test_client()
        statuses = [client.post("/login", data={"email": f"u{i}@example.org", "password": "not the password"}).status_code
                    for i in range(4)]
    finally:
        node.extensions["engine"].dispose()
    assert statuses == [400, 400, 400, 429]
