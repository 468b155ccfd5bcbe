"""A therapist on a phone books therapy on the afternoon of a TMS day; the patient sees it on Today and their
calendar feed carries it; the pre-session review opens with what changed."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import expect

from app.checkins import services as checkins
from app.checkins.instruments import INSTRUMENTS
from app.models.types import utcnow
from app.tms import calendar
from tests.browser.conftest import sign_in_page
from tests.factories import make_course

NY = ZoneInfo("America/New_York")


def test_a_therapist_books_a_tms_afternoon_and_the_patient_sees_it(phone, live_server, db, therapist, patient):
    tomorrow = utcnow().astimezone(NY).date() + timedelta(days=1)
    tms_day = tomorrow + timedelta(days=(7 - tomorrow.weekday()) % 7 if tomorrow.weekday() >= 5 else 0)
    make_course(db, patient=patient, by=therapist, start=tms_day, weeks=2)
    token = calendar.new_feed_token(db, patient=patient, now=utcnow())
    db.commit()

    sign_in_page(phone, therapist.email)
    phone.goto(f"/patients/{patient.id}")
    phone.get_by_role("navigation", name="Patient record").get_by_role("link", name="Appointments").click()
    expect(phone.locator("#suggested")).to_contain_text("at 14:00")
    expect(phone.get_by_label("Date")).to_have_value(tms_day.isoformat())
    phone.get_by_label("Repeat weekly for (weeks)").fill("2")
    phone.get_by_role("button", name="Book", exact=True).click()
    expect(phone.get_by_text("2 appointments booked", exact=False)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    phone.context.clear_cookies()
    sign_in_page(phone, patient.email)
    phone.goto("/today")
    therapy = phone.locator("section", has=phone.locator("#therapy-today"))
    expect(therapy).to_contain_text("14:00")
    expect(therapy).to_contain_text(f"{tms_day:%A} {tms_day.day} {tms_day:%B}")

    feed = Calendar.from_ical(phone.request.get(f"{live_server}/calendar/{token}.ics").body())
    therapy_events = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("therapy-appointment-")]
    starts = sorted(e["dtstart"].dt.astimezone(NY) for e in therapy_events)
    assert starts[0] == datetime.combine(tms_day, datetime.min.time().replace(hour=14), NY)
    assert len(starts) == 2 and all(str(e["summary"]) == "Therapy session" for e in therapy_events)


def test_the_review_opens_with_what_changed(phone, db, therapist, patient):
    now = utcnow()
    for days_ago, ones in ((20, 7), (2, 9)):
        answers = {n: (1 if n <= ones else 0) for n in range(1, 10)} | {9: 0}
        checkins.submit_questionnaire(db, patient=patient, instrument=INSTRUMENTS["phq9"],
                                      at=now - timedelta(days=days_ago), answers=answers)
    db.commit()
    sign_in_page(phone, therapist.email)
    phone.goto(f"/patients/{patient.id}")
    first_card = phone.locator("main section.card").first
    expect(first_card.get_by_role("heading")).to_have_text("What changed")
    link = first_card.get_by_role("link", name="PHQ-9 7 → 8 ↑")
    link.click()
    expect(phone).to_have_url(f"{phone.url.split('#')[0]}#rev-mood")
