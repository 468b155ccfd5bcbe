"""Phone, 390 px, touch: PE imaginal practice records the session on the phone (a synthetic microphone), plays it
back after a reload, keeps it for one person only, sends nothing to the server, and sign-out deletes it."""
from playwright.sync_api import expect

from app.exposure import services as exposure
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page
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
    expect(section.get_by_text("stays on this phone only")).to_be_visible()
    section.get_by_role("button", name="Record").click()
    expect(section.get_by_role("status")).to_have_text("Recording…")
    phone.wait_for_timeout(1500)
    section.get_by_role("button", name="Stop recording").click()
    expect(section.get_by_role("status")).to_contain_text("Recording on this phone: 0:0")
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
    expect(section.get_by_role("status")).to_contain_text("Recording on this phone")
    phone.context.clear_cookies()  # the session ends without a sign-out

    sign_in_page(phone, other.email)
    phone.wait_for_url("**/today")
    phone.wait_for_function("localStorage.getItem('recordings-owner') === null")
    assert phone.evaluate(KEPT) == []
