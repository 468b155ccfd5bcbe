"""Phone, 390 px, touch: the patient opens Progress from the bottom bar and corrects yesterday's check-in."""
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from app.checkins import services as checkins
from app.checkins.entries import CheckinValues
from app.models import MoodCheckin
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page


def test_patient_opens_progress_and_corrects_yesterdays_checkin(phone, db, patient):
    checkins.create_checkin(db, patient=patient, at=utcnow() - timedelta(days=1),
                            values=CheckinValues(mood=2, anxiety=None, sleep_hours=None, note="typo day"))
    db.commit()
    sign_in_page(phone, patient.email)
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(phone.get_by_role("heading", name="My progress")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tabs = phone.eval_on_selector_all(".bottom-nav a", "els => els.map(e => e.getBoundingClientRect())"
                                      ".map(r => [r.width, r.height])")
    assert len(tabs) == 4 and all(w >= 44 and h >= 44 for w, h in tabs), tabs

    entry = phone.locator(".recent-entries a", has_text="Check-in")
    expect(entry).to_contain_text("Change or delete")
    box = entry.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    entry.tap()

    expect(phone.get_by_role("heading", name="Correct a check-in")).to_be_visible()
    phone.locator(".scale-option", has=phone.locator('input[name="mood"][value="7"]')).tap()
    phone.get_by_role("button", name="Save the correction").tap()

    expect(phone.get_by_text("Check-in corrected.")).to_be_visible()
    expect(phone.locator(".recent-entries a", has_text="Check-in")).to_contain_text("Mood 7")
    expect(phone.locator(".recent-entries a", has_text="Check-in")).to_contain_text("edited")
    db.expire_all()
    row = db.exec(select(MoodCheckin)).one()
    assert row.mood == 7 and row.edited_at is not None and row.note == "typo day"
