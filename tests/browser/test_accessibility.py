"""WCAG 2.1 AA with axe-core on every page type of the seeded demo clinic: patients on a phone, therapists on a
desktop; patient pages also keep touch targets at 44 px and fit a 320 px screen."""
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.demo import DEMO_PASSWORD, seed
from tests.browser.conftest import sign_in_page

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SKIP = re.compile(r"^/(logout|calendar\.ics|static/|sw\.js|manifest|app-shell|invite/|reset/)|\.(ics|csv|json)$|/fhir(\?.*)?$|/fhir/")  # downloads and FHIR data are not pages
PATIENT_AREA = re.compile(r"^/(today|week|practice|progress|history|me$|settings/reminders|checkins|questionnaires|thoughts|activities|exposure|skills|diary|safety|calendar|offline|welcome)")
STAFF_AREA = re.compile(r"^/(patients|clinic|activity-ideas|skills/clinic)")


@pytest.fixture
def demo(db):
    seed(db)


def page_types(page, start: str, area: re.Pattern) -> list[str]:
    """Every page reachable by links from `start`, one per URL shape (ids folded), so each template is checked."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < 60:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        if shape in seen:
            continue
        response = page.goto(url)
        if response is None or response.status != 200:
            continue
        seen[shape] = url
        for href in page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))"):
            path = href.split("#")[0]
            if path and area.match(urlsplit(path).path) and not SKIP.search(path):
                queue.append(path)
    return list(seen.values())


def violations(page) -> str:
    results = Axe().run(page, options=AXE_OPTIONS)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("email", ["dana@demo.clinic", "sam@demo.clinic", "lucia@demo.clinic"])  # TMS course; exposure ladder; Spanish
def test_patient_pages_have_no_axe_violations_and_fit_a_small_phone(phone, demo, email):
    sign_in_page(phone, email, DEMO_PASSWORD)
    urls = page_types(phone, "/today", PATIENT_AREA) + ["/offline"]
    assert len(urls) >= 15
    problems = {}
    phone.set_viewport_size({"width": 320, "height": 640})
    for url in urls:
        phone.goto(url)
        if report := violations(phone):
            problems[url] = report
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems[url] = problems.get(url, "") + f"\nscrolls sideways by {overflow}px at 320px"
    assert not problems, "\n\n".join(f"== {url}\n{report}" for url, report in problems.items())


def test_patient_touch_targets_are_at_least_44px(phone, demo):
    """Buttons, links and choice labels in the main content and navigation; links inside running text are exempt
    (WCAG 2.5.5's inline exception)."""
    sign_in_page(phone, "sam@demo.clinic", DEMO_PASSWORD)
    small = {}
    for url in page_types(phone, "/today", PATIENT_AREA):
        phone.goto(url)
        found = phone.evaluate("""() => {
            const inline = el => el.tagName === 'A' && el.closest('p, li, td, dd, .hint, .muted, small, label')
                && !el.classList.contains('button');
            return [...document.querySelectorAll('main a[href], main button, nav a, nav button, header a, header button')]
              .filter(el => el.offsetParent !== null && !inline(el) && !el.classList.contains('skip-link'))
              .filter(el => el.getBoundingClientRect().height < 44)
              .map(el => `${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${Math.round(el.getBoundingClientRect().height)}px`);
        }""")
        if found:
            small[url] = found
    assert not small, small


def test_therapist_pages_have_no_axe_violations(desktop, demo):
    sign_in_page(desktop, "therapist@demo.clinic", DEMO_PASSWORD)
    urls = page_types(desktop, "/patients", STAFF_AREA)
    assert len(urls) >= 10
    problems = {url: report for url in urls if (desktop.goto(url) and (report := violations(desktop)))}
    assert not problems, "\n\n".join(f"== {url}\n{report}" for url, report in problems.items())
