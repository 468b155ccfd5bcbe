"""A technician on a phone marks a visit done on the day list, records what it delivered (a typo in the pulses
comes back beside the field, the rest kept) and sees it on the course's record; the pages never scroll sideways."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.models import Role
from tests.browser.conftest import sign_in_page
from tests.factories import make_course, make_user

NEW_YORK = ZoneInfo("America/New_York")
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_technician_records_a_visit_on_a_phone(phone, db, therapist, patient):
    technician = make_user(db, role=Role.technician, email="tech@example.org", name="Tess Technician")
    day = datetime.now(NEW_YORK).date() - timedelta(days=1)
    make_course(db, patient=patient, by=technician, start=day, weeks=1, weekdays=frozenset(range(7)))

    sign_in_page(phone, technician.email)
    phone.goto(f"/clinic/today?day={day.isoformat()}")
    visit = phone.locator(".visit", has_text=patient.name)
    expect(visit).to_contain_text("MT re-check due")
    visit.get_by_role("button", name="Done").click()
    phone.locator(".visit", has_text=patient.name).get_by_role("link", name="Record dose").click()

    phone.get_by_label("Target").fill("Left DLPFC")
    phone.get_by_label("Coil").fill("Figure-8")
    phone.get_by_label("% of machine output").fill("55")
    phone.get_by_label("Measured on").fill(day.isoformat())
    phone.get_by_label("Intensity, % of motor threshold").fill("120")
    phone.get_by_label("Pattern").select_option("10hz")
    phone.get_by_label("Pulses").fill("30000")
    phone.get_by_label("Minutes").fill("37")
    phone.get_by_label("Seconds").fill("30")
    phone.get_by_label("Scalp pain or discomfort at the site").check()
    assert phone.evaluate(SIDEWAYS) <= 0
    phone.get_by_role("button", name="Save record").click()

    expect(phone.locator("#pulses-error")).to_contain_text("from 1 to 10,000")
    expect(phone.get_by_label("Intensity, % of motor threshold")).to_have_value("120")
    expect(phone.get_by_label("Scalp pain or discomfort at the site")).to_be_checked()
    assert phone.evaluate(SIDEWAYS) <= 0
    phone.get_by_label("Pulses").fill("3000")
    phone.get_by_role("button", name="Save record").click()

    expect(phone.get_by_text(f"Treatment record saved for {patient.name}.")).to_be_visible()
    visit = phone.locator(".visit", has_text=patient.name)
    expect(visit.get_by_role("link", name="Edit record")).to_be_visible()
    expect(visit).not_to_contain_text("MT re-check due")
    assert phone.evaluate(SIDEWAYS) <= 0
