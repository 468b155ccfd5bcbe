"""The clock-health rule behind /healthz, with the time passed in."""
from datetime import datetime, timedelta, timezone

from app.heartbeat import clock_health, stale_after

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def test_no_heartbeat_is_never():
    assert clock_health(None, now=NOW, stale_after=timedelta(minutes=2)).status == "never"


def test_a_heartbeat_within_the_window_is_ok_and_older_is_stale():
    window = timedelta(minutes=2)
    assert clock_health(NOW - window, now=NOW, stale_after=window).status == "ok"
    assert clock_health(NOW - window - timedelta(seconds=1), now=NOW, stale_after=window).status == "stale"


def test_a_heartbeat_from_a_clock_slightly_ahead_counts_as_fresh():
    health = clock_health(NOW + timedelta(seconds=3), now=NOW, stale_after=timedelta(minutes=2))
    assert health.status == "ok" and health.age == timedelta(0)


def test_the_window_is_four_delivery_cycles_but_never_under_two_minutes():
    assert stale_after(30) == timedelta(minutes=2)
    assert stale_after(5) == timedelta(minutes=2)
    assert stale_after(300) == timedelta(minutes=20)
