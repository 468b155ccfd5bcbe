"""The therapist's caseload and a demo patient's review in Chromium: screenshots kept as artifacts, and the print
view of the review fits on two A4 pages."""
import re
from pathlib import Path

from playwright.sync_api import expect
from sqlmodel import Session

from app.demo import DEMO_PASSWORD, seed
from tests.browser.conftest import ARTIFACTS, sign_in_page


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_caseload_and_review_for_the_demo_clinic(app, desktop):
    with Session(app.extensions["engine"], expire_on_commit=False) as db:
        seed(db)
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in_page(desktop, "therapist@demo.clinic", DEMO_PASSWORD)
    expect(desktop.get_by_role("heading", name="Your patients")).to_be_visible()
    rows = desktop.locator("table.caseload tbody tr")
    expect(rows).to_have_count(4)  # Dana, Sam, Jordan, Lucía (Riley is the community therapist's)
    expect(desktop.locator("table.caseload")).to_contain_text("Session")
    desktop.screenshot(path=str(ARTIFACTS / "caseload.png"), full_page=True)

    desktop.get_by_role("link", name="Dana Rivera").click()
    expect(desktop.get_by_role("heading", name="Mood and questionnaires")).to_be_visible()
    expect(desktop.locator("#mood-chart, figure").first).to_be_visible()
    expect(desktop.get_by_role("heading", name=re.compile(r"Thought records \(\d+\)"))).to_be_visible()
    desktop.screenshot(path=str(ARTIFACTS / "review-dana.png"), full_page=True)

    desktop.emulate_media(media="print")
    pdf = desktop.pdf(format="A4", print_background=False)
    Path(ARTIFACTS / "review-dana.pdf").write_bytes(pdf)
    assert 1 <= _pdf_pages(pdf) <= 2, f"print view took {_pdf_pages(pdf)} pages"
