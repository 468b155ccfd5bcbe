"""Therapist, physician and clinic pages on any width: axe clean and no sideways scroll at 390 px (a phone) and
1280 px (a desktop), for every role of the care team, on the seeded demo clinic."""
import re

import pytest

from app.demo import DEMO_PASSWORD, seed
from tests.browser.conftest import sign_in_page
from tests.browser.test_accessibility import page_types, violations

STAFF_PAGES = re.compile(
    r"^/(patients|clinic|tms/|activity-ideas|skills/clinic|admin|settings/reminders|appointments|coordination)")
START = {"therapist@demo.clinic": "/patients", "physician@demo.clinic": "/patients", "staff@demo.clinic": "/admin",
         "technician@demo.clinic": "/clinic/today", "community@demo.clinic": "/patients"}


@pytest.fixture
def demo(db):
    seed(db)


@pytest.mark.parametrize("email", list(START))
def test_staff_pages_fit_a_phone_and_a_desktop_and_pass_axe(desktop, demo, email):
    sign_in_page(desktop, email, DEMO_PASSWORD)
    urls = page_types(desktop, START[email], STAFF_PAGES)
    assert len(urls) >= 3
    problems = {}
    for width, height in ((390, 844), (1280, 900)):
        desktop.set_viewport_size({"width": width, "height": height})
        for url in urls:
            desktop.goto(url)
            if report := violations(desktop):
                problems[f"{url} @{width}"] = report
            overflow = desktop.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{url} @{width}"] = problems.get(f"{url} @{width}", "") + f"\nscrolls sideways by {overflow}px"
    assert not problems, "\n\n".join(f"== {url}\n{report}" for url, report in problems.items())
