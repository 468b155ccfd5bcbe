"""A patient opens the invite link on a phone, sets a password, lands on Today, and can sign in again."""
from playwright.sync_api import expect

from app.auth import accounts
from app.models import TokenPurpose
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page
from tests.factories import make_patient


def test_patient_accepts_invite_and_sees_today(phone, db, therapist):
    patient = make_patient(db, therapist=therapist, email="newbie@example.org", name="Robin Newbie", password=False)
    link = accounts.issue_link(db, user=patient, purpose=TokenPurpose.invite, by=therapist, now=utcnow())
    db.commit()

    phone.goto(f"/invite/{link.token}")
    expect(phone.get_by_role("heading", name="Welcome, Robin")).to_be_visible()
    phone.get_by_label("New password").fill("short")
    phone.get_by_label("Repeat the password").fill("short")
    phone.get_by_role("button", name="Save password and continue").click()
    expect(phone.get_by_text("Use at least 12 characters")).to_be_visible()

    phone.get_by_label("New password").fill("sunlight on the kitchen table")
    phone.get_by_label("Repeat the password").fill("sunlight on the kitchen table")
    phone.get_by_label("Your time zone").select_option("America/Denver")
    phone.get_by_role("button", name="Save password and continue").click()
    expect(phone.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    assert phone.url.endswith("/today")

    phone.get_by_role("link", name="Me").click()  # sign-out lives under Me and asks first
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Sign out").click()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in_page(phone, "newbie@example.org", "sunlight on the kitchen table")
    expect(phone.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    db.refresh(patient)
    assert patient.timezone == "America/Denver"
