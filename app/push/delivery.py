"""The clock's sending job: claim due reminders, send each to every device of its person, record every attempt.

Once per person: a row is claimed (pending -> sending) and committed before any request leaves, so a second job or
process cannot take it. A crash mid-send leaves it in `sending`; on restart recovery puts it back in the queue, and
it goes again only to devices with no recorded delivery, under the same Topic (the push service replaces an
undelivered copy) and the same tag (the phone replaces a shown one): never lost, never shown twice.
404/410 remove the device; 429/5xx retry with backoff (honouring Retry-After, at least hourly) for as long as
the reminder is still useful (`stale_at`: a day for a safety alert), so an outage of the push service loses nothing.

One person's dead devices never hold up anyone else: safety alerts go first, then people take turns (one reminder
each per round), each request has a short timeout (PUSH_TIMEOUT_SECONDS), a reminder goes to at most MAX_DEVICES
devices, and an endpoint that did not answer is not tried again in the same cycle (its reminders wait for the next).
"""
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from app.models import TmsSession, User
from app.models.push import (
    Notification,
    NotificationAttempt,
    NotificationStatus,
    PushSubscription,
    ReminderKind,
)
from app.push.reminders import homework_done, post_tms_occurrences, quiet_hours_of, settings_for
from app.push.sender import (
    DEFAULT_PUSH_ALLOWLIST,
    DeliveryResult,
    InvalidPushMessage,
    Outcome,
    PushMessage,
    PushSender,
    Urgency,
    next_retry_delay,
)
from app.push.timing import release_time
from app.push.vapid import load_vapid_keys

log = logging.getLogger(__name__)

BATCH_SIZE = 200
MIN_TTL = 60
PUSH_TIMEOUT_SECONDS = 5.0
"""A push service answers in well under a second; a device that makes us wait longer is tried again next cycle."""
MAX_DEVICES = 10
UNREACHABLE_RETRY_SECONDS = 30


@dataclass
class DeliveryReport:
    """What one run did, for the clock's log line and for tests."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    removed_devices: int = 0
    outcomes: list[str] = field(default_factory=list)


def sender_from_config(config: dict[str, Any], instance_path: str) -> PushSender | None:
    """A PushSender from the app's settings, or None while no VAPID key is configured (`flask vapid-keys`)."""
    keys = load_vapid_keys(Path(instance_path), env_value=config.get("VAPID_PRIVATE_KEY"))
    if keys is None:
        return None
    return PushSender(
        keys,
        subscriber_email=config["PUSH_SUBSCRIBER"],
        allowlist=config.get("PUSH_ENDPOINT_ALLOWLIST") or DEFAULT_PUSH_ALLOWLIST,
        allow_insecure_hosts=config.get("PUSH_ALLOW_INSECURE_HOSTS") or (),
        timeout=float(config.get("PUSH_TIMEOUT_SECONDS") or PUSH_TIMEOUT_SECONDS),
    )


def deliver_due(
    db: Session, sender: PushSender, *, now: datetime, batch: int = BATCH_SIZE,
    still_leader: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send pending reminders whose time has come (at most `batch`), safety alerts first, then one per person per
    round; commits per reminder. Stops at once when `still_leader()` says this clock has lost its lock."""
    report = DeliveryReport()
    due = db.exec(
        select(Notification.id, Notification.user_id, Notification.kind)
        .where(Notification.status == NotificationStatus.pending, Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(batch)
    ).all()
    db.rollback()
    unreachable: set[str] = set()
    for notification_id in fair_order(due):
        if not still_leader():
            log.warning("scheduler lock lost: stopped sending (another clock may now hold it)")
            break
        if _claim(db, notification_id):
            deliver_one(db, sender, notification_id=notification_id, now=now, report=report, unreachable=unreachable)
    return report


def fair_order(due: list[tuple[int, int, ReminderKind]]) -> list[int]:
    """Safety alerts first (in due order), then everyone else's reminders taking turns person by person, so one
    person's long queue (or dead devices) cannot hold up the others in a cycle."""
    alerts = [row[0] for row in due if row[2] == ReminderKind.safety_alert]
    queues: dict[int, list[int]] = defaultdict(list)
    for notification_id, user_id, kind in due:
        if kind != ReminderKind.safety_alert:
            queues[user_id].append(notification_id)
    turns: list[int] = []
    while queues:
        for user_id in list(queues):
            turns.append(queues[user_id].pop(0))
            if not queues[user_id]:
                del queues[user_id]
    return alerts + turns


def _claim(db: Session, notification_id: int) -> bool:
    claimed = db.exec(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == NotificationStatus.pending)
        .values(status=NotificationStatus.sending)
    )
    db.commit()
    return claimed.rowcount == 1


