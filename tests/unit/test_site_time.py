"""A site's time, read from the site alone: its zone, hours and holiday region; a zone nobody knows (a row edited
by hand) never breaks scheduling: New York is used, as before sites."""
from datetime import time

from app.clinic.settings import site_time
from app.models import Site


def test_site_time_is_the_sites_zone_hours_and_holiday_region():
    clinic = site_time(Site(id=7, name="Chicago", timezone="America/Chicago", opens_at=time(8), closes_at=time(18),
                            holiday_country="US", holiday_region="IL"))
    assert (clinic.tz.key, clinic.opens_at, clinic.closes_at, clinic.holiday_region, clinic.site_id) == (
        "America/Chicago", time(8), time(18), "IL", 7)


def test_an_unknown_zone_falls_back_to_new_york():
    assert site_time(Site(id=1, name="Typo", timezone="America/Chicgo")).tz.key == "America/New_York"
