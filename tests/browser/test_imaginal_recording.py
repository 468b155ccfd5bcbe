"""Phone, 390 px, touch: PE imaginal practice records the session on the phone (a synthetic microphone), plays it
back after a reload, keeps it for one person only, sends nothing to the server unless the patient ticks "Send this
recording to my therapist" and sends it (then the therapist plays it), and sign-out deletes the phone's copy."""
from playwright.sync_api import expect
from sqlmodel import select

from app.exposure import services as exposure
from app.models.exposure import ExposureRecording
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page
from tests.browser.test_accessibility import violations
from tests.factories import make_patient

KEPT = """() => new Promise(resolve => {
    const open = indexedDB.open('recordings', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('recordings', {keyPath: 'key'});
    open.onsuccess = () => { const all = open.result.transaction('recordings').objectStore('recordings').getAllKeys();
                             all.onsuccess = () => { open.result.close(); resolve(all.result); }; };
})"""


def imaginal_item(db, patient):
    ladder = exposure.create_hierarchy(db, patient=patient, title="The accident")
    item = exposure.add_item(db, hierarchy=ladder, kind="pe_imaginal", description="Listen to the session recording",
                             ritual="", suds=70, by=patient, at=utcnow())
    db.commit()
    return item


def test_imaginal_session_is_recorded_and_played_back_on_the_phone_only(phone, db, therapist, patient):
    item = imaginal_item(db, patient)
    phone.context.grant_permissions(["microphone"])
    sign_in_page(phone, patient.email)
    phone.wait_for_url("**/today")
    uploads = []
    phone.on("request", lambda r: uploads.append(r.url) if r.method != "GET" else None)
    phone.goto(f"/exposure/items/{item.id}/practice")

    section = phone.get_by_role("region", name="Session recording")
    expect(section.get_by_text("stays on this phone unless you choose to send it")).to_be_visible()
    section.get_by_role("button", name="Record").click()
    expect(section.locator("[data-recording-status]")).to_have_text("Recording…")
    phone.wait_for_timeout(1500)
    section.get_by_role("button", name="Stop recording").click()
    expect(section.locator("[data-recording-status]")).to_contain_text("Recording on this phone: 0:0")
    expect(section.get_by_role("checkbox", name="Send this recording to my therapist")).not_to_be_checked()
    expect(section.get_by_role("button", name="Send recording")).to_be_hidden()
    assert uploads == []

    phone.reload()
    audio = section.locator("audio")
    expect(audio).to_be_visible()
    phone.wait_for_function("document.querySelector('[data-recording-audio]').readyState >= 1")
    assert phone.evaluate("document.querySelector('[data-recording-audio]').duration") > 0.5
    assert phone.evaluate(KEPT) == [f"{patient.id}:{item.id}"]

    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    section.get_by_role("button", name="Delete recording").click()
    assert asked and "can't be undone" in asked[0]
    expect(audio).to_be_visible()  # dismissed: still there

    phone.get_by_role("link", name="Me").click()
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url("**/login**")
    assert phone.evaluate(KEPT) == []


def test_another_person_signing_in_never_finds_the_recording(phone, db, therapist, patient):
    item = imaginal_item(db, patient)
    other = make_patient(db, therapist=therapist, email="bea@example.org", name="Bea Other")
    db.commit()
    phone.context.grant_permissions(["microphone"])
    sign_in_page(phone, patient.email)
    phone.wait_for_url("**/today")
    phone.goto(f"/exposure/items/{item.id}/practice")
    section = phone.get_by_role("region", name="Session recording")
    section.get_by_role("button", name="Record").click()
    phone.wait_for_timeout(800)
    section.get_by_role("button", name="Stop recording").click()
    expect(section.locator("[data-recording-status]")).to_contain_text("Recording on this phone")
    phone.context.clear_cookies()  # the session ends without a sign-out

    sign_in_page(phone, other.email)
    phone.wait_for_url("**/today")
    phone.wait_for_function("localStorage.getItem('recordings-owner') === null")
    assert phone.evaluate(KEPT) == []


