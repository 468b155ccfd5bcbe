"""Property-based fuzzing of every POST/PUT/PATCH/DELETE route: arbitrary form fields and JSON bodies, sent as the role that owns
the route, never cause a 500, and a rejected request stores nothing (OWASP ASVS 5.1)."""
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import SQLModel

from tests.conftest import sign_in
from tests.requests.test_authorization_matrix import LOGIN, MATRIX, PAYLOADS, payload_for, request_url
from tests.support.world import ROLES, build_world

REJECTED = {400, 403, 404, 405, 409, 410, 413, 415, 422, 429}
COUNTERS = {"login_failures"}  # a failed sign-in is rejected *and* counted, by design
COUNTERS |= {"safety_events", "notifications"}  # a risk signal is kept (and alerted) even if the rest is rejected
OWNER_ORDER = ("patient_a", "therapist_a", "admin", "anonymous")
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FIELD_NAMES = sorted(
    {name for path in TEMPLATES.rglob("*.html") for name in re.findall(r'name="([a-z_0-9]+)"', path.read_text())}
    | {key for payload in PAYLOADS.values() for key in payload}
) or ["field"]
FIELD_NAMES = [name for name in FIELD_NAMES if name != "csrf_token"]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(["", " ", "0", "-1", "1e309", "99999999999999999999", "2026-02-30", "24:00", "NaN",
                          "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "é" * 5000, "9" * 400, "9" * 5000,
                          "0001-01-01", "9999-12-31", "１２", "²"])
embedded = st.tuples(text, tricky, text).map("".join)
value = st.one_of(tricky, embedded, text, st.integers().map(str), st.dates().map(str),
                  st.times().map(lambda t: t.strftime("%H:%M")))
form_data = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=20).filter(lambda k: k != "csrf_token")),
                            st.one_of(value, st.lists(value, max_size=4)), max_size=10)


def mutated_payload(endpoint: str, world):
    """The route's valid body with some fields replaced or dropped: reaches deeper than random field names."""
    payload = payload_for(endpoint, world)
    if not payload:
        return form_data
    keys = sorted(payload)
    one_field = st.sampled_from(keys).flatmap(lambda key: value.map(lambda v: {**payload, key: v}))
    some_fields = st.dictionaries(st.sampled_from(keys), st.one_of(value, st.none()), min_size=1).map(
        lambda changes: {k: v for k, v in {**payload, **changes}.items() if v is not None}
    )
    return st.one_of(one_field, some_fields)


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
                          lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
                          max_leaves=12)


def owner(endpoint: str, method: str) -> str:
    """The first role the matrix lets through (not sent to sign-in, not 403/404): who the form is for."""
    row = MATRIX[(endpoint, method)]
    return next((role for role in OWNER_ORDER if row[ROLES.index(role)] not in {LOGIN, 403, 404}), "patient_a")


UNSAFE_ROUTES = sorted((endpoint, method) for endpoint, method in MATRIX if method in {"POST", "PUT", "PATCH", "DELETE"})


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables if t.name not in COUNTERS}


def _check(app, client, world, endpoint, method, role, **body):
    engine = app.extensions["engine"]
    if role != "anonymous":
        sign_in(client, world.users[role])
    before = row_counts(engine)
    response = client.open(request_url(app, world, endpoint, method), method=method, **body)
    assert response.status_code < 500, f"{method} {endpoint} as {role}: {response.status_code}"
    if response.status_code in REJECTED:
        assert row_counts(engine) == before, f"{endpoint} stored rows while answering {response.status_code}"


@pytest.mark.parametrize("endpoint,method", UNSAFE_ROUTES)
def test_arbitrary_form_data_never_errors_and_rejections_store_nothing(app, db, client, endpoint, method):
    world = build_world(db)
    role = owner(endpoint, method)

    @FUZZ
    @given(data=st.one_of(form_data, mutated_payload(endpoint, world)))
    def run(data):
        _check(app, client, world, endpoint, method, role, data=data)

    run()


@pytest.mark.parametrize("endpoint,method", UNSAFE_ROUTES)
def test_arbitrary_json_never_errors_and_rejections_store_nothing(app, db, client, endpoint, method):
    world = build_world(db)
    role = owner(endpoint, method)

    @FUZZ
    @given(body=json_value)
    def run(body):
        _check(app, client, world, endpoint, method, role, json=body)

    run()
