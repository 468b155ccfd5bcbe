"""What /healthz reports: this node can reach the database (and how fast), and the clock process is beating.

Only an unreachable database makes the answer a 503: the load balancer should stop sending traffic to a node that
cannot serve. A stale clock is "degraded" with a 200, because every web node would report it alike and taking
them all out would not bring reminders back; monitoring alerts on it instead (README, Operations).
"""
import time
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from app import heartbeat
from app.db import discard_session, get_db
from app.models.clock import ClockHeartbeat


def health_report(*, now: datetime) -> tuple[dict, int]:
    """One round trip: reading the heartbeat is also the database check."""
    started = time.perf_counter()
    try:
        last = get_db().exec(select(ClockHeartbeat.beat_at).where(ClockHeartbeat.name == heartbeat.CLOCK)).first()
    except DBAPIError as error:
        current_app.logger.warning("healthz: database unreachable (%s)", type(error.orig or error).__name__)
        discard_session()
        return {"status": "unavailable", "database": {"status": "unreachable"}, "clock": None}, 503
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    stale_after = heartbeat.stale_after(current_app.config.get("SCHEDULER_DELIVERY_SECONDS", 30))
    clock = heartbeat.clock_health(last, now=now, stale_after=stale_after)
    report = {
        "status": "ok" if clock.status == "ok" else "degraded",
        "database": {"status": "ok", "latency_ms": latency_ms},
        "clock": {**clock.as_json(), "stale_after_seconds": int(stale_after.total_seconds())},
    }
    return report, 200
