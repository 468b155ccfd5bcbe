"""The care team in a browser: clinic staff find a newly invited patient (no visit yet) and create their first course."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import sign_in_page
from tests.factories import make_patient


def test_staff_find_a_new_patient_and_create_their_first_course(phone, db, therapist, admin):
    maria = make_patient(db, therapist=therapist, email="maria@example.org", name="Maria Lopez", password=False)
    maria.birth_date = date(1980, 4, 12)
    db.add(maria)
    db.commit()
    today = datetime.now(ZoneInfo("America/New_York")).date()

    sign_in_page(phone, admin.email)
    phone.get_by_role("link", name="Find a patient").click()
    phone.get_by_label("Name, MRN or date of birth").fill("04/12/1980")
    phone.get_by_role("button", name="Search").click()
    card = phone.locator(".directory-patient", has_text="Maria Lopez")
    expect(card).to_contain_text("No TMS course yet")
    expect(card).to_contain_text(f"{therapist.name} (treating therapist)")
    card.get_by_role("link", name="Create first course").click()

    phone.get_by_label("Protocol").select_option("standard")
    phone.get_by_label("Start date").fill(today.isoformat())
    phone.get_by_label("Number of weeks").fill("6")
    phone.get_by_label("Session time").fill("09:00")
    phone.get_by_role("button", name="Create course").click()
    expect(phone.get_by_text("Acute course: 30 sessions scheduled", exact=False)).to_be_visible()

    phone.get_by_role("link", name="Find a patient").click()
    phone.get_by_label("Name, MRN or date of birth").fill("lopez")
    phone.get_by_role("button", name="Search").click()
    expect(phone.locator(".directory-patient", has_text="Maria Lopez")).to_contain_text("Acute course: 0 of 30 done")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