def record(phone, item, seconds_ms=1200):
    phone.goto(f"/exposure/items/{item.id}/practice")
    section = phone.get_by_role("region", name="Session recording")
    section.get_by_role("button", name="Record").click()
    phone.wait_for_timeout(seconds_ms)
    section.get_by_role("button", name="Stop recording").click()
    expect(section.locator("[data-recording-status]")).to_contain_text("Recording on this phone")
    return section


def test_the_patient_sends_it_and_the_therapist_plays_it(phone, desktop, db, therapist, patient):
    item = imaginal_item(db, patient)
    phone.context.grant_permissions(["microphone"])
    sign_in_page(phone, patient.email)
    phone.wait_for_url("**/today")
    section = record(phone, item)

    choice = section.get_by_role("checkbox", name="Send this recording to my therapist")
    choice.check()
    expect(section.get_by_text("Only your therapist and the therapists on your care team can listen")).to_be_visible()
    targets = phone.eval_on_selector_all(".recording-send label.check, [data-send-button]",
                                         "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])")
    assert len(targets) == 2 and all(w >= 44 and h >= 44 for w, h in targets), targets
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert violations(phone) == ""
    section.get_by_role("button", name="Send recording").click()
    expect(section.locator("[data-send-status]")).to_have_text("Sent to your therapist.")
    expect(choice).not_to_be_checked()
    db.expire_all()
    (kept,) = db.exec(select(ExposureRecording)).all()
    assert kept.item_id == item.id and kept.mime_type == "audio/webm" and kept.size_bytes > 1000

    phone.reload()
    expect(section.get_by_text("Your therapist has a copy, sent")).to_be_visible()
    expect(section.get_by_role("button", name="Remove from the clinic")).to_be_visible()
    assert violations(phone) == ""

    sign_in_page(desktop, therapist.email)
    desktop.wait_for_url("**/patients**")
    desktop.goto(f"/patients/{patient.id}/exposure/items/{item.id}")
    audio = desktop.locator("section", has=desktop.get_by_role("heading", name="Session recording")).locator("audio")
    expect(audio).to_be_visible()
    answer = desktop.request.get(audio.get_attribute("src"))
    assert answer.status == 200 and answer.headers["content-type"] == "audio/webm"
    assert answer.headers["cache-control"] == "no-store" and len(answer.body()) == kept.size_bytes
    desktop.evaluate("() => { const a = document.querySelector('audio'); a.preload = 'metadata'; a.load(); }")
    for _ in range(50):  # staff pages' CSP has no 'unsafe-eval', which wait_for_function's polling needs
        if desktop.evaluate("() => document.querySelector('audio').readyState") >= 1:
            break
        desktop.wait_for_timeout(100)
    assert desktop.evaluate("() => [document.querySelector('audio').readyState >= 1, document.querySelector('audio').error]") == [True, None]

    phone.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name="Remove from the clinic").click()
    expect(phone.get_by_text("Removed from the clinic.")).to_be_visible()
    assert desktop.request.get(audio.get_attribute("src")).status == 404


def test_too_large_or_offline_is_said_and_nothing_is_sent(app, phone, db, therapist, patient):
    app.config["RECORDING_MAX_BYTES"] = 2000
    item = imaginal_item(db, patient)
    phone.context.grant_permissions(["microphone"])
    sign_in_page(phone, patient.email)
    phone.wait_for_url("**/today")
    section = record(phone, item, seconds_ms=1500)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    section.get_by_role("checkbox", name="Send this recording to my therapist").check()
    expect(section.locator("[data-send-status]")).to_contain_text("too large to send: the limit is 0.0019 MB")
    section.get_by_role("button", name="Send recording").click()
    expect(section.locator("[data-send-status]")).to_contain_text("It is still on this phone")

    app.config["RECORDING_MAX_BYTES"] = 25 * 1024 * 1024
    phone.reload()  # the page now allows 25 MB; the recording is still on the phone
    expect(section.locator("[data-recording-status]")).to_contain_text("Recording on this phone")
    phone.context.set_offline(True)
    section.get_by_role("checkbox", name="Send this recording to my therapist").check()
    section.get_by_role("button", name="Send recording").click()
    expect(section.locator("[data-send-status]")).to_have_text(
        "Sending needs a connection. The recording is still on this phone: send it when you are online.")
    phone.context.set_offline(False)
    assert posts == [] and db.exec(select(ExposureRecording)).first() is None
