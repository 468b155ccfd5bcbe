"""Push through the client: subscriptions API, settings page, test notification, service worker, CLI, clock."""
import json
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from app.models.push import Notification, NotificationStatus, PushSubscription, ReminderKind, ReminderSettings
from app.models.types import utcnow
from app.push import texts
from app.push.reminders import queue_notification
from app.push.vapid import generate_vapid_keys
from apscheduler.schedulers.background import BackgroundScheduler

from app.scheduler import SchedulerLock, build_scheduler
from tests.conftest import sign_in
from tests.factories import make_patient
from tests.support.fake_push import FakePushService, decrypt, make_browser_subscription

FCM = "https://fcm.googleapis.com/fcm/send/abc:APA91b"


@pytest.fixture
def keys(app):
    return generate_vapid_keys(Path(app.instance_path))


def browser_subscription(endpoint: str = FCM) -> dict:
    data, _ = make_browser_subscription("https://unused.example", "/x")
    return {**data, "endpoint": endpoint}


def test_patient_subscribes_a_device_and_it_is_stored(patient_client, db, patient) -> None:
    response = patient_client.post("/api/push/subscriptions", json=browser_subscription())

    assert response.status_code == 201
    (row,) = db.exec(select(PushSubscription)).all()
    assert (row.user_id, row.endpoint) == (patient.id, FCM)


def test_several_devices_per_person_and_resubscribing_updates_in_place(patient_client, db) -> None:
    patient_client.post("/api/push/subscriptions", json=browser_subscription())
    patient_client.post("/api/push/subscriptions", json=browser_subscription(FCM + "-laptop"))
    renewed = browser_subscription()
    patient_client.post("/api/push/subscriptions", json=renewed)

    rows = db.exec(select(PushSubscription).order_by(PushSubscription.id)).all()
    assert [row.endpoint for row in rows] == [FCM, FCM + "-laptop"]
    assert rows[0].p256dh == renewed["keys"]["p256dh"]


@pytest.mark.parametrize(
    "endpoint",
    ["https://evil.example/push", "http://fcm.googleapis.com/fcm/send/x", "https://10.0.0.1/push",
     "https://fcm.googleapis.com:8443/fcm/send/x"],
)
def test_endpoints_off_the_allowlist_are_refused(patient_client, db, endpoint) -> None:
    response = patient_client.post("/api/push/subscriptions", json=browser_subscription(endpoint))

    assert response.status_code == 400
    assert response.get_json()["field"] == "endpoint"
    assert db.exec(select(PushSubscription)).all() == []


def test_loopback_http_endpoint_is_accepted_only_where_configured(app, patient_client) -> None:
    assert patient_client.post("/api/push/subscriptions", json=browser_subscription("http://127.0.0.1:9/p")).status_code == 201
    app.config["PUSH_ALLOW_INSECURE_HOSTS"] = ()
    assert patient_client.post("/api/push/subscriptions", json=browser_subscription("http://127.0.0.1:9/q")).status_code == 400


def test_configured_allowlist_replaces_the_default(app, patient_client) -> None:
    app.config["PUSH_ENDPOINT_ALLOWLIST"] = ("push.example-clinic.org",)
    assert patient_client.post("/api/push/subscriptions", json=browser_subscription()).status_code == 400
    ok = browser_subscription("https://push.example-clinic.org/s/1")
    assert patient_client.post("/api/push/subscriptions", json=ok).status_code == 201


