"""Reminders end to end through the notification log: queued, sent by the clock job to a real HTTP fake push
service, decrypted with the browser keys the test made, retried, removed, deduplicated, deferred."""
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from app.homework.timing import SessionStatus
from app.models import HomeworkKind, TmsSession
from app.models.homework import Assignment, HomeworkCompletion
from app.models.push import (
    Notification,
    NotificationAttempt,
    NotificationStatus,
    PushSubscription,
    ReminderKind,
    ReminderSettings,
)
from app.push import texts
from app.push.delivery import deliver_due, message_for, recover_interrupted
from app.push.reminders import (
    plan_reminders,
    queue_notification,
    queue_safety_alert,
)
from app.push.sender import PushSender, topic_header_value
from app.push.vapid import VapidKeys
from app.tms import services
from tests.factories import make_assignment, make_course
from tests.support.fake_push import BrowserState, FakePushService, Reply, decrypt, make_browser_subscription, verify_vapid

NOON = datetime(2026, 1, 12, 17, 0, tzinfo=UTC)  # Monday 12:00 in New York


def subscribe(db, user, fake_push: FakePushService, path: str) -> tuple[PushSubscription, BrowserState]:
    data, browser = make_browser_subscription(fake_push.base_url, path)
    row = PushSubscription(user_id=user.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                           auth=data["keys"]["auth"])
    db.add(row)
    db.commit()
    return row, browser


def queue_checkin(db, user, *, at: datetime = NOON, key: str = "day:2026-01-12") -> Notification:
    notification = queue_notification(
        db, user=user, kind=ReminderKind.daily_checkin, occurrence_key=key, text=texts.daily_checkin(),
        url="/today", due_at=at,
    )
    db.commit()
    return notification


def payload(fake_push: FakePushService, path: str, browser: BrowserState, index: int = 0) -> dict:
    return json.loads(decrypt(fake_push.requests_to(path)[index], browser))


def fresh(db, notification: Notification) -> Notification:
    db.expire_all()
    return db.get(Notification, notification.id)


def test_due_reminder_is_encrypted_for_the_device_signed_and_marked_sent(
    db, patient, fake_push, sender: PushSender, vapid_keys: VapidKeys
) -> None:
    device, browser = subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)

    report = deliver_due(db, sender, now=NOON)

    assert report.sent == 1
    body = payload(fake_push, "/push/phone", browser)
    assert body == {"title": "Time for your check-in", "body": "How is today going? It takes a minute.",
                    "url": "/today", "tag": f"daily_checkin-{notification.id}"}
    (request,) = fake_push.requests
    assert verify_vapid(request, vapid_keys.application_server_key)["sub"] == "mailto:push@clinic.example"
    assert request.header("Urgency") == "normal"
    assert request.header("Topic") == f"daily_checkin-{notification.id}"
    assert 0 < int(request.header("TTL")) <= 4 * 3600
    row = fresh(db, notification)
    assert (row.status, row.sent_at, row.attempts) == (NotificationStatus.sent, NOON, 1)
    (attempt,) = db.exec(select(NotificationAttempt)).all()
    assert (attempt.subscription_id, attempt.status_code, attempt.outcome) == (device.id, 201, "delivered")
    assert db.get(PushSubscription, device.id).last_success_at == NOON


def test_reminder_not_yet_due_is_left_for_later(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    queue_checkin(db, patient, at=NOON + timedelta(minutes=5))

    assert deliver_due(db, sender, now=NOON).sent == 0
    assert fake_push.request_count == 0
    assert deliver_due(db, sender, now=NOON + timedelta(minutes=5)).sent == 1


def test_every_device_of_the_person_gets_the_reminder(db, patient, fake_push, sender) -> None:
    _, phone = subscribe(db, patient, fake_push, "/push/phone")
    _, laptop = subscribe(db, patient, fake_push, "/push/laptop")
    queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON)

    assert payload(fake_push, "/push/phone", phone)["title"] == "Time for your check-in"
    assert payload(fake_push, "/push/laptop", laptop)["title"] == "Time for your check-in"


