"""Push devices (issue 19, finding 7): a known endpoint is not taken over by another account, ten devices a person
at most, the test notification is rate-limited, and a deleted device's id is never reused."""
from datetime import timedelta

from sqlmodel import select

from app.models.push import Notification, PushSubscription, ReminderKind
from app.models.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_patient
from tests.requests.test_push import FCM, browser_subscription


def test_a_patient_cannot_take_a_therapists_device_off_their_alerts(app, db, therapist, patient):
    phone = app.test_client()
    sign_in(phone, therapist)
    theirs = browser_subscription()
    assert phone.post("/api/push/subscriptions", json=theirs).status_code == 201
    attacker = app.test_client()
    sign_in(attacker, patient)
    stolen_endpoint = browser_subscription()  # the same endpoint, but keys the attacker made up
    response = attacker.post("/api/push/subscriptions", json=stolen_endpoint)
    assert response.status_code == 409 and "someone else" in response.json["message"]
    (row,) = db.exec(select(PushSubscription)).all()
    assert (row.user_id, row.p256dh) == (therapist.id, theirs["keys"]["p256dh"])


def test_the_browser_holding_the_subscription_may_move_it_to_whoever_signs_in(app, db, therapist, patient):
    shared = browser_subscription()
    first = app.test_client()
    sign_in(first, therapist)
    first.post("/api/push/subscriptions", json=shared)
    second = app.test_client()
    sign_in(second, patient)
    assert second.post("/api/push/subscriptions", json=shared).status_code == 201  # same keys: proof of possession
    assert db.exec(select(PushSubscription.user_id)).all() == [patient.id]


def test_a_person_keeps_at_most_ten_devices_and_the_oldest_goes(patient_client, db, patient):
    for number in range(12):
        assert patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-{number}")).status_code == 201
    endpoints = sorted(db.exec(select(PushSubscription.endpoint)).all())
    assert len(endpoints) == 10
    assert f"{FCM}-0" not in endpoints and f"{FCM}-1" not in endpoints and f"{FCM}-11" in endpoints


def test_other_peoples_devices_do_not_count_toward_the_limit(app, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="other@example.org")
    client = app.test_client()
    sign_in(client, other)
    client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-other"))
    sign_in(client, patient)
    for number in range(10):
        client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-{number}"))
    assert len(db.exec(select(PushSubscription).where(PushSubscription.user_id == other.id)).all()) == 1


def _tests_queued(db, user) -> int:
    return len(db.exec(select(Notification).where(Notification.user_id == user.id,
                                                   Notification.kind == ReminderKind.test)).all())


def test_the_test_notification_is_rate_limited(patient_client, db, patient):
    patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-a"))  # a test needs a device
    assert patient_client.post("/settings/reminders/test").status_code == 303
    again = patient_client.post("/settings/reminders/test", follow_redirects=True)
    assert "wait a minute" in again.text
    assert _tests_queued(db, patient) == 1


def test_at_most_five_test_notifications_an_hour(patient_client, db, patient):
    patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-a"))  # a test needs a device
    for minutes in range(2, 12, 2):  # five earlier tests, each more than a minute apart
        db.add(Notification(user_id=patient.id, kind=ReminderKind.test, occurrence_key=f"test:{minutes}", title="t",
                            body="b", url="/today", due_at=utcnow(), stale_at=utcnow() + timedelta(hours=1),
                            created_at=utcnow() - timedelta(minutes=minutes)))
    db.commit()
    patient_client.post("/settings/reminders/test")
    assert _tests_queued(db, patient) == 5


def test_a_deleted_devices_id_is_never_given_to_a_new_device(patient_client, db):
    first = patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-a")).json["id"]
    second = patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-b")).json["id"]
    patient_client.delete("/api/push/subscriptions", json={"endpoint": f"{FCM}-b"})
    third = patient_client.post("/api/push/subscriptions", json=browser_subscription(f"{FCM}-c")).json["id"]
    assert third > second > first