@pytest.mark.parametrize(
    "keys, field",
    [({"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "keys.p256dh"), ({"p256dh": "x"}, "keys.p256dh"), (None, "keys")],
)
def test_subscription_with_unusable_keys_is_refused(patient_client, keys, field) -> None:
    response = patient_client.post("/api/push/subscriptions", json={"endpoint": FCM, "keys": keys})
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def test_subscribing_needs_the_csrf_token(patient_client, db) -> None:
    response = patient_client.post("/api/push/subscriptions", json=browser_subscription(), csrf=False)
    assert response.status_code == 400
    assert db.exec(select(PushSubscription)).all() == []


def test_signed_out_visitor_cannot_subscribe(client) -> None:
    assert client.post("/api/push/subscriptions", json=browser_subscription()).status_code == 302


def test_delete_removes_only_ones_own_subscription(patient_client, client, db, therapist, patient) -> None:
    patient_client.post("/api/push/subscriptions", json=browser_subscription())
    owner, other = patient, make_patient(db, therapist=therapist, email="other@example.org")
    sign_in(client, other)
    assert client.delete("/api/push/subscriptions", json={"endpoint": FCM}).status_code == 204
    assert len(db.exec(select(PushSubscription)).all()) == 1
    sign_in(client, owner)
    assert client.delete("/api/push/subscriptions", json={"endpoint": FCM}).status_code == 204
    assert db.exec(select(PushSubscription)).all() == []


def test_public_key_is_served_once_keys_exist(patient_client, app) -> None:
    assert patient_client.get("/api/push/key").status_code == 503
    keys = generate_vapid_keys(Path(app.instance_path))
    assert patient_client.get("/api/push/key").get_json() == {"publicKey": keys.application_server_key}


def test_service_worker_is_served_from_the_root_uncached(client) -> None:
    with client.get("/sw.js") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Service-Worker-Allowed"] == "/"
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert b"showNotification" in response.get_data()


def test_pages_carry_the_csrf_token_for_scripts(patient_client) -> None:
    page = patient_client.get("/settings/reminders").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in page
    assert "js/push.js" in page


def test_patient_saves_reminder_settings(patient_client, db, patient) -> None:
    response = patient_client.post("/settings/reminders", data={
        "post_tms": "y", "checkin": "y", "checkin_time": "20:15", "homework": "y", "quiet": "y",
        "quiet_start": "23:00", "quiet_end": "06:30", "detailed_text": "y",
    })

    assert response.status_code == 303
    row = db.exec(select(ReminderSettings).where(ReminderSettings.user_id == patient.id)).one()
    assert (row.post_tms, row.post_tms_nudge, row.checkin, row.checkin_time) == (True, False, True, time(20, 15))
    assert (row.questionnaires, row.quiet_start, row.quiet_end, row.detailed_text) == (False, time(23), time(6, 30), True)


def test_turning_quiet_hours_off_clears_them(patient_client, db, patient) -> None:
    response = patient_client.post("/settings/reminders", data={"checkin": "y", "checkin_time": "19:00"})
    assert response.status_code == 303, response.get_data(as_text=True)
    row = db.exec(select(ReminderSettings).where(ReminderSettings.user_id == patient.id)).one()
    assert (row.quiet_start, row.quiet_end) == (None, None)


def test_equal_quiet_times_are_shown_beside_the_field_with_values_kept(patient_client) -> None:
    response = patient_client.post("/settings/reminders", data={
        "checkin": "y", "checkin_time": "19:00", "quiet": "y", "quiet_start": "07:00", "quiet_end": "07:00",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Quiet hours must start and end at different times." in page
    assert 'value="07:00"' in page


def test_changing_the_check_in_time_moves_the_planned_reminder(patient_client, db, patient) -> None:
    patient_client.post("/api/push/subscriptions", json=browser_subscription())
    patient_client.post("/settings/reminders", data={"checkin": "y", "checkin_time": "23:50"})
    patient_client.post("/settings/reminders", data={"checkin": "y", "checkin_time": "23:55"})

    checkins = db.exec(select(Notification).where(Notification.kind == ReminderKind.daily_checkin)).all()
    assert {n.due_at.astimezone(ZoneInfo(patient.timezone)).strftime("%H:%M") for n in checkins} == {"23:55"}


def test_therapist_sees_digest_options_not_patient_ones(therapist_client) -> None:
    page = therapist_client.get("/settings/reminders").get_data(as_text=True)
    assert "Morning digest" in page and "Safety alerts always come at once" in page
    assert "Daily check-in" not in page


def test_clinic_staff_have_no_reminder_settings(admin_client) -> None:
    assert admin_client.get("/settings/reminders").status_code == 403


def test_test_notification_button_queues_one_for_the_clock(patient_client, db, patient) -> None:
    patient_client.post("/api/push/subscriptions", json=browser_subscription())
    response = patient_client.post("/settings/reminders/test")

    assert response.status_code == 303
    (row,) = db.exec(select(Notification)).all()
    assert (row.user_id, row.kind, row.status) == (patient.id, ReminderKind.test, NotificationStatus.pending)


def test_push_test_command_delivers_to_every_device_now(runner, db, patient, keys) -> None:
    with FakePushService() as fake:
        data, browser = make_browser_subscription(fake.base_url, "/push/cli")
        db.add(PushSubscription(user_id=patient.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                                auth=data["keys"]["auth"]))
        db.commit()
        result = runner.invoke(args=["push-test", "--email", patient.email])
        requests = fake.requests

    assert result.exit_code == 0, result.output
    assert "sent" in result.output and "delivered" in result.output
    assert json.loads(decrypt(requests[0], browser))["title"] == "Test notification"


def test_push_test_command_explains_missing_keys(runner, patient) -> None:
    result = runner.invoke(args=["push-test", "--email", patient.email])
    assert result.exit_code != 0 and "vapid-keys" in result.output


def test_vapid_keys_command_writes_once_and_keeps_existing_keys(runner, app) -> None:
    first = runner.invoke(args=["vapid-keys"])
    second = runner.invoke(args=["vapid-keys"])
    assert first.exit_code == 0 and "Wrote" in first.output
    assert "already configured" in second.output
    assert (Path(app.instance_path) / "vapid_private.pem").exists()


def test_vapid_keys_print_gives_a_value_for_the_environment(runner) -> None:
    result = runner.invoke(args=["vapid-keys", "--print"])
    assert result.output.startswith("VAPID_PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\\n")


def test_scheduler_once_plans_and_sends_what_is_due(runner, db, patient, keys) -> None:
    with FakePushService() as fake:
        data, _ = make_browser_subscription(fake.base_url, "/push/clock")
        db.add(PushSubscription(user_id=patient.id, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                                auth=data["keys"]["auth"]))
        # No planned reminders: between 19:00 and 20:00 New York the planner would rightly send the check-in too.
        db.add(ReminderSettings(user_id=patient.id, checkin=False, homework=False, questionnaires=False))
        db.commit()
        queue_notification(db, user=patient, kind=ReminderKind.test, occurrence_key="test:clock",
                           text=texts.device_check(), url="/today", due_at=utcnow())
        db.commit()
        result = runner.invoke(args=["scheduler", "--once"])
        again = runner.invoke(args=["scheduler", "--once"])
        count = fake.request_count

    assert result.exit_code == 0 and again.exit_code == 0, result.output
    assert count == 1


def test_scheduler_runs_jobs_in_utc_coalesced_one_at_a_time(app) -> None:
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"reminders-plan", "safety-escalate", "push-deliver"}
        assert str(scheduler.timezone) == "UTC"
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 15 * 60)
    finally:
        scheduler.shutdown(wait=False)


def test_only_one_scheduler_may_hold_the_database(app) -> None:
    engine = app.extensions["engine"]
    first, second = SchedulerLock(engine), SchedulerLock(engine)

    assert first.acquire(wait=False)
    try:
        assert not second.acquire(wait=False)
    finally:
        first.release()
    assert second.acquire(wait=False)
    second.release()


def test_a_second_scheduler_command_refuses_while_one_runs(app, runner) -> None:
    lock = SchedulerLock(app.extensions["engine"])
    assert lock.acquire(wait=False)
    try:
        result = runner.invoke(args=["scheduler", "--once"])
    finally:
        lock.release()
    assert result.exit_code != 0 and "another scheduler" in result.output