@pytest.mark.parametrize("status", [404, 410])
def test_unsubscribed_device_is_deleted_and_the_attempt_kept(db, patient, fake_push, sender, status) -> None:
    device, _ = subscribe(db, patient, fake_push, "/push/gone")
    fake_push.program("/push/gone", status)
    notification = queue_checkin(db, patient)

    report = deliver_due(db, sender, now=NOON)

    assert report.removed_devices == 1
    db.expire_all()
    assert db.get(PushSubscription, device.id) is None
    assert fresh(db, notification).status == NotificationStatus.failed
    (attempt,) = db.exec(select(NotificationAttempt)).all()
    assert (attempt.subscription_id, attempt.status_code, attempt.outcome) == (device.id, status, "gone")


def test_throttled_reminder_waits_as_long_as_retry_after_then_is_delivered(db, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, patient, fake_push, "/push/busy")
    fake_push.program("/push/busy", Reply(429, {"Retry-After": "120"}), 201)
    notification = queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON)
    row = fresh(db, notification)
    assert (row.status, row.attempts, row.next_attempt_at) == (NotificationStatus.pending, 1, NOON + timedelta(seconds=120))
    assert "429" in row.last_error

    deliver_due(db, sender, now=NOON + timedelta(seconds=119))
    assert fake_push.request_count == 1
    deliver_due(db, sender, now=NOON + timedelta(seconds=120))
    assert fresh(db, notification).status == NotificationStatus.sent
    assert payload(fake_push, "/push/busy", browser, index=1)["title"] == "Time for your check-in"
    outcomes = [a.outcome for a in db.exec(select(NotificationAttempt).order_by(NotificationAttempt.id))]
    assert outcomes == ["retry", "delivered"]


def test_server_error_is_retried_with_backoff(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/flaky")
    fake_push.program("/push/flaky", 500, 503, 201)
    notification = queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON)
    assert fresh(db, notification).next_attempt_at == NOON + timedelta(seconds=30)
    deliver_due(db, sender, now=NOON + timedelta(seconds=30))
    assert fresh(db, notification).next_attempt_at == NOON + timedelta(seconds=90)
    deliver_due(db, sender, now=NOON + timedelta(seconds=90))

    row = fresh(db, notification)
    assert (row.status, row.attempts) == (NotificationStatus.sent, 3)


def _run_clock(db, sender, fake_push, *, start: datetime, minutes: int, outage: timedelta) -> None:
    """The delivery job every minute; the push service answers 503 to everything during the first `outage`."""
    for minute in range(minutes):
        now = start + timedelta(minutes=minute)
        fake_push.unavailable = now < start + outage
        deliver_due(db, sender, now=now)


def test_a_safety_alert_survives_a_three_hour_push_outage_and_arrives_once(db, therapist, fake_push, sender) -> None:
    _, browser = subscribe(db, therapist, fake_push, "/push/therapist")
    alert = queue_safety_alert(db, event_id=7, therapist_id=therapist.id, at=NOON)
    db.commit()

    _run_clock(db, sender, fake_push, start=NOON, minutes=5 * 60, outage=timedelta(hours=3))

    row = fresh(db, alert)
    assert row.status == NotificationStatus.sent and NOON + timedelta(hours=3) <= row.sent_at <= NOON + timedelta(hours=4)
    outcomes = [a.outcome for a in db.exec(select(NotificationAttempt).order_by(NotificationAttempt.id))]
    assert outcomes[-1] == "delivered" and set(outcomes[:-1]) == {"retry"}
    assert payload(fake_push, "/push/therapist", browser, index=len(outcomes) - 1)["tag"] == "safety-7"


def test_a_check_in_reminder_survives_a_45_minute_outage(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)

    _run_clock(db, sender, fake_push, start=NOON, minutes=3 * 60, outage=timedelta(minutes=45))

    assert fresh(db, notification).status == NotificationStatus.sent
    delivered = db.exec(select(NotificationAttempt).where(NotificationAttempt.outcome == "delivered")).all()
    assert len(delivered) == 1


