"""The heart of the product, end to end: a therapist sets up TMS courses and post-TMS homework, staff mark the
visit done, and the patient's Today (on a phone) shows the practice window with its closing time."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlmodel import select

from app.models import TmsSession
from tests.browser.conftest import sign_in_page
from tests.factories import make_patient, skip_unless_a_visit_can_have_ended_today

NEW_YORK = ZoneInfo("America/New_York")


def _session_time_today() -> str:
    """An hour ago, local, so today's visit (40 minutes) has ended (or midnight just after midnight)."""
    now = datetime.now(NEW_YORK)
    earlier = now - timedelta(minutes=60)
    return earlier.strftime("%H:%M") if earlier.date() == now.date() else "00:00"


def test_course_homework_visit_and_window(desktop, phone, db, therapist, patient, admin):
    skip_unless_a_visit_can_have_ended_today()
    jordan = make_patient(db, therapist=therapist, email="jordan@example.org", name="Jordan Accel")
    today = datetime.now(NEW_YORK).date().isoformat()

    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/tms")
    desktop.get_by_label("Protocol").select_option("standard")
    desktop.get_by_label("Start date").fill(today)
    for day in ("Sat", "Sun"):
        desktop.get_by_label(day, exact=True).check()
    desktop.get_by_label("Number of weeks").fill("6")
    desktop.get_by_label("Session time").fill(_session_time_today())
    desktop.get_by_role("button", name="Create course").click()
    expect(desktop.get_by_text("Acute course: 42 sessions scheduled")).to_be_visible()

    desktop.goto(f"/patients/{jordan.id}/tms")
    desktop.get_by_label("Name", exact=True).fill("Accelerated week")
    desktop.get_by_label("Protocol").select_option("accelerated")
    expect(desktop.get_by_label("Number of weeks")).to_be_hidden()
    desktop.get_by_label("Start date").fill(today)
    desktop.get_by_role("button", name="Create course").click()
    expect(desktop.get_by_text("Accelerated week: 50 sessions scheduled")).to_be_visible()

    desktop.goto(f"/patients/{patient.id}/homework")
    desktop.get_by_label("Kind").select_option("thought_record")
    desktop.get_by_label("Title").fill("Thought record after TMS")
    desktop.get_by_label("Timing").select_option("post_tms")
    desktop.get_by_label("Window length (hours after TMS)").fill("4")
    desktop.get_by_role("button", name="Assign").click()
    expect(desktop.get_by_text("Assigned “Thought record after TMS”.")).to_be_visible()

    sign_in_page(phone, patient.email)
    expect(phone.get_by_text("After today's session")).to_be_visible()
    expect(phone.get_by_text("Practice window open")).to_have_count(0)

    desktop.get_by_role("button", name="Sign out").click()
    sign_in_page(desktop, admin.email)
    visit = desktop.locator(".visit", has_text=patient.name)
    visit.get_by_role("button", name="Done").click()
    expect(desktop.locator(".visit", has_text=patient.name).get_by_text("Completed")).to_be_visible()

    db.expire_all()
    done = db.exec(select(TmsSession).where(TmsSession.patient_id == patient.id, TmsSession.completed_at.is_not(None))).one()
    closes = (done.started_at + timedelta(minutes=40, hours=4)).astimezone(NEW_YORK).strftime("%H:%M")
    phone.reload()
    window = phone.locator(".window-open")
    expect(window.get_by_role("heading", name=f"Practice window open until {closes}")).to_be_visible()
    expect(window.get_by_role("link", name="Start Thought record after TMS")).to_be_visible()
