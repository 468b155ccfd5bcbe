"""Issue 15 on a 390 px phone: (a) a diary card with urge 5 shows the crisis screen and flags the caseload;
(b) offline, "I'm not safe right now" is honest (988 first) and reaches the therapist with its original time on
reconnection; (c) offline, PHQ-9 item 9 = 2 shows the crisis screen on the phone and raises the event later."""
import time
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlmodel import select

from app.models import QuestionnaireResponse, SafetyEvent, SafetyEventSource
from app.models.types import utcnow
from tests.browser.conftest import wait_until_kept
from tests.browser.conftest import sign_in_page
from tests.browser.test_pwa_offline import wait_for_control


def _events(db):
    db.expire_all()
    return db.exec(select(SafetyEvent).order_by(SafetyEvent.id)).all()


def _wait_for_events(db, count: int, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if len(_events(db)) >= count:
            return _events(db)
        time.sleep(0.2)
    return _events(db)


def _installed_with_cached(phone, path: str) -> None:
    phone.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    phone.reload()
    wait_for_control(phone)
    wait_until_kept(phone, path)


def test_a_diary_card_urge_5_shows_the_crisis_screen_and_flags_the_caseload(phone, desktop, db, patient, therapist):
    sign_in_page(phone, patient.email)
    phone.goto("/diary")
    phone.get_by_role("group", name="Urge to end my life").get_by_label("5", exact=True).check()
    phone.get_by_role("button", name="Save diary card").click()
    expect(phone.get_by_role("heading", name="You are not alone. Help is here.")).to_be_visible()
    expect(phone.get_by_text("Your therapist was alerted at")).to_be_visible()
    expect(phone.get_by_role("link", name="988 Suicide & Crisis Lifeline: chat online")).to_be_visible()
    phone.wait_for_function("!document.querySelector('form[data-crisis-seen]') || document.querySelector('form[data-crisis-seen]').hidden")
    (event,) = _events(db)
    assert (event.source, event.details, event.seen_at is not None) == (
        SafetyEventSource.diary_card, {"urge-suicide": 5}, True)

    sign_in_page(desktop, therapist.email)
    alerts = desktop.get_by_role("alert")
    expect(alerts).to_contain_text("Pat Example")
    expect(alerts).to_contain_text("urge to end my life 5/5")
    expect(alerts).to_contain_text("open for 0 min")


def test_b_offline_not_safe_is_honest_and_arrives_with_its_original_time(phone, desktop, db, patient, therapist):
    sign_in_page(phone, patient.email)
    _installed_with_cached(phone, "/safety/not-safe")
    phone.context.set_offline(True)
    phone.get_by_role("link", name="I'm not safe right now").click()
    pressed = utcnow()
    phone.get_by_role("button", name="Alert my therapist and show my safety plan").click()

    panel = phone.locator("[data-offline-crisis]")
    expect(panel.get_by_role("heading", name="You're offline: nobody has been alerted yet")).to_be_visible()
    first = panel.get_by_role("link").first
    expect(first).to_have_attribute("href", "tel:988")
    expect(panel.get_by_role("link", name="988 Suicide & Crisis Lifeline: text 988")).to_have_attribute("href", "sms:988")
    expect(panel.get_by_role("link", name="Emergency: call 911")).to_be_visible()
    expect(panel).to_contain_text("cannot reach your therapist or the clinic right now")
    assert phone.evaluate("window.scrollY") < 50  # shown above everything else
    assert _events(db) == []

    time.sleep(2.5)  # the phone stays offline for a while
    reconnected = utcnow()
    phone.context.set_offline(False)
    (event,) = _wait_for_events(db, 1)
    assert event.source == SafetyEventSource.patient_button
    assert pressed.replace(microsecond=0) <= event.created_at.replace(microsecond=0) < reconnected
    assert event.received_at >= reconnected
    phone.reload()  # a second flush opportunity must not duplicate it
    phone.wait_for_load_state("networkidle")
    assert len(_events(db)) == 1

    sign_in_page(desktop, therapist.email)
    alerts = desktop.get_by_role("alert")
    expect(alerts).to_contain_text("Pat Example")
    expect(alerts).to_contain_text("pressed “I'm not safe right now”")
    local = event.created_at.astimezone(ZoneInfo(therapist.timezone)).strftime("%a %d %b, %H:%M")
    expect(alerts).to_contain_text(local)


def test_c_offline_phq9_item9_shows_the_crisis_screen_on_the_phone_and_the_event_follows(phone, db, patient):
    sign_in_page(phone, patient.email)
    _installed_with_cached(phone, "/questionnaires/phq9")
    phone.context.set_offline(True)
    phone.goto("/questionnaires/phq9")
    for number in range(1, 9):
        phone.locator(f"#q{number}").get_by_label("Several days").check()
    phone.locator("#q9").get_by_label("More than half the days").check()
    answered = utcnow()
    phone.get_by_role("button", name="Submit").click()

    expect(phone.get_by_role("heading", name="You're offline: nobody has been alerted yet")).to_be_visible()
    expect(phone.locator("[data-offline-crisis]").get_by_role("link").first).to_have_attribute("href", "tel:988")
    expect(phone.get_by_text("1 entry saved on this phone, not sent yet.")).to_be_visible()
    assert _events(db) == []

    time.sleep(1.5)
    phone.context.set_offline(False)
    _wait_for_events(db, 1)
    time.sleep(1)  # the page and Background Sync may both send it: still one event
    (event,) = _events(db)
    assert (event.source, event.item_value) == (SafetyEventSource.phq9_item9, 2)
    assert event.created_at.replace(microsecond=0) >= answered.replace(microsecond=0)
    assert event.created_at < event.received_at
    db.expire_all()
    (response,) = db.exec(select(QuestionnaireResponse)).all()
    assert response.answers["9"] == 2 and event.response_id == response.id