def test_retries_stop_once_the_reminder_is_stale(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)  # a check-in reminder is useful for 4 hours

    _run_clock(db, sender, fake_push, start=NOON, minutes=8 * 60, outage=timedelta(hours=8))

    row = fresh(db, notification)
    assert row.status == NotificationStatus.failed and "503" in row.last_error
    last_try = max(a.at for a in db.exec(select(NotificationAttempt)))
    assert last_try < row.stale_at


def test_only_the_device_that_failed_is_retried(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/ok")
    subscribe(db, patient, fake_push, "/push/busy")
    fake_push.program("/push/busy", 429, 201)
    notification = queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON)
    deliver_due(db, sender, now=NOON + timedelta(minutes=1))

    assert len(fake_push.requests_to("/push/ok")) == 1
    assert len(fake_push.requests_to("/push/busy")) == 2
    assert fresh(db, notification).status == NotificationStatus.sent


def test_running_the_job_twice_sends_nothing_twice(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON)
    deliver_due(db, sender, now=NOON)
    deliver_due(db, sender, now=NOON + timedelta(hours=1))

    assert fake_push.request_count == 1


def test_writing_the_same_reminder_again_is_ignored(db, patient) -> None:
    first = queue_checkin(db, patient)
    second = queue_checkin(db, patient)

    assert first is not None and second is None
    assert len(db.exec(select(Notification)).all()) == 1


def left_sending(db, notification: Notification) -> None:
    """Claimed, then the process died before recording the outcome."""
    notification.status = NotificationStatus.sending
    db.add(notification)
    db.commit()


def test_restart_after_a_crash_mid_send_sends_again_under_the_same_topic_and_tag(db, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)
    deliver_due(db, sender, now=NOON - timedelta(minutes=1))  # not due yet: nothing sent
    left_sending(db, notification)
    first = message_for(fresh(db, notification), now=NOON)

    assert recover_interrupted(db, now=NOON) == 1
    deliver_due(db, sender, now=NOON)
    deliver_due(db, sender, now=NOON + timedelta(minutes=5))

    (request,) = fake_push.requests_to("/push/phone")
    assert request.header("Topic") == topic_header_value(first.tag)
    assert payload(fake_push, "/push/phone", browser)["tag"] == first.tag
    assert fresh(db, notification).status == NotificationStatus.sent


