"""Phone flows: log an exposure practice (surviving a reload mid-way) and a diary card; the therapist sees the
SUDS chart and the diary grid."""
from playwright.sync_api import expect

from app.exposure import services
from app.models.types import utcnow
from tests.browser.conftest import sign_in_page


def test_patient_logs_practice_on_phone_survives_reload_and_therapist_sees_chart(phone, desktop, db, patient, therapist):
    ladder = services.create_hierarchy(db, patient=patient, title="Contamination")
    item = services.add_item(db, hierarchy=ladder, kind="erp", description="Touch the door handle",
                             ritual="Washing hands", suds=40, by=therapist, at=utcnow())
    db.commit()

    sign_in_page(phone, patient.email)
    phone.goto("/exposure")
    phone.get_by_role("link", name="Touch the door handle").click()
    expect(phone.get_by_role("heading", name="Log a practice")).to_be_visible()
    phone.get_by_role("button", name="Start").click()
    phone.get_by_label("SUDS before").fill("50")
    phone.get_by_label("What did you fear would happen?").fill("I'll get ill")
    phone.get_by_label("How likely did it feel, before?").fill("80")
    phone.get_by_label("Peak SUDS").fill("70")
    expect(phone.locator("input[data-scale-for='suds_peak']")).to_have_value("70")  # the slider follows

    phone.reload()  # the phone locked and the page reloaded mid-exposure
    expect(phone.get_by_text("We brought back the practice")).to_be_visible()
    expect(phone.get_by_label("What did you fear would happen?")).to_have_value("I'll get ill")
    expect(phone.get_by_label("Peak SUDS")).to_have_value("70")
    expect(phone.get_by_role("button", name="Stop")).to_be_visible()

    phone.get_by_role("button", name="Stop").click()
    expect(phone.get_by_label("Minutes")).to_have_value("1")
    phone.get_by_label("SUDS at the end").fill("20")
    phone.get_by_text("Fully", exact=True).click()
    phone.get_by_label("What actually happened?").fill("Nothing bad")
    phone.get_by_label("How likely does it feel now?").fill("30")
    phone.get_by_role("button", name="Save practice").click()
    expect(phone.get_by_text("Practice saved")).to_be_visible()
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('exposure-draft:')).length") == 0

    phone.goto(f"/exposure/items/{item.id}/practice")
    expect(phone.get_by_text("We brought back the practice")).to_be_hidden()

    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/exposure/items/{item.id}")
    chart = desktop.get_by_role("img", name="SUDS across practices")
    expect(chart).to_be_visible()
    expect(desktop.locator("#suds-chart table")).to_contain_text("70")
    expect(desktop.get_by_role("cell", name="50 / 70 / 20")).to_be_visible()


def test_patient_reorders_ladder_on_phone(phone, db, patient, therapist):
    ladder = services.create_hierarchy(db, patient=patient, title="Checking")
    for text, suds in (("Leave the stove unchecked", 80), ("Lock the door once", 30)):
        services.add_item(db, hierarchy=ladder, kind="erp", description=text, ritual="Checking", suds=suds,
                          by=therapist, at=utcnow())
    db.commit()
    sign_in_page(phone, patient.email)
    phone.goto(f"/exposure/ladders/{ladder.id}")
    phone.get_by_role("button", name="Sort by SUDS").click()
    expect(phone.locator(".ladder-item strong").first).to_have_text("Lock the door once")
    phone.get_by_role("button", name="Move “Lock the door once” down").click()
    expect(phone.locator(".ladder-item strong").first).to_have_text("Leave the stove unchecked")


def test_patient_fills_diary_card_on_phone_and_therapist_sees_grid(phone, desktop, db, patient, therapist):
    sign_in_page(phone, patient.email)
    phone.goto("/diary")
    urge = phone.get_by_role("group", name="Urge to self-harm")
    urge.get_by_text("3", exact=True).click()
    phone.locator("[name=acted-self_harm]").check()
    phone.get_by_role("group", name="Sadness").get_by_text("4", exact=True).click()
    phone.get_by_role("group", name="Skills used today").get_by_label("6").click()
    phone.get_by_label("Notes").fill("Used TIPP after the call")
    phone.get_by_role("button", name="Save diary card").click()
    expect(phone.get_by_text("Diary card saved")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    sign_in_page(desktop, therapist.email)
    desktop.goto(f"/patients/{patient.id}/dbt")
    grid = desktop.locator("table.diary-grid")
    expect(grid.get_by_role("row", name="Urge to self-harm")).to_contain_text("3")
    expect(grid.locator("td.acted")).to_have_text("yes")
    expect(grid.get_by_role("row", name="Sadness")).to_contain_text("4")
    expect(grid).to_contain_text("Used TIPP after the call")
