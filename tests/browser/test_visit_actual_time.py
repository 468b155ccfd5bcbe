"""Issue 16, done when: staff mark a 09:00 visit done hours later with its actual start 09:05; the patient's 10:30
thought record counts on time and the caseload shows no missed post-TMS homework."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.homework.timing import TimingKind
from app.models import HomeworkKind
from app.thoughts import services as thoughts
from app.thoughts.columns import EmotionRating, ThoughtRecordInput
from tests.browser.conftest import sign_in_page
from tests.factories import make_assignment, make_course

NEW_YORK = ZoneInfo("America/New_York")


def test_late_done_tap_with_actual_start_keeps_the_morning_thought_record_on_time(desktop, db, therapist, patient, admin):
    day = datetime.now(NEW_YORK).date() - timedelta(days=2)
    make_course(db, patient=patient, by=therapist, start=day - timedelta(days=3), weeks=1, weekdays=frozenset(range(7)))
    make_assignment(db, patient=patient, kind=HomeworkKind.thought_record, timing_kind=TimingKind.POST_TMS.value,
                    title="Thought record after TMS", start_date=day - timedelta(days=3))
    entry = ThoughtRecordInput(
        situation="Bus was late", automatic_thoughts="I always mess up", belief_before=70,
        emotions=(EmotionRating("Anxious", 70, 30),), evidence_for="I was late", evidence_against="The bus was late",
        balanced_thought="It was the bus", belief_balanced=70, traps=(),
    )
    thoughts.save_record(db, patient=patient, entry=entry, complete=True,
                         at=datetime.combine(day, time(10, 30), NEW_YORK))
    db.commit()

    sign_in_page(desktop, admin.email)
    desktop.goto(f"/clinic/today?day={day.isoformat()}")
    visit = desktop.locator(".visit", has_text=patient.name).filter(has_text="09:00")
    visit.get_by_label("Started").fill("09:05")
    visit.get_by_role("button", name="Done").click()
    expect(desktop.get_by_text(f"Marked done: {patient.name}")).to_be_visible()
    expect(desktop.get_by_text("started 09:05").first).to_be_visible()

    desktop.get_by_role("button", name="Sign out").click()
    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/homework")
    expect(desktop.get_by_text("1 on time").first).to_be_visible()
    desktop.goto("/patients")
    expect(desktop.get_by_text("Missed post-TMS homework")).to_have_count(0)