def test_recovery_skips_devices_that_already_took_the_reminder(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    subscribe(db, patient, fake_push, "/push/laptop")
    fake_push.program("/push/laptop", 503, 201)
    notification = queue_checkin(db, patient)
    deliver_due(db, sender, now=NOON)  # the phone took it; the laptop is to be retried
    left_sending(db, fresh(db, notification))

    recover_interrupted(db, now=NOON + timedelta(minutes=1))
    deliver_due(db, sender, now=NOON + timedelta(minutes=1))

    assert len(fake_push.requests_to("/push/phone")) == 1
    assert len(fake_push.requests_to("/push/laptop")) == 2
    assert fresh(db, notification).status == NotificationStatus.sent


def test_a_reminder_gone_stale_while_the_clock_was_down_is_skipped_after_recovery(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)
    left_sending(db, notification)

    recover_interrupted(db, now=NOON + timedelta(hours=5))
    deliver_due(db, sender, now=NOON + timedelta(hours=5))

    assert fake_push.request_count == 0
    assert fresh(db, notification).status == NotificationStatus.skipped


def test_restarted_planner_and_clock_send_each_check_in_once(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    evening = datetime(2026, 1, 13, 0, 0, tzinfo=UTC)  # 19:00 in New York, the default check-in time

    assert plan_reminders(db, now=NOON) == 1
    db.commit()
    assert plan_reminders(db, now=NOON + timedelta(minutes=10)) == 0
    db.commit()
    deliver_due(db, sender, now=evening + timedelta(minutes=20))  # the clock came back 20 minutes late
    plan_reminders(db, now=evening + timedelta(minutes=21))  # plans tomorrow's, not today's again
    db.commit()
    deliver_due(db, sender, now=evening + timedelta(minutes=21))

    assert fake_push.request_count == 1
    keys = sorted(n.occurrence_key for n in db.exec(select(Notification)))
    assert keys == ["day:2026-01-12", "day:2026-01-13"]


def test_a_late_reminder_past_its_use_is_skipped_not_sent(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)

    deliver_due(db, sender, now=NOON + timedelta(hours=5))

    assert fake_push.request_count == 0
    row = fresh(db, notification)
    assert (row.status, row.last_error) == (NotificationStatus.skipped, "too late to be useful")


def test_a_reminder_in_quiet_hours_is_sent_when_they_end(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    night = datetime(2026, 1, 13, 4, 0, tzinfo=UTC)  # 23:00 in New York; default quiet hours 22:00-07:00
    morning = datetime(2026, 1, 13, 12, 0, tzinfo=UTC)
    notification = queue_checkin(db, patient, at=night)

    assert notification.due_at == morning
    deliver_due(db, sender, now=night)
    assert fake_push.request_count == 0
    deliver_due(db, sender, now=morning)
    assert fresh(db, notification).status == NotificationStatus.sent


def test_quiet_hours_set_after_queueing_still_hold_the_reminder_back(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    notification = queue_checkin(db, patient)
    db.add(ReminderSettings(user_id=patient.id, quiet_start=time(11, 0), quiet_end=time(13, 0)))
    db.commit()

    report = deliver_due(db, sender, now=NOON)

    assert (report.deferred, fake_push.request_count) == (1, 0)
    assert fresh(db, notification).next_attempt_at == datetime(2026, 1, 12, 18, 0, tzinfo=UTC)


def test_daily_check_in_follows_local_time_across_the_spring_clock_change(db, patient) -> None:
    db.add(ReminderSettings(user_id=patient.id, checkin_time=time(19, 0)))
    db.add(PushSubscription(user_id=patient.id, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="x", auth="y"))
    db.commit()

    plan_reminders(db, now=datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    plan_reminders(db, now=datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    db.commit()

    due = {n.occurrence_key: n.due_at for n in db.exec(select(Notification))}
    assert due["day:2026-03-07"] == datetime(2026, 3, 8, 0, 0, tzinfo=UTC)  # 19:00 EST
    assert due["day:2026-03-08"] == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)  # 19:00 EDT


def test_no_reminders_are_planned_for_someone_without_a_device(db, patient) -> None:
    assert plan_reminders(db, now=NOON) == 0


# Homework reminders


def test_homework_reminder_is_planned_at_its_time_and_says_nothing_clinical_by_default(db, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, patient, fake_push, "/push/phone")
    make_assignment(db, patient=patient, kind=HomeworkKind.exposure_practice, title="OCD exposure: door handle",
                    start_date=date(2026, 1, 12), local_time=time(18, 0))

    plan_reminders(db, now=NOON)
    db.commit()
    deliver_due(db, sender, now=datetime(2026, 1, 12, 23, 0, tzinfo=UTC))

    body = payload(fake_push, "/push/phone", browser)
    assert body["title"] == "Time for your practice"
    assert "OCD" not in json.dumps(body) and "exposure" not in json.dumps(body)


def test_homework_done_before_its_reminder_is_not_nagged_about(db, patient, fake_push, sender) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    assignment = make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, start_date=date(2026, 1, 12))
    db.add(ReminderSettings(user_id=patient.id, checkin=False))
    db.commit()
    plan_reminders(db, now=NOON)
    db.commit()
    db.add(HomeworkCompletion(assignment_id=assignment.id, occurrence_key="day:2026-01-12", completed_at=NOON,
                              source="thought_records", source_id=1))
    db.commit()

    deliver_due(db, sender, now=datetime(2026, 1, 13, 14, 0, tzinfo=UTC))

    assert fake_push.request_count == 0
    statuses = {n.kind: (n.status, n.last_error) for n in db.exec(select(Notification))}
    assert statuses[ReminderKind.homework_due] == (NotificationStatus.skipped, "homework already done")
    assert statuses[ReminderKind.homework_overdue] == (NotificationStatus.skipped, "homework already done")


def test_missed_homework_gets_a_morning_nudge_while_it_can_still_be_done_late(db, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, patient, fake_push, "/push/phone")
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, start_date=date(2026, 1, 12))
    db.add(ReminderSettings(user_id=patient.id, checkin=False))
    db.commit()
    plan_reminders(db, now=NOON)
    db.commit()

    nudge = db.exec(select(Notification).where(Notification.kind == ReminderKind.homework_overdue)).one()
    assert nudge.due_at == datetime(2026, 1, 13, 14, 0, tzinfo=UTC)  # 09:00 the next morning


def test_questionnaire_reminder_does_not_name_the_questionnaire(db, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, patient, fake_push, "/push/phone")
    make_assignment(db, patient=patient, kind=HomeworkKind.questionnaire, title="PHQ-9 (depression)", target="phq9",
                    timing_kind="weekly", weekdays="0", start_date=date(2026, 1, 12), local_time=time(10, 0))
    db.add(ReminderSettings(user_id=patient.id, checkin=False, quiet_start=None, quiet_end=None))
    db.commit()

    plan_reminders(db, now=datetime(2026, 1, 12, 14, 0, tzinfo=UTC))
    db.commit()
    deliver_due(db, sender, now=datetime(2026, 1, 12, 15, 0, tzinfo=UTC))

    body = payload(fake_push, "/push/phone", browser)
    assert body["title"] == "A short check-in is waiting"
    assert "PHQ" not in json.dumps(body) and "depression" not in json.dumps(body)


# After the TMS visit


@pytest.fixture
def post_tms_patient(db, patient, therapist, fake_push):
    make_course(db, patient=patient, by=therapist, start=date(2026, 1, 12), weeks=1)
    make_assignment(db, patient=patient, kind=HomeworkKind.exposure_practice, timing_kind="post_tms",
                    title="Exposure after TMS", start_date=date(2026, 1, 12), window_hours=4)
    return patient


def first_session(db, patient) -> TmsSession:
    return db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id).order_by(TmsSession.scheduled_at)).first()


def test_marking_the_visit_done_queues_the_window_reminder_with_its_closing_time(
    db, post_tms_patient, therapist, fake_push, sender
) -> None:
    _, browser = subscribe(db, post_tms_patient, fake_push, "/push/phone")
    session = first_session(db, post_tms_patient)
    done_at = datetime(2026, 1, 12, 14, 40, tzinfo=UTC)  # 09:40 in New York

    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=done_at)
    db.commit()
    deliver_due(db, sender, now=done_at + timedelta(seconds=20))

    body = payload(fake_push, "/push/phone", browser)
    assert body["body"] == "Your practice window is open until 13:40."
    assert "Exposure" not in body["body"]
    nudge = db.exec(select(Notification).where(Notification.kind == ReminderKind.post_tms_nudge)).one()
    assert nudge.due_at == done_at + timedelta(hours=2)


