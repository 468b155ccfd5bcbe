"""Phone, 390 px, touch: a new patient's first sign-in opens the welcome tour; skipping it and resuming from Me."""
from playwright.sync_api import expect

from app.models import Onboarding
from tests.browser.conftest import sign_in_page
from tests.factories import make_patient


def test_first_sign_in_tour_can_be_skipped_and_resumed_from_me(phone, db, therapist):
    patient = make_patient(db, therapist=therapist, email="nia@example.org", name="Nia New",
                           onboarding=Onboarding.pending)
    db.commit()
    sign_in_page(phone, patient.email)
    expect(phone.get_by_role("heading", name="Your homework, around your TMS")).to_be_visible()
    expect(phone.get_by_text("step 1 of 5")).to_be_visible()
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("heading", name="Put the app on your Home Screen")).to_be_visible()
    expect(phone.get_by_role("link", name="How to install on this phone")).to_have_attribute(
        "href", "/settings/reminders#install")
    phone.get_by_role("button", name="Skip the tour").click()
    phone.wait_for_url("**/today")

    phone.get_by_role("link", name="Me").click()
    phone.get_by_role("link", name="Welcome tour").click()
    expect(phone.get_by_role("heading", name="Put the app on your Home Screen")).to_be_visible()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("group", name="Language").get_by_label("Español").check()
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.locator("#tour-progress")).to_contain_text("5")
    phone.locator("button[value=next]").click()
    phone.wait_for_url("**/today")
    db.refresh(patient)
    assert (patient.onboarding, patient.language) == (Onboarding.done, "es")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
