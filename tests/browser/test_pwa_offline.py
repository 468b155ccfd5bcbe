"""Phone, Chromium: the app installs (worker active and controlling, manifest complete), and entries made offline
reach the server exactly once when the connection returns."""
from playwright.sync_api import expect
from sqlmodel import select

from app.exposure import services
from app.models import MoodCheckin
from app.models.exposure import ExposurePractice
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page, wait_until_kept


def wait_for_control(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller.state === 'activated'")


def test_app_is_installable_worker_active_and_controlling(phone, patient):
    sign_in_page(phone, patient.email)
    phone.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    phone.reload()
    wait_for_control(phone)
    state = phone.evaluate("""async () => {
        const reg = await navigator.serviceWorker.getRegistration('/');
        const link = document.querySelector('link[rel=manifest]');
        const manifest = await (await fetch(link.href)).json();
        return {scope: reg.scope, active: reg.active.state, manifest};
    }""")
    assert state["scope"].endswith("/") and state["active"] == "activated"
    manifest = state["manifest"]
    assert manifest["display"] == "standalone" and manifest["start_url"] and manifest["short_name"]
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(i["purpose"] == "maskable" for i in manifest["icons"])


def test_offline_exposure_and_checkin_sync_exactly_once(phone, db, patient, therapist):
    ladder = services.create_hierarchy(db, patient=patient, title="Lifts")
    item = services.add_item(db, hierarchy=ladder, kind="pe_in_vivo", description="Ride the lift two floors",
                             ritual="", suds=50, by=therapist, at=utcnow())
    db.commit()
    sign_in_page(phone, patient.email)
    phone.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")

    checkin = phone.context.new_page()  # both forms open before the lift doors close
    checkin.goto("/checkins/new")
    phone.goto(f"/exposure/items/{item.id}/practice")
    phone.context.set_offline(True)
    phone.get_by_label("SUDS before").fill("60")
    phone.get_by_label("Peak SUDS").fill("75")
    phone.get_by_label("SUDS at the end").fill("30")
    phone.get_by_label("Minutes").fill("12")
    phone.get_by_role("button", name="Save practice").click()
    expect(phone.get_by_text("Saved on this phone — will sync")).to_be_visible()
    expect(phone.get_by_text("1 entry saved on this phone, not sent yet.")).to_be_visible()
    expect(phone.get_by_label("Minutes")).to_have_value("")

    checkin.get_by_role("group", name="Mood right now").get_by_label("6", exact=True).check()
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_text("2 entries saved on this phone, not sent yet.")).to_be_visible()
    db.expire_all()
    assert db.exec(select(MoodCheckin)).all() == [] and db.exec(select(ExposurePractice)).all() == []

    phone.context.set_offline(False)  # the `online` event flushes the outbox, in both tabs at once
    expect(checkin.locator("[data-outbox]")).not_to_contain_text("not sent yet")
    expect(phone.locator("[data-outbox]")).not_to_contain_text("not sent yet")
    phone.get_by_role("link", name="Today").click()  # a second flush opportunity must not duplicate anything
    phone.wait_for_load_state("networkidle")
    db.expire_all()
    assert len(db.exec(select(MoodCheckin)).all()) == 1
    practices = db.exec(select(ExposurePractice)).all()
    assert [(p.suds_before, p.suds_peak, p.suds_after, p.duration_minutes) for p in practices] == [(60, 75, 30, 12)]


def test_replaying_the_same_submission_twice_creates_nothing(phone, db, patient):
    sign_in_page(phone, patient.email)
    phone.goto("/checkins/new")
    phone.get_by_role("group", name="Mood right now").get_by_label("7", exact=True).check()
    key = phone.locator("input[name=idempotency_key]").input_value()
    body = phone.evaluate("new URLSearchParams(new FormData(document.querySelector('form[data-offline]'))).toString()")
    phone.get_by_role("button", name="Save check-in").click()
    expect(phone.get_by_text("Check-in saved")).to_be_visible()
    statuses = phone.evaluate("""async ([key, body]) => {
        const send = () => fetch('/checkins/new', {method: 'POST', redirect: 'manual',
            headers: {'Idempotency-Key': key, 'Content-Type': 'application/x-www-form-urlencoded'}, body});
        return [(await send()).type, (await send()).type];
    }""", [key, body])  # the same body: a different one under the same key is refused (422)
    assert statuses == ["opaqueredirect", "opaqueredirect"]
    db.expire_all()
    assert len(db.exec(select(MoodCheckin)).all()) == 1


def kept_pages(phone) -> list[str]:
    return phone.evaluate("""async () => {
        const names = (await caches.keys()).filter(n => n.startsWith('pages-'));
        const keys = await Promise.all(names.map(async n => (await (await caches.open(n)).keys()).map(r => new URL(r.url).pathname)));
        return keys.flat();
    }""")


def test_offline_navigation_shows_the_offline_page_and_the_cached_crisis_screen(phone, patient):
    sign_in_page(phone, patient.email)
    phone.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    phone.reload()
    wait_for_control(phone)
    wait_until_kept(phone, "/safety/plan")
    phone.context.set_offline(True)
    phone.goto("/activity-ideas")  # not one of the pages kept for offline use
    expect(phone.get_by_role("heading", name="You're offline")).to_be_visible()
    phone.goto("/safety/crisis")
    expect(phone.get_by_role("heading", name="My safety plan")).to_be_visible()


def test_sign_out_clears_the_phones_caches_and_outbox(phone, patient):
    sign_in_page(phone, patient.email)
    phone.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    phone.reload()
    wait_until_kept(phone, "/diary")  # the last of the background copies
    phone.goto("/me")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_text("You are signed out.")).to_be_visible()
    assert kept_pages(phone) == []