def test_mid_window_nudge_is_sent_only_while_the_practice_is_still_open(
    db, post_tms_patient, therapist, fake_push, sender
) -> None:
    subscribe(db, post_tms_patient, fake_push, "/push/phone")
    session = first_session(db, post_tms_patient)
    done_at = datetime(2026, 1, 12, 14, 40, tzinfo=UTC)
    services.set_status(db, session=session, status=SessionStatus.COMPLETED, by=therapist, at=done_at)
    db.commit()
    deliver_due(db, sender, now=done_at)
    assignment = db.exec(select(Assignment).where(Assignment.kind != "questionnaire")).one()
    db.add(HomeworkCompletion(assignment_id=assignment.id, occurrence_key=f"tms:{session.id}",
                              completed_at=done_at + timedelta(hours=1), source="exposure_logs", source_id=1))
    db.commit()

    deliver_due(db, sender, now=done_at + timedelta(hours=2))

    assert fake_push.request_count == 1
    nudge = db.exec(select(Notification).where(Notification.kind == ReminderKind.post_tms_nudge)).one()
    assert (nudge.status, nudge.last_error) == (NotificationStatus.skipped, "post-TMS homework already done")


def test_a_visit_without_post_tms_homework_sends_no_window_reminder(db, patient, therapist, fake_push) -> None:
    subscribe(db, patient, fake_push, "/push/phone")
    make_course(db, patient=patient, by=therapist, start=date(2026, 1, 12), weeks=1)

    services.set_status(db, session=first_session(db, patient), status=SessionStatus.COMPLETED, by=therapist, at=NOON)
    db.commit()

    assert db.exec(select(Notification)).all() == []


