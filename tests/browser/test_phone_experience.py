"""Phone, 390 px, touch (issue 17): reminders on every phone, thumb-sized scales, SUDS nobody gave never stored,
Today → check-in offline with a visible "sent", refused entries brought back, and two people on one phone."""
from playwright.sync_api import expect
from sqlmodel import select

from app.exposure import services as exposure
from app.models import MoodCheckin
from app.models.exposure import ExposurePractice, PracticeRating
from app.models.types import utcnow
from tests.browser.conftest import PHONE, sign_in_page, wait_until_kept
from tests.factories import make_patient

IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
NO_PUSH = "delete window.PushManager;"


def wait_for_control(page) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def make_item(db, patient):
    ladder = exposure.create_hierarchy(db, patient=patient, title="Lifts")
    item = exposure.add_item(db, hierarchy=ladder, kind="pe_in_vivo", description="Ride the lift two floors",
                             ritual="", suds=50, by=patient, at=utcnow())
    db.commit()
    return item


def test_iphone_safari_shows_the_home_screen_guide_with_the_reason(browser, live_server, patient):
    context = browser.new_context(base_url=live_server, user_agent=IPHONE_SAFARI, **PHONE)
    context.add_init_script(NO_PUSH)
    page = context.new_page()
    sign_in_page(page, patient.email)
    page.goto("/settings/reminders")

    guide = page.locator("[data-push-install]")
    expect(guide).to_be_visible()
    expect(guide).to_contain_text("only delivers reminders to apps added to the Home Screen")
    expect(guide.locator("li")).to_have_count(3)
    expect(page.get_by_role("button", name="Turn on reminders on this device")).to_be_hidden()
    expect(page.get_by_role("button", name="Turn off on this device")).to_be_hidden()
    expect(page.locator("[data-push-unsupported]")).to_be_hidden()
    context.close()


def test_a_browser_without_push_says_so_in_plain_words(browser, live_server, patient):
    context = browser.new_context(base_url=live_server, **PHONE)
    context.add_init_script(NO_PUSH)
    page = context.new_page()
    sign_in_page(page, patient.email)
    page.goto("/settings/reminders")

    expect(page.get_by_text("This browser can't show reminders.")).to_be_visible()
    expect(page.locator("[data-push-install]")).to_be_hidden()
    context.close()


def test_permission_only_after_a_tap_with_a_preview_and_one_button_at_a_time(phone, patient):
    phone.context.add_init_script("""
        window.__asked = 0;
        Object.defineProperty(Notification, 'permission', {get: () => window.__asked ? 'denied' : 'default'});
        Notification.requestPermission = () => { window.__asked += 1; return Promise.resolve('denied'); };
    """)
    sign_in_page(phone, patient.email)
    phone.goto("/settings/reminders")

    turn_on = phone.get_by_role("button", name="Turn on reminders on this device")
    expect(turn_on).to_be_visible()
    expect(phone.get_by_role("button", name="Turn off on this device")).to_be_hidden()
    expect(phone.get_by_text("What a reminder looks like on your lock screen")).to_be_visible()
    expect(phone.get_by_role("button", name="Send now")).to_be_hidden()
    assert phone.evaluate("window.__asked") == 0
    turn_on.click()
    phone.wait_for_function("window.__asked === 1")
    expect(phone.get_by_text("Notifications are blocked for this site")).to_be_visible()
    expect(turn_on).to_be_hidden()


def test_exposure_saved_without_touching_suds_stores_no_suds(phone, db, patient):
    item = make_item(db, patient)
    sign_in_page(phone, patient.email)
    phone.goto(f"/exposure/items/{item.id}/practice")

    expect(phone.get_by_text("Not rated yet")).to_have_count(3)
    for label in ("SUDS before", "Peak SUDS", "SUDS at the end"):
        expect(phone.get_by_label(label)).to_have_value("")
    phone.get_by_label("Minutes").fill("12")
    phone.get_by_role("button", name="Save practice").click()

    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)
    summary.get_by_role("link").first.click()
    expect(phone.get_by_label("SUDS before")).to_be_focused()
    expect(phone.get_by_label("Minutes")).to_have_value("12")
    db.expire_all()
    assert db.exec(select(ExposurePractice)).all() == []


