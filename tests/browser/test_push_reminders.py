"""On a phone, the patient turns reminders on and the device's subscription is stored; a push delivered to the
service worker (through the DevTools protocol) shows a notification. Headless Chromium cannot reach a real push
service, so PushManager.subscribe is stubbed with test keys and a fake endpoint."""
import json
import time
from pathlib import Path

from playwright.sync_api import expect
from sqlmodel import select

from app.models.push import PushSubscription
from app.push.vapid import generate_vapid_keys
from tests.browser.conftest import sign_in_page
from tests.support.fake_push import make_browser_subscription

STUB = """
(() => {
  const json = %s;
  const subscription = {
    endpoint: json.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: null },
    toJSON() { return json; }, getKey() { return null; },
    unsubscribe() { localStorage.removeItem("stub-subscribed"); return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function () {
    localStorage.setItem("stub-subscribed", "1");
    return Promise.resolve(subscription);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("stub-subscribed") ? subscription : null);
  };
})();
"""


def _registration_id(page, cdp, timeout: float = 10.0) -> str:
    """Events arrive while Playwright pumps its loop, so wait with page.wait_for_timeout, not time.sleep."""
    found: list[str] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: found.extend(r["registrationId"] for r in event["registrations"] if not r["isDeleted"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + timeout
    while not found and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert found, "no service worker registration"
    return found[-1]


def test_patient_turns_on_reminders_and_a_push_shows_a_notification(app, phone, db, patient, live_server):
    generate_vapid_keys(Path(app.instance_path))
    subscription, _ = make_browser_subscription("http://127.0.0.1:9", "/push/phone-under-test")
    phone.context.add_init_script(STUB % json.dumps(subscription))

    sign_in_page(phone, patient.email)
    phone.goto("/settings/reminders")
    # Allowed only now: with permission already granted, any page (Today) would subscribe on its own, and the
    # button under test would rightly be hidden.
    phone.context.grant_permissions(["notifications"], origin=live_server)
    phone.get_by_role("button", name="Turn on reminders on this device").click()

    expect(phone.get_by_text("Reminders are on for this device.")).to_be_visible()
    expect(phone.get_by_role("button", name="Turn off on this device")).to_be_visible()
    db.expire_all()
    (stored,) = db.exec(select(PushSubscription)).all()
    assert (stored.user_id, stored.endpoint, stored.auth) == (
        patient.id, subscription["endpoint"], subscription["keys"]["auth"]
    )

    phone.evaluate("navigator.serviceWorker.ready")
    cdp = phone.context.new_cdp_session(phone)
    payload = {"title": "Time for your practice", "body": "Your practice window is open until 13:40.",
               "url": "/today", "tag": "post_tms_window-1"}
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": live_server, "registrationId": _registration_id(phone, cdp), "data": json.dumps(payload)})

    phone.wait_for_function(
        "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(n => n.length > 0)", polling=100
    )
    shown = phone.evaluate(
        "navigator.serviceWorker.ready.then(r => r.getNotifications())"
        ".then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url})))"
    )
    assert shown == [{"title": "Time for your practice", "body": "Your practice window is open until 13:40.",
                      "tag": "post_tms_window-1", "url": "/today"}]


def test_turning_reminders_off_removes_the_device(app, phone, db, patient, live_server):
    generate_vapid_keys(Path(app.instance_path))
    subscription, _ = make_browser_subscription("http://127.0.0.1:9", "/push/phone-off")
    phone.context.add_init_script(STUB % json.dumps(subscription))
    sign_in_page(phone, patient.email)
    phone.goto("/settings/reminders")
    # Allowed only now: with permission already granted, any page (Today) would subscribe on its own, and the
    # button under test would rightly be hidden.
    phone.context.grant_permissions(["notifications"], origin=live_server)
    phone.get_by_role("button", name="Turn on reminders on this device").click()
    expect(phone.get_by_text("Reminders are on for this device.")).to_be_visible()

    phone.get_by_role("button", name="Turn off on this device").click()

    expect(phone.get_by_text("Reminders are off for this device.")).to_be_visible()
    db.expire_all()
    assert db.exec(select(PushSubscription)).all() == []
