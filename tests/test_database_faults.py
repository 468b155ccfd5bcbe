"""PostgreSQL connections killed mid-traffic (pg_terminate_backend, as in a failover or restart): requests in
flight may get a 503 asking to retry, never a 500, and the app serves normally once the database is back."""
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import CsrfClient, sign_in
from tests.support.world import build_world

KILL_OTHER_BACKENDS = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("connection faults are exercised against PostgreSQL; this run targets SQLite")


def _traffic(app, user, paths, statuses, stop):
    client = CsrfClient(app, app.response_class, use_cookies=True)
    sign_in(client, user)
    while not stop.is_set():
        for path in paths:
            statuses.append(client.get(path).status_code)


def test_killed_connections_give_503_at_worst_and_recover(postgres_only, app, db, database_url):
    world = build_world(db)
    db.close()
    patient_id = world.params["patient_id"]
    traffic = [(world.users["patient_a"], ["/today", "/week"]),
               (world.users["therapist_a"], [f"/patients/{patient_id}/homework", f"/patients/{patient_id}"]),
               (world.users["admin"], [f"/patients/{patient_id}/tms", "/clinic/today"])]
    statuses: list[int] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_traffic, args=(app, user, paths, statuses, stop)) for user, paths in traffic]
    killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
    killed = 0
    try:
        for thread in threads:
            thread.start()
        for _ in range(4):
            time.sleep(0.4)
            with killer.connect() as conn:
                killed += conn.execute(KILL_OTHER_BACKENDS).scalar_one()
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        killer.dispose()
    assert killed > 0, "no connection was killed, so nothing was tested"
    assert len(statuses) > 20
    assert set(statuses) <= {200, 503}, sorted(set(statuses))

    client = app.test_client()
    sign_in(client, world.users["patient_a"])
    assert [client.get("/today").status_code for _ in range(10)] == [200] * 10


def test_a_connection_killed_while_idle_is_replaced_before_a_request_uses_it(postgres_only, app, db, database_url,
                                                                            monkeypatch):
    """Pooled connections are pinged only after sitting idle (app/db.py); a restart overnight costs nobody a 503."""
    from app import db as database_module

    world = build_world(db)
    db.close()
    client = app.test_client()
    sign_in(client, world.users["patient_a"])
    assert client.get("/today").status_code == 200
    killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with killer.connect() as conn:
            assert conn.execute(KILL_OTHER_BACKENDS).scalar_one() > 0
    finally:
        killer.dispose()
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)

    assert [client.get("/today").status_code for _ in range(3)] == [200] * 3