def deliver_one(
    db: Session, sender: PushSender, *, notification_id: int, now: datetime, report: DeliveryReport | None = None,
    unreachable: set[str] | None = None,
) -> Notification:
    """Send one claimed reminder to each of its person's devices not yet reached, then settle its status.

    `unreachable` holds endpoints that gave no answer earlier in this cycle: they are not tried again now (the
    reminder waits UNREACHABLE_RETRY_SECONDS for them), and endpoints that give no answer now are added to it.
    """
    report = report or DeliveryReport()
    unreachable = unreachable if unreachable is not None else set()
    notification = db.get(Notification, notification_id)
    assert notification is not None and notification.status == NotificationStatus.sending
    user = db.get(User, notification.user_id)
    reason = _reason_to_skip(db, notification, user, now)
    if reason is not None:
        _settle(db, notification, NotificationStatus.skipped, reason)
        report.skipped += 1
        return notification
    assert user is not None
    settings = settings_for(db, user.id)
    released = release_time(notification.kind, now, quiet_hours_of(settings), ZoneInfo(user.timezone))
    if released > now:
        notification.status, notification.next_attempt_at = NotificationStatus.pending, released
        db.commit()
        report.deferred += 1
        return notification
    devices = _devices_to_reach(db, notification)
    if not devices:
        _settle(db, notification, NotificationStatus.skipped, "no subscribed device")
        report.skipped += 1
        return notification
    waiting = [device for device in devices if device.endpoint in unreachable]
    devices = [device for device in devices if device.endpoint not in unreachable]
    if not devices:
        notification.status = NotificationStatus.pending
        notification.next_attempt_at = now + timedelta(seconds=UNREACHABLE_RETRY_SECONDS)
        notification.last_error = "device did not answer earlier in this cycle"
        db.commit()
        report.deferred += 1
        return notification
    try:
        message = message_for(notification, now=now)
    except InvalidPushMessage as error:
        _settle(db, notification, NotificationStatus.failed, str(error)[:300])
        report.failed += 1
        return notification
    results = list(zip(devices, sender.send_all([(subscription_json(device), message) for device in devices])))
    notification.attempts += 1
    for device, result in results:
        _record(db, notification, device, result, now)
        if result.outcome is Outcome.GONE:
            db.delete(device)
            report.removed_devices += 1
        elif result.outcome is Outcome.DELIVERED:
            device.last_success_at = now
        elif result.outcome is Outcome.RETRY and result.status_code is None:
            unreachable.add(device.endpoint)  # no answer at all: don't wait for it again this cycle
        report.outcomes.append(result.outcome.value)
    retries = [result for _, result in results if result.outcome is Outcome.RETRY]
    if waiting and not retries:
        retries = [DeliveryResult(None, Outcome.RETRY, detail="device did not answer earlier in this cycle")]
    delivered = _delivered_before(db, notification) or any(r.outcome is Outcome.DELIVERED for _, r in results)
    if retries:
        wait = max(next_retry_delay(notification.attempts, result.retry_after) for result in retries)
        retry_at = now + timedelta(seconds=wait)
        if retry_at < notification.stale_at:
            notification.status, notification.next_attempt_at = NotificationStatus.pending, retry_at
            notification.last_error = _describe(retries[0])
            if delivered and notification.sent_at is None:
                notification.sent_at = now
            db.commit()
            report.retrying += 1
            return notification
    if delivered:
        notification.sent_at = notification.sent_at or now
        _settle(db, notification, NotificationStatus.sent, None)
        report.sent += 1
    else:
        failures = [result for _, result in results if result.outcome is not Outcome.DELIVERED]
        _settle(db, notification, NotificationStatus.failed, _describe(failures[0]) if failures else "no device")
        report.failed += 1
    return notification


