"""One person's dead devices never stall everyone else's reminders (issue 19, finding 8b): safety alerts first,
people take turns, short timeouts, at most ten devices a reminder, and an endpoint that did not answer is not
waited for again in the same cycle."""
import time

from sqlmodel import select

from app.models.push import Notification, NotificationStatus, PushSubscription, ReminderKind
from app.push import texts
from app.push.delivery import deliver_due, fair_order
from app.push.reminders import queue_notification, queue_safety_alert
from app.push.sender import PushSender
from tests.factories import make_patient
from tests.push.test_reminder_delivery import NOON, subscribe
from tests.support.fake_push import Reply, make_browser_subscription

HANGS = Reply(201, delay=2.0)  # the service holds its answer longer than the sender waits


def test_one_patient_with_hundreds_of_dead_devices_does_not_stall_anyone_else(db, therapist, patient, fake_push,
                                                                               vapid_keys):
    for number in range(300):  # registered before the ten-device limit existed
        data, _ = make_browser_subscription(fake_push.base_url, f"/push/dead-{number}")
        fake_push.program(f"/push/dead-{number}", HANGS)
        db.add(PushSubscription(user_id=patient.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                                auth=data["keys"]["auth"]))
    db.commit()
    for day in range(5):  # the stuck patient's own reminders, all due before anyone else's
        queue_notification(db, user=patient, kind=ReminderKind.homework_due, occurrence_key=f"hw:{day}",
                           text=texts.device_check(), url="/today", due_at=NOON.replace(minute=day))
    others = [make_patient(db, therapist=therapist, email=f"other{n}@example.org") for n in range(3)]
    for other in others:
        subscribe(db, other, fake_push, f"/push/{other.id}")
        queue_notification(db, user=other, kind=ReminderKind.daily_checkin, occurrence_key="day:2026-01-12",
                           text=texts.daily_checkin(), url="/today", due_at=NOON.replace(minute=30))
    subscribe(db, therapist, fake_push, "/push/therapist")
    queue_safety_alert(db, event_id=7, therapist_id=therapist.id, at=NOON.replace(minute=45))  # queued last
    db.commit()

    with PushSender(vapid_keys, subscriber_email="push@clinic.example", allow_insecure_hosts=["127.0.0.1"],
                    timeout=0.2) as sender:
        started = time.monotonic()
        deliver_due(db, sender, now=NOON.replace(minute=50))
        took = time.monotonic() - started

    db.expire_all()
    status = {(n.user_id, n.kind): n.status for n in db.exec(select(Notification))}
    assert status[(therapist.id, ReminderKind.safety_alert)] == NotificationStatus.sent
    assert all(status[(other.id, ReminderKind.daily_checkin)] == NotificationStatus.sent for other in others)
    assert fake_push.requests[0].path == "/push/therapist"  # the safety alert went before anything else
    dead_requests = [r for r in fake_push.requests if r.path.startswith("/push/dead-")]
    assert len(dead_requests) <= 10  # each dead endpoint tried at most once in the cycle, ten devices at most
    assert took < 10
    stuck = db.exec(select(Notification).where(Notification.user_id == patient.id)).all()
    assert {n.status for n in stuck} == {NotificationStatus.pending}  # kept for a later cycle, not lost


def test_people_take_turns_and_safety_alerts_go_first():
    due = [(1, 10, ReminderKind.test), (2, 10, ReminderKind.test), (3, 10, ReminderKind.test),
           (4, 20, ReminderKind.daily_checkin), (5, 30, ReminderKind.safety_alert), (6, 20, ReminderKind.homework_due)]
    assert fair_order(due) == [5, 1, 4, 2, 6, 3]
