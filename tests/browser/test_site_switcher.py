"""A staff member at two sites switches between them on a phone (390 px): the day list, closures and accounts
follow the chosen site and it is remembered; staff at one site never see the switcher."""
import pytest

from app.demo import DEMO_PASSWORD, seed
from tests.browser.conftest import sign_in_page
from tests.browser.test_accessibility import violations


@pytest.fixture
def demo(db):
    seed(db)


def test_admin_at_two_sites_switches_site_on_a_phone(phone, demo):
    sign_in_page(phone, "staff@demo.clinic", DEMO_PASSWORD)
    phone.goto("/clinic/today")
    switcher = phone.get_by_role("combobox", name="Site", exact=True)
    assert switcher.input_value() == switcher.locator("option", has_text="Manhattan").get_attribute("value")
    assert "America/New_York" in phone.locator("main").inner_text()
    button = phone.get_by_role("button", name="Switch")
    for control in (switcher, button):
        box = control.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert not violations(phone)

    switcher.select_option(label="Chicago Loop")
    with phone.expect_navigation():  # the page is already at /clinic/today: wait for the one the switch loads
        button.tap()
    phone.wait_for_url("**/clinic/today")
    assert "Now working at Chicago Loop." in phone.locator("main").inner_text()
    assert "America/Chicago" in phone.locator("main").inner_text()

    phone.goto("/clinic/closures")  # remembered on the next page
    assert "Chicago Loop" in phone.get_by_role("heading", level=1).inner_text()
    phone.goto("/admin")
    accounts = phone.locator("main").inner_text()
    assert "Sam Okafor" in accounts and "Dana Rivera" not in accounts


def test_staff_at_one_site_see_no_switcher(phone, demo):
    sign_in_page(phone, "technician@demo.clinic", DEMO_PASSWORD)
    phone.goto("/clinic/today")
    assert phone.locator("#site-switcher").count() == 0
