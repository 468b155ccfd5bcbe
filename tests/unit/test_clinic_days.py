"""Issue 16, found 5: courses skip closures and weekends and run on to the prescribed count; presets' shapes."""
from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.clinic.closures import public_holidays
from app.tms import protocols
from app.tms.protocols import ClinicDays, ProtocolError, expand_course

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MON_FRI = frozenset(range(5))


def local_days(starts, tz=NEW_YORK):
    return [s.astimezone(tz).date() for s in starts]


def test_standard_course_skips_a_public_holiday_and_is_extended_not_shortened():
    thanksgiving = date(2026, 11, 26)
    starts = expand_course(protocols.StandardProtocol(MON_FRI, 2, time(9, 0)), start=date(2026, 11, 23), tz=NEW_YORK,
                           days=ClinicDays(frozenset({thanksgiving})))
    days = local_days(starts)
    assert len(days) == 10 and thanksgiving not in days
    assert days[-1] == date(2026, 12, 7)  # one weekday later than without the holiday


def test_us_holidays_come_from_the_holidays_package_with_region():
    us = dict(public_holidays("US", "", 2026))
    assert us[date(2026, 11, 26)] == "Thanksgiving Day"
    london = dict(public_holidays("GB", "ENG", 2026))
    assert date(2026, 12, 25) in london and date(2026, 12, 28) in london  # Boxing Day (substitute)


def test_accelerated_course_skips_the_weekend_unless_asked():
    protocol = protocols.AcceleratedProtocol(10, 50, 5, time(8, 0))
    weekdays_only = sorted(set(local_days(expand_course(protocol, start=date(2026, 11, 26), tz=NEW_YORK,
                                                        days=ClinicDays()))))
    assert weekdays_only == [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]
    inpatient = sorted(set(local_days(expand_course(protocol, start=date(2026, 11, 26), tz=NEW_YORK,
                                                    days=ClinicDays(include_weekends=True)))))
    assert inpatient[-1] == date(2026, 11, 30) and date(2026, 11, 28) in inpatient


def test_booster_on_a_sunday_moves_to_monday():
    protocol = protocols.BoosterProtocol(3, 1, "weeks", time(10, 0))
    assert local_days(expand_course(protocol, start=date(2026, 11, 29), tz=NEW_YORK, days=ClinicDays())) == [
        date(2026, 11, 30), date(2026, 12, 6 + 1), date(2026, 12, 14)]


def test_neurostar_preset_is_30_daily_plus_a_6_session_taper():
    protocol = protocols.StandardProtocol(MON_FRI, 6, time(9, 0), sessions=30, taper=(3, 2, 1))
    days = local_days(expand_course(protocol, start=date(2027, 1, 4), tz=NEW_YORK, days=ClinicDays()))
    assert len(days) == 36 and len(set(days)) == 36
    assert days[29] == date(2027, 2, 12)
    assert [d for d in days[30:]] == [date(2027, 2, 15), date(2027, 2, 17), date(2027, 2, 19), date(2027, 2, 22),
                                      date(2027, 2, 26), date(2027, 3, 1)]


def test_deep_tms_ocd_is_29_sessions_within_six_weeks():
    protocol = protocols.StandardProtocol(MON_FRI, 6, time(9, 0), sessions=29)
    days = local_days(expand_course(protocol, start=date(2027, 1, 4), tz=NEW_YORK, days=ClinicDays()))
    assert len(days) == 29 and days[-1] - days[0] < timedelta(weeks=6)


def test_closures_that_leave_no_clinic_day_are_refused():
    closed = frozenset(date(2027, 1, 1) + timedelta(days=n) for n in range(400))
    with pytest.raises(ProtocolError) as caught:
        expand_course(protocols.StandardProtocol(MON_FRI, 1, time(9, 0)), start=date(2027, 1, 4), tz=NEW_YORK,
                      days=ClinicDays(closed))
    assert "no clinic day" in caught.value.message


def test_custom_session_on_a_closure_is_refused():
    from datetime import datetime

    with pytest.raises(ProtocolError):
        expand_course(protocols.CustomProtocol((datetime(2026, 12, 25, 9, 0),)), start=date(2026, 12, 1), tz=LONDON,
                      days=ClinicDays(frozenset({date(2026, 12, 25)})))


@pytest.mark.parametrize(("tz", "start"), [(NEW_YORK, date(2027, 3, 8)), (LONDON, date(2027, 3, 22))])
def test_a_course_across_a_clock_change_keeps_its_wall_clock_time(tz, start):
    starts = expand_course(protocols.StandardProtocol(MON_FRI, 2, time(9, 0)), start=start, tz=tz, days=ClinicDays())
    assert {s.astimezone(tz).time() for s in starts} == {time(9, 0)}
    assert len({s.astimezone(UTC).time() for s in starts}) == 2
