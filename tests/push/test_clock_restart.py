"""Kill a real clock process (`flask --app app scheduler`) while a safety alert is in flight, start a new one: every
reminder reaches its person's device, and the one that may have arrived twice carries the same Topic and tag, so
the push service and the phone replace it instead of showing it twice."""
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlmodel import select

from app.models.push import Notification, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings
from app.models.types import utcnow
from app.push import texts
from app.push.reminders import queue_notification, queue_safety_alert
from app.push.vapid import generate_vapid_keys
from tests.support.fake_push import FakePushService, Reply, decrypt, make_browser_subscription

ROOT = Path(__file__).resolve().parents[2]
IN_FLIGHT_SECONDS = 60.0  # the push service holds its answer: the clock is killed before it hears back


def _subscribe(db, user, fake: FakePushService, path: str):
    data, browser = make_browser_subscription(fake.base_url, path)
    db.add(PushSubscription(user_id=user.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                            auth=data["keys"]["auth"]))
    # Only the reminders the test queues: between 19:00 and 20:00 New York the planner would add today's check-in.
    db.add(ReminderSettings(user_id=user.id, checkin=False, homework=False, questionnaires=False))
    db.commit()
    return browser


def _clock(database_url: str, private_pem: bytes, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "VAPID_PRIVATE_KEY": private_pem.decode("ascii"),
        "PUSH_ALLOW_INSECURE_HOSTS": "127.0.0.1",
        "SCHEDULER_DELIVERY_SECONDS": "1",
    }
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "scheduler"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=output)


def _wait_for(condition, *, seconds: float, what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the clock exited ({process.returncode}) before {what}: {log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {log.read_text()}")
        time.sleep(0.1)


QUEUED = ("safety:41", "test:0", "test:1", "test:2")  # the planner job may add tomorrow's reminders beside these


def _statuses(db) -> dict[str, NotificationStatus]:
    db.expire_all()
    return {n.occurrence_key: n.status for n in db.exec(select(Notification).where(Notification.occurrence_key.in_(QUEUED)))}


def test_killing_the_clock_mid_send_loses_no_reminder_and_shows_none_twice(db, database_url, patient, therapist, tmp_path):
    keys = generate_vapid_keys(tmp_path / "vapid")
    now = utcnow()
    with FakePushService() as fake:
        browsers = {"/push/therapist": _subscribe(db, therapist, fake, "/push/therapist"),
                    "/push/patient": _subscribe(db, patient, fake, "/push/patient")}
        fake.program("/push/therapist", Reply(201, delay=IN_FLIGHT_SECONDS), 201)
        queue_safety_alert(db, event_id=41, therapist_id=therapist.id, at=now)  # oldest: sent first
        for index in range(3):
            queue_notification(db, user=patient, kind=ReminderKind.test, occurrence_key=f"test:{index}",
                               text=texts.device_check(), url="/today", due_at=now)
        db.commit()

        log = tmp_path / "clock.log"
        first = _clock(database_url, keys.private_pem, log)
        try:
            _wait_for(lambda: fake.requests_to("/push/therapist"), seconds=60, what="the alert was sent", process=first,
                      log=log)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        assert _statuses(db)["safety:41"] == NotificationStatus.sending

        second = _clock(database_url, keys.private_pem, log)
        try:
            _wait_for(lambda: set(_statuses(db).values()) == {NotificationStatus.sent}, seconds=30,
                      what="every reminder was sent", process=second, log=log)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=10)

        received = [(request, json.loads(decrypt(request, browsers[request.path]))) for request in fake.requests]

    shown = Counter(payload["tag"] for _, payload in received)
    alert_copies = [request for request, payload in received if payload["tag"] == "safety-41"]
    assert shown["safety-41"] == 2 and len({request.header("Topic") for request in alert_copies}) == 1
    assert sorted(tag for tag, copies in shown.items() if tag != "safety-41" and copies == 1) == sorted(
        f"test-{n.id}" for n in db.exec(select(Notification).where(Notification.kind == ReminderKind.test)))
    assert len(shown) == 4