def test_timer_restart_asks_first_and_running_timer_shows_only_stop(phone, db, patient):
    item = make_item(db, patient)
    sign_in_page(phone, patient.email)
    phone.goto(f"/exposure/items/{item.id}/practice")
    phone.get_by_role("button", name="Start").click()
    expect(phone.get_by_role("button", name="Stop")).to_be_visible()
    expect(phone.locator("[data-timer-start]")).to_be_hidden()
    phone.get_by_role("button", name="Stop").click()
    started = phone.locator("[data-started-at]").input_value()

    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    phone.get_by_role("button", name="Restart").click()
    assert asked and "0:00" in asked[0]
    assert phone.locator("[data-started-at]").input_value() == started


def test_scales_are_thumb_sized_and_diary_rows_fit_the_phone(phone, patient):
    sign_in_page(phone, patient.email)
    phone.goto("/checkins/new")
    sizes = phone.eval_on_selector_all(".scale-option span", "els => els.map(e => e.getBoundingClientRect())"
                                       ".map(r => [r.width, r.height])")
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes), sizes

    phone.goto("/diary")
    rows = phone.eval_on_selector_all(".scale-options:not(.scale-labelled)", """els => els.map(row =>
        new Set(Array.from(row.querySelectorAll('.choice')).map(c => Math.round(c.getBoundingClientRect().top))).size)""")
    targets = phone.eval_on_selector_all(".scale-options .choice", "els => els.map(e => e.getBoundingClientRect())"
                                         ".map(r => [r.width, r.height])")
    assert rows and all(lines == 1 for lines in rows), rows
    assert all(w >= 44 and h >= 44 for w, h in targets), targets
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_today_to_checkin_offline_saves_and_says_what_was_sent(phone, db, patient):
    sign_in_page(phone, patient.email)
    wait_for_control(phone)
    phone.goto("/today")
    wait_until_kept(phone, "/today", "/week", "/checkins/new")
    phone.context.set_offline(True)

    phone.get_by_role("link", name="Daily check-in").first.click()
    expect(phone.get_by_text("this is the copy saved on this phone")).to_be_visible()
    phone.get_by_role("group", name="Mood right now").get_by_label("6", exact=True).check()
    phone.get_by_role("button", name="Save check-in").click()
    expect(phone.get_by_text("1 entry saved on this phone, not sent yet.")).to_be_visible()
    phone.get_by_role("link", name="Today").click()
    expect(phone.get_by_role("heading", name=f"Hello, {patient.first_name}")).to_be_visible()
    db.expire_all()
    assert db.exec(select(MoodCheckin)).all() == []

    phone.context.set_offline(False)
    expect(phone.get_by_text("Sent 1 entry: Check-in.")).to_be_visible(timeout=15_000)  # the sync runs on reconnection
    db.expire_all()
    assert len(db.exec(select(MoodCheckin)).all()) == 1


def test_a_refused_offline_entry_comes_back_with_its_reason_and_words(phone, db, patient):
    item = make_item(db, patient)
    sign_in_page(phone, patient.email)
    wait_for_control(phone)
    phone.goto(f"/exposure/items/{item.id}/practice")
    phone.context.set_offline(True)
    phone.get_by_label("SUDS before").fill("40")
    phone.get_by_label("Peak SUDS").fill("50")
    phone.get_by_label("SUDS at the end").fill("70")
    phone.get_by_label("Minutes").fill("10")
    phone.get_by_label("Notes").fill("My words, kept")
    phone.get_by_role("button", name="Save practice").click()
    expect(phone.get_by_text("1 entry saved on this phone, not sent yet.")).to_be_visible()

    phone.context.set_offline(False)
    outbox = phone.locator("[data-outbox]")
    expect(outbox).to_contain_text("could not be sent and needs your attention")
    expect(outbox).to_contain_text("higher than the peak")
    outbox.get_by_role("link", name="Open it again with your words").click()
    expect(phone.get_by_role("alert").filter(has_text="This wasn't sent")).to_be_visible()
    expect(phone.get_by_label("Notes")).to_have_value("My words, kept")
    expect(phone.get_by_label("SUDS at the end")).to_have_value("70")
    db.expire_all()
    assert db.exec(select(ExposurePractice)).all() == []