def test_patient_who_turned_window_reminders_off_gets_none(db, post_tms_patient, therapist, fake_push) -> None:
    subscribe(db, post_tms_patient, fake_push, "/push/phone")
    db.add(ReminderSettings(user_id=post_tms_patient.id, post_tms=False))
    db.commit()

    services.set_status(db, session=first_session(db, post_tms_patient), status=SessionStatus.COMPLETED,
                        by=therapist, at=NOON)
    db.commit()

    assert db.exec(select(Notification)).all() == []


# Therapist safety alerts


def test_safety_alert_goes_out_at_once_in_quiet_hours_with_high_urgency_and_no_phi(
    db, therapist, patient, fake_push, sender
) -> None:
    _, browser = subscribe(db, therapist, fake_push, "/push/therapist")
    night = datetime(2026, 1, 13, 7, 0, tzinfo=UTC)  # 02:00 in New York
    queue_safety_alert(db, event_id=41, therapist_id=therapist.id, at=night)
    db.commit()

    deliver_due(db, sender, now=night)

    (request,) = fake_push.requests
    assert (request.header("Urgency"), request.header("Topic"), request.header("TTL")) == ("high", "safety-41", "86400")
    body = json.loads(decrypt(request, browser))
    assert body["body"] == "A patient needs your attention — open the app."
    assert patient.name not in json.dumps(body) and patient.first_name not in json.dumps(body)


def test_safety_alert_for_a_therapist_without_devices_is_logged_as_not_pushed(db, therapist, sender) -> None:
    alert = queue_safety_alert(db, event_id=3, therapist_id=therapist.id, at=NOON)
    db.commit()

    deliver_due(db, sender, now=NOON)

    assert (fresh(db, alert).status, fresh(db, alert).last_error) == (NotificationStatus.skipped, "no subscribed device")


def test_a_real_safety_event_alerts_the_treating_therapist_once(app, db, therapist, patient) -> None:
    from app.models.safety import SafetyEventSource
    from app.safety.events import safety_event_created
    from app.safety.services import record_safety_event

    event = record_safety_event(db, patient=patient, source=SafetyEventSource.patient_button, at=NOON)
    safety_event_created.send(event, event=event, db=db)  # a repeated signal must not alert twice
    db.commit()

    (alert,) = db.exec(select(Notification)).all()
    assert (alert.user_id, alert.kind, alert.occurrence_key, alert.urgency) == (
        therapist.id, ReminderKind.safety_alert, f"safety:{event.id}", "high"
    )


def test_morning_digest_counts_todays_patients_without_naming_them(db, therapist, patient, fake_push, sender) -> None:
    _, browser = subscribe(db, therapist, fake_push, "/push/therapist")
    db.add(ReminderSettings(user_id=therapist.id, digest=True, digest_time=time(7, 30)))
    db.commit()
    make_course(db, patient=patient, by=therapist, start=date(2026, 1, 12), weeks=1)
    morning = datetime(2026, 1, 12, 12, 20, tzinfo=UTC)  # 07:20 in New York

    plan_reminders(db, now=morning)
    db.commit()
    deliver_due(db, sender, now=morning + timedelta(minutes=10))

    body = payload(fake_push, "/push/therapist", browser)
    assert body == {"title": "Today's patients", "body": "1 of your patients has TMS today.", "url": "/patients",
                    "tag": body["tag"]}
    assert patient.name not in json.dumps(body)
