"""On a phone, a patient answers PHQ-9 item 9 above 0 and sees the crisis screen; the therapist's caseload flags
it and their acknowledgement is recorded."""
from playwright.sync_api import expect
from sqlmodel import select

from app.models import SafetyEvent, SafetyEventSource
from tests.browser.conftest import sign_in_page


def test_phq9_item9_shows_crisis_screen_and_flags_the_therapist(phone, desktop, db, patient, therapist):
    sign_in_page(phone, patient.email)
    expect(phone.get_by_role("link", name="I'm not safe right now")).to_be_visible()
    phone.goto("/questionnaires/phq9")
    for number in range(1, 9):
        phone.locator(f"#q{number}").get_by_label("Several days").check()
    phone.locator("#q9").get_by_label("Several days").check()
    phone.get_by_role("button", name="Submit").click()

    expect(phone.get_by_role("heading", name="You are not alone. Help is here.")).to_be_visible()
    expect(phone.get_by_role("link", name="Emergency: call 911")).to_be_visible()
    expect(phone.get_by_role("link", name="988 Suicide & Crisis Lifeline: call 988")).to_have_attribute("href", "tel:988")
    expect(phone.get_by_text("This app is not an emergency service.")).to_be_visible()
    expect(phone.get_by_role("heading", name="My safety plan")).to_be_visible()

    event = db.exec(select(SafetyEvent)).one()
    assert (event.source, event.item_value, event.seen_at is not None) == (SafetyEventSource.phq9_item9, 1, True)

    sign_in_page(desktop, therapist.email)
    alerts = desktop.get_by_role("alert")
    expect(alerts).to_contain_text("Pat Example")
    expect(alerts).to_contain_text("PHQ-9 item 9 answered 1")
    alerts.get_by_role("link", name="Review and acknowledge").click()
    desktop.get_by_label("What you did").fill("Phoned Pat; safe at home with partner, plan reviewed.")
    desktop.get_by_role("button", name="Acknowledge").click()
    expect(desktop.get_by_text("Safety event acknowledged for Pat Example.")).to_be_visible()
    expect(desktop.get_by_text("Phoned Pat; safe at home with partner, plan reviewed.")).to_be_visible()

    db.expire_all()
    event = db.exec(select(SafetyEvent)).one()
    assert event.acknowledged_by_id == therapist.id and event.acknowledged_at is not None
    desktop.goto("/patients")
    expect(desktop.get_by_role("alert")).to_have_count(0)


def test_not_safe_link_from_any_page_records_event_and_shows_crisis_screen(phone, db, patient):
    sign_in_page(phone, patient.email)
    phone.goto("/practice")
    phone.get_by_role("link", name="I'm not safe right now").click()
    expect(phone.get_by_role("link", name="Emergency: call 911")).to_be_visible()
    phone.get_by_role("button", name="Alert my therapist and show my safety plan").click()
    expect(phone.get_by_role("heading", name="You are not alone. Help is here.")).to_be_visible()
    assert db.exec(select(SafetyEvent)).one().source == SafetyEventSource.patient_button


def test_daily_checkin_takes_a_few_taps_on_a_phone(phone, db, patient):
    sign_in_page(phone, patient.email)
    phone.goto("/checkins/new")
    phone.get_by_role("group", name="Mood right now").get_by_label("6", exact=True).check()
    phone.get_by_role("button", name="Save check-in").click()
    expect(phone.get_by_text("Check-in saved. Thank you.")).to_be_visible()


def test_checkin_questionnaire_and_crisis_pages_fit_a_320px_screen(phone, patient):
    sign_in_page(phone, patient.email)
    phone.set_viewport_size({"width": 320, "height": 640})
    for path in ("/checkins/new", "/questionnaires/pcl5", "/safety/crisis", "/safety/plan", "/today"):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