def test_two_people_on_one_phone_never_see_each_others_drafts_or_outbox(phone, db, therapist, patient):
    other = make_patient(db, therapist=therapist, email="bea@example.org", name="Bea Other")
    db.commit()
    sign_in_page(phone, patient.email)
    phone.wait_for_url("**/today")
    phone.goto("/thoughts/new")
    phone.get_by_label("What happened?").fill("Private words of the first patient")
    phone.wait_for_function("JSON.stringify(Object.assign({}, localStorage)).includes('Private words')")
    wait_until_kept(phone, "/diary")  # the worker's background copies are done (the last one on the list)
    phone.context.clear_cookies()  # the first session ends without a sign-out (expired, or the app was closed)

    sign_in_page(phone, other.email)
    phone.wait_for_url("**/today")
    phone.evaluate("""(user) => Outbox.put({key: 'first-patients-entry', url: '/checkins/new', body: 'mood=3',
        createdAt: Date.now(), user: String(user), page: '/checkins/new', title: 'Daily check-in', state: 'queued'})""",
                   patient.id)
    phone.goto("/thoughts/new")
    expect(phone.get_by_label("What happened?")).to_have_value("")
    expect(phone.locator("[data-outbox]")).to_be_hidden()
    phone.wait_for_load_state("networkidle")
    stored = phone.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert "Private words of the first patient" not in stored
    assert phone.evaluate("Outbox.all().then(all => all.map(e => e.key))") == ["first-patients-entry"]
    db.expire_all()
    assert db.exec(select(MoodCheckin)).all() == []  # not sent as the second person


def test_one_screen_session_asks_for_suds_records_the_curve_and_signals_the_end(phone, db, patient):
    item = make_item(db, patient)
    phone.context.add_init_script("navigator.vibrate = (pattern) => { window.__vibrated = pattern; return true; };")
    sign_in_page(phone, patient.email)
    phone.clock.install()
    phone.goto(f"/exposure/items/{item.id}/practice")
    phone.get_by_label("SUDS before").fill("40")
    phone.get_by_label("Aim for").fill("6")
    phone.get_by_label("Ask me for my SUDS").select_option("5")
    phone.get_by_role("button", name="Start").click()

    phone.clock.fast_forward("05:01")
    expect(phone.get_by_role("group", name="How high is your distress right now?")).to_be_visible()
    expect(phone.get_by_role("status").filter(has_text="Time for a SUDS rating.")).to_be_visible()
    phone.get_by_label("SUDS now").fill("70")
    phone.get_by_role("button", name="Record rating").click()
    expect(phone.locator("[data-curve-list]")).to_have_text("5 min: 70")
    expect(phone.get_by_role("status").filter(has_text="Recorded 70 at 5 min.")).to_be_visible()

    phone.clock.fast_forward("01:00")
    expect(phone.get_by_role("status").filter(has_text="You've reached your 6 minutes")).to_be_visible()
    assert phone.evaluate("window.__vibrated") == [200, 100, 200]
    phone.get_by_role("button", name="Stop").click()
    expect(phone.get_by_role("heading", name="Afterwards")).to_be_focused()
    expect(phone.get_by_label("Minutes")).to_have_value("6")
    phone.get_by_label("Peak SUDS").fill("60")
    phone.get_by_label("SUDS at the end").fill("30")
    phone.get_by_role("button", name="Save practice").click()
    expect(phone.locator("[data-error-summary]")).to_be_focused()
    expect(phone.get_by_text("lower than the 70 you gave at minute 5")).to_be_visible()
    expect(phone.locator("[data-curve-list]")).to_have_text("5 min: 70")  # kept with the refused form

    phone.get_by_label("Peak SUDS").fill("70")
    phone.get_by_role("button", name="Save practice").click()
    expect(phone.get_by_text("Practice saved.")).to_be_visible()
    db.expire_all()
    practice = db.exec(select(ExposurePractice)).one()
    assert (practice.suds_before, practice.suds_peak, practice.suds_after, practice.duration_minutes) == (40, 70, 30, 6)
    curve = db.exec(select(PracticeRating).where(PracticeRating.practice_id == practice.id)).all()
    assert [(r.minute, r.suds) for r in curve] == [(5, 70)]
