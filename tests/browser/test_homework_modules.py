"""On a phone: a patient completes a thought record and plans, does and rates an activity; the therapist sees both."""
from datetime import time, timedelta

from playwright.sync_api import expect

from app.formatting import longdate
from app.homework.schedule import local_today
from app.models import Activity
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page


def test_patient_completes_a_thought_record_and_an_activity_and_the_therapist_sees_both(phone, desktop, patient, therapist):
    sign_in_page(phone, patient.email)
    expect(phone.get_by_role("heading", name="Hello, Pat")).to_be_visible()

    phone.goto("/thoughts/new")
    phone.get_by_label("What happened?").fill("Presentation at work, my manager frowned")
    phone.get_by_label("What went through your mind?").fill("I'm going to get fired")
    phone.get_by_label("How much did you believe it? (0-100 %)").fill("85")
    phone.get_by_text("Spot a thinking trap? (optional)").click()
    phone.get_by_label("Fortune telling").check()
    phone.locator("#emotions-0-name").fill("Anxious")
    phone.locator("input[data-scale-for='emotions-0-intensity']").fill("80")
    expect(phone.locator("#emotions-0-intensity")).to_have_value("80")
    phone.get_by_label("What supports the thought?").fill("She frowned")
    phone.get_by_label("What doesn't fit the thought?").fill("She thanked me afterwards")
    phone.get_by_label("A more balanced thought").fill("She may have been thinking about something else")
    phone.get_by_label("How much do you believe the balanced thought? (0-100 %)").fill("65")
    expect(phone.get_by_label("Anxious now (0-100 %)")).to_be_visible()
    phone.get_by_label("Anxious now (0-100 %)").fill("35")
    phone.get_by_role("button", name="Save record").click()
    expect(phone.get_by_text("Thought record saved")).to_be_visible()
    expect(phone.get_by_text("Anxious: 80 %")).to_be_visible()

    phone.goto("/activities")
    phone.get_by_role("link", name="Plan an activity").click()
    phone.locator("summary", has_text="Health and body").click()
    phone.get_by_role("link", name="Take a 10-minute walk outside").click()
    expect(phone.get_by_label("What will you do?")).to_have_value("Take a 10-minute walk outside")
    phone.get_by_label("Time (optional)").fill("17:30")
    phone.get_by_role("button", name="Add to my plan").click()
    expect(phone.get_by_text("Planned: Take a 10-minute walk outside.")).to_be_visible()
    phone.get_by_role("link", name="Did it? Rate it: Take a 10-minute walk outside").click()
    phone.get_by_label("Yes, I did it").check()
    phone.locator("input[data-scale-for='pleasure']").fill("7")
    expect(phone.get_by_label("Pleasure (0-10)")).to_have_value("7")
    phone.get_by_label("Sense of achievement (0-10)").fill("6")
    phone.get_by_label("Mood before (0-10, optional)").fill("3")
    phone.get_by_label("Mood after (0-10, optional)").fill("5")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("pleasure 7/10 · achievement 6/10 · mood 3 → 5")).to_be_visible()

    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/thoughts")
    row = desktop.get_by_role("row", name="Presentation at work")
    expect(row).to_contain_text("Fortune telling")
    expect(row).to_contain_text("85 % → 65 %")
    expect(row).to_contain_text("Anxious 80→35")
    desktop.get_by_role("link", name="Activities").click()
    expect(desktop.get_by_text("Planned 1 · done 1")).to_be_visible()
    expect(desktop.get_by_role("row", name="Take a 10-minute walk outside")).to_contain_text("3 → 5")


def test_unfinished_record_survives_a_reload_on_the_phone_and_saves_as_a_server_draft(phone, patient):
    sign_in_page(phone, patient.email)
    phone.goto("/thoughts/new")
    phone.get_by_label("What happened?").fill("Lying awake at 3am")
    phone.get_by_label("How much did you believe it? (0-100 %)").fill("70")
    phone.reload()
    expect(phone.get_by_text("We brought back what you were writing on this phone.")).to_be_visible()
    expect(phone.get_by_label("What happened?")).to_have_value("Lying awake at 3am")
    expect(phone.get_by_label("How much did you believe it? (0-100 %)")).to_have_value("70")

    phone.get_by_role("button", name="Save draft").click()
    expect(phone.get_by_role("heading", name="Drafts to finish")).to_be_visible()
    phone.goto("/thoughts/new")
    expect(phone.get_by_label("What happened?")).to_have_value("")
    expect(phone.get_by_text("You have 1 unfinished draft.")).to_be_visible()
    phone.get_by_role("link", name="Finish the one from").click()
    expect(phone.get_by_label("What happened?")).to_have_value("Lying awake at 3am")


def test_pages_fit_a_320px_screen_and_record_buttons_are_big(phone, patient):
    phone.set_viewport_size({"width": 320, "height": 640})
    sign_in_page(phone, patient.email)
    for path in ("/activities", "/activities/new", "/thoughts", "/thoughts/new"):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
    for name in ("Save draft", "Save record"):
        box = phone.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["height"] >= 44


def test_missed_activity_is_replanned_in_one_tap(phone, db, patient):
    today = local_today(patient, utcnow())
    missed = Activity(patient_id=patient.id, created_by_id=patient.id, title="Call Grandma",
                      planned_date=today - timedelta(days=1), planned_time=time(18, 0))
    db.add(missed)
    db.commit()
    sign_in_page(phone, patient.email)
    phone.goto(f"/activities?week={missed.planned_date.isoformat()}")
    expect(phone.get_by_text("Planned, not yet marked")).to_be_visible()
    phone.get_by_role("button", name="Re-plan: Call Grandma").click()
    expect(phone.get_by_text("Re-planned for")).to_be_visible()
    today_section = phone.get_by_role("region", name=f"Today · {longdate(today)}")
    expect(today_section.get_by_text("Call Grandma")).to_be_visible()
    expect(today_section.get_by_role("link", name="Did it? Rate it: Call Grandma")).to_be_visible()