def recover_interrupted(db: Session, *, now: datetime) -> int:
    """Rows left `sending` by a crash may or may not have reached the devices: queue them again (a safety alert must
    not be lost). The resend carries the same Topic and tag, so a copy that did arrive is replaced, not repeated;
    a reminder that has gone stale meanwhile is skipped as usual."""
    result = db.exec(
        update(Notification)
        .where(Notification.status == NotificationStatus.sending)
        .values(status=NotificationStatus.pending, next_attempt_at=now, last_error="interrupted while sending")
    )
    db.commit()
    if result.rowcount:
        log.warning("re-queued %s reminder(s) interrupted mid-send at %s", result.rowcount, now.isoformat())
    return result.rowcount


def message_for(notification: Notification, *, now: datetime) -> PushMessage:
    """The push message: TTL no longer than the reminder stays useful; safety alerts use their own rules."""
    if notification.kind == ReminderKind.safety_alert:
        return PushMessage.safety_alert(
            title=notification.title, body=notification.body, url=notification.url,
            event_id=notification.occurrence_key.removeprefix("safety:"),
        )
    ttl = max(MIN_TTL, int((notification.stale_at - now).total_seconds()))
    return PushMessage(
        title=notification.title,
        body=notification.body,
        url=notification.url,
        tag=f"{notification.kind.value}-{notification.id}",
        urgency=Urgency(notification.urgency),
        ttl=min(ttl, 24 * 60 * 60),
    )


def subscription_json(device: PushSubscription) -> dict[str, Any]:
    return {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}


def _reason_to_skip(db: Session, notification: Notification, user: User | None, now: datetime) -> str | None:
    if user is None or not user.active:
        return "account inactive"
    if notification.kind in (ReminderKind.homework_due, ReminderKind.homework_overdue, ReminderKind.questionnaire_due):
        if homework_done(db, notification):
            return "homework already done"
    if notification.kind == ReminderKind.post_tms_nudge and notification.session_id is not None:
        session = db.get(TmsSession, notification.session_id)
        if session is None or session.completed_at is None:
            return "visit no longer marked done"
        if all(work.done for work in post_tms_occurrences(db, user, session)):
            return "post-TMS homework already done"
    if now >= notification.stale_at:
        return "too late to be useful"
    return None


def _devices_to_reach(db: Session, notification: Notification) -> list[PushSubscription]:
    reached = select(NotificationAttempt.subscription_id).where(
        NotificationAttempt.notification_id == notification.id, NotificationAttempt.outcome == Outcome.DELIVERED.value
    )
    return list(
        db.exec(
            select(PushSubscription)
            .where(PushSubscription.user_id == notification.user_id, PushSubscription.id.not_in(reached))
            .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
            .limit(MAX_DEVICES)  # bounded work per reminder, whatever was stored before the device limit existed
        )
    )[::-1]


def _delivered_before(db: Session, notification: Notification) -> bool:
    return db.exec(
        select(NotificationAttempt.id).where(
            NotificationAttempt.notification_id == notification.id,
            NotificationAttempt.outcome == Outcome.DELIVERED.value,
        ).limit(1)
    ).first() is not None


def _record(db: Session, notification: Notification, device: PushSubscription, result: DeliveryResult, now: datetime) -> None:
    db.add(
        NotificationAttempt(
            notification_id=notification.id,
            subscription_id=device.id,
            at=now,
            status_code=result.status_code,
            outcome=result.outcome.value,
            detail=result.detail[:300],
        )
    )


def _settle(db: Session, notification: Notification, status: NotificationStatus, error: str | None) -> None:
    notification.status, notification.last_error, notification.next_attempt_at = status, error, None
    db.commit()


def _describe(result: DeliveryResult) -> str:
    code = "no response" if result.status_code is None else f"HTTP {result.status_code}"
    return f"{result.outcome.value}: {code} {result.detail}".strip()[:300]
