"""/healthz: the load balancer's check (database reachable from this node) and monitoring's (the clock's heartbeat
age, so a stopped or stuck clock is visible before patients miss reminders)."""
from datetime import timedelta

from app import create_app
from app.models.clock import ClockHeartbeat
from app.models.types import utcnow


def _beat(db, seconds_ago: float) -> None:
    db.add(ClockHeartbeat(name="clock", beat_at=utcnow() - timedelta(seconds=seconds_ago)))
    db.commit()


def test_a_beating_clock_and_a_reachable_database_are_ok(client, db):
    _beat(db, 20)
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok" and body["database"]["latency_ms"] >= 0
    assert body["clock"]["status"] == "ok" and 19 <= body["clock"]["heartbeat_age_seconds"] < 120
    assert body["clock"]["stale_after_seconds"] == 120  # 4 cycles of 30 s, at least 2 minutes


def test_a_stuck_clock_is_degraded_but_the_node_still_serves(client, db):
    _beat(db, 3600)
    response = client.get("/healthz")
    assert response.status_code == 200  # taking every web node out would not bring reminders back
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["clock"]["status"] == "stale"
    assert response.get_json()["clock"]["heartbeat_age_seconds"] >= 3600


def test_a_database_that_never_saw_a_clock_says_so(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["clock"] == {"status": "never", "heartbeat_age_seconds": None, "stale_after_seconds": 120}


def test_a_slower_delivery_cycle_allows_an_older_heartbeat(app, client, db):
    app.config["SCHEDULER_DELIVERY_SECONDS"] = 300
    _beat(db, 1000)
    body = client.get("/healthz").get_json()
    assert body["clock"]["status"] == "ok" and body["clock"]["stale_after_seconds"] == 1200


def test_an_unreachable_database_is_a_503_for_the_load_balancer(app):
    node = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key",
                       "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2"})
    try:
        response = node.test_client().get("/healthz")
    finally:
        node.extensions["engine"].dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": {"status": "unreachable"}, "clock": None}


def test_the_clocks_delivery_cycle_records_the_heartbeat(runner, db):
    """`flask scheduler --once` runs each job once; without VAPID keys delivery sends nothing but still beats."""
    before = utcnow()
    result = runner.invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    beat = db.get(ClockHeartbeat, "clock")
    assert beat is not None and before <= beat.beat_at <= utcnow()

    runner.invoke(args=["scheduler", "--once"])
    db.expire_all()
    assert db.get(ClockHeartbeat, "clock").beat_at >= beat.beat_at
