from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.timezones import UnknownTimezone, validate_timezone
from app.tms.protocols import (
    SESSION_MINUTES,
    AcceleratedProtocol,
    BoosterProtocol,
    CustomProtocol,
    IntervalUnit,
    ProtocolError,
    StandardProtocol,
    TaperProtocol,
    check_no_overlap,
    expand_course,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MON_TO_FRI = frozenset(range(5))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local_dates(starts: list[datetime], tz: ZoneInfo) -> list[date]:
    return [start.astimezone(tz).date() for start in starts]


def local_times(starts: list[datetime], tz: ZoneInfo) -> list[time]:
    return [start.astimezone(tz).time() for start in starts]


# Standard course


def test_standard_course_gives_one_session_each_chosen_weekday_for_n_weeks() -> None:
    protocol = StandardProtocol(weekdays=MON_TO_FRI, weeks=4, local_time=time(9, 0))

    starts = expand_course(protocol, start=date(2026, 11, 2), tz=NEW_YORK)

    assert len(starts) == 20
    assert starts[0] == utc(2026, 11, 2, 14, 0)
    assert local_dates(starts, NEW_YORK)[-1] == date(2026, 11, 27)
    assert all(day.weekday() < 5 for day in local_dates(starts, NEW_YORK))
    assert all(start.tzinfo is UTC for start in starts)
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("start", "first", "last"),
    [
        (date(2026, 11, 7), date(2026, 11, 9), date(2026, 12, 4)),  # Saturday: waits for Monday
        (date(2026, 11, 4), date(2026, 11, 4), date(2026, 12, 1)),  # Wednesday: 4 weeks from Wednesday
    ],
)
def test_standard_course_starts_on_first_chosen_weekday_on_or_after_start(
    start: date, first: date, last: date
) -> None:
    protocol = StandardProtocol(weekdays=MON_TO_FRI, weeks=4, local_time=time(9, 0))

    days = local_dates(expand_course(protocol, start=start, tz=NEW_YORK), NEW_YORK)

    assert (days[0], days[-1], len(days)) == (first, last, 20)


@pytest.mark.parametrize(
    ("tz", "start", "before_utc", "after_utc"),
    [
        (NEW_YORK, date(2026, 3, 2), time(14, 0), time(13, 0)),  # spring forward 2026-03-08
        (NEW_YORK, date(2026, 10, 26), time(13, 0), time(14, 0)),  # fall back 2026-11-01
        (LONDON, date(2026, 3, 23), time(9, 0), time(8, 0)),  # spring forward 2026-03-29
        (LONDON, date(2026, 10, 19), time(8, 0), time(9, 0)),  # fall back 2026-10-25
    ],
)
def test_standard_course_keeps_wall_clock_time_across_dst(
    tz: ZoneInfo, start: date, before_utc: time, after_utc: time
) -> None:
    protocol = StandardProtocol(weekdays=MON_TO_FRI, weeks=2, local_time=time(9, 0))

    starts = expand_course(protocol, start=start, tz=tz)

    assert set(local_times(starts, tz)) == {time(9, 0)}
    assert starts[0].time() == before_utc
    assert starts[-1].time() == after_utc


@pytest.mark.parametrize(
    ("tz", "gap_time", "gap_day"),
    [(NEW_YORK, time(2, 30), "2026-03-08"), (LONDON, time(1, 30), "2026-03-29")],
)
def test_standard_course_time_inside_spring_forward_gap_is_an_error_naming_the_date(
    tz: ZoneInfo, gap_time: time, gap_day: str
) -> None:
    protocol = StandardProtocol(weekdays={6}, weeks=6, local_time=gap_time)

    with pytest.raises(ProtocolError) as caught:
        expand_course(protocol, start=date(2026, 3, 1), tz=tz)

    assert caught.value.field == "local_time"
    assert gap_day in caught.value.message
    assert tz.key in caught.value.message


@pytest.mark.parametrize(
    ("tz", "day", "ambiguous", "expected"),
    [
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # 01:30 EDT, not EST
        (LONDON, date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),  # 01:30 BST, not GMT
    ],
)
def test_ambiguous_fall_back_time_takes_the_first_occurrence(
    tz: ZoneInfo, day: date, ambiguous: time, expected: datetime
) -> None:
    protocol = BoosterProtocol(sessions=1, every=1, unit=IntervalUnit.WEEKS, local_time=ambiguous)

    assert expand_course(protocol, start=day, tz=tz) == [expected]


# Accelerated course


def test_accelerated_course_gives_sessions_minutes_apart_on_consecutive_days() -> None:
    protocol = AcceleratedProtocol(sessions_per_day=10, minutes_apart=50, days=5, first_session=time(8, 0))

    starts = expand_course(protocol, start=date(2026, 11, 23), tz=NEW_YORK)

    assert len(starts) == 50
    days = local_dates(starts, NEW_YORK)
    assert sorted(set(days)) == [date(2026, 11, 23) + timedelta(days=offset) for offset in range(5)]
    first_day = starts[:10]
    assert first_day[0] == utc(2026, 11, 23, 13, 0)
    assert {later - earlier for earlier, later in zip(first_day, first_day[1:])} == {timedelta(minutes=50)}
    assert first_day[-1].astimezone(NEW_YORK).time() == time(15, 30)


def test_accelerated_sessions_keep_real_spacing_across_spring_forward() -> None:
    protocol = AcceleratedProtocol(sessions_per_day=3, minutes_apart=50, days=1, first_session=time(1, 0))

    starts = expand_course(protocol, start=date(2026, 3, 8), tz=NEW_YORK)

    assert starts == [utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 6, 50), utc(2026, 3, 8, 7, 40)]
    assert local_times(starts, NEW_YORK) == [time(1, 0), time(1, 50), time(3, 40)]


def test_accelerated_first_session_inside_dst_gap_is_an_error_naming_the_date() -> None:
    protocol = AcceleratedProtocol(sessions_per_day=5, minutes_apart=50, days=5, first_session=time(2, 15))

    with pytest.raises(ProtocolError) as caught:
        expand_course(protocol, start=date(2026, 3, 5), tz=NEW_YORK)

    assert caught.value.field == "first_session"
    assert "2026-03-08" in caught.value.message


@pytest.mark.parametrize(("minutes_apart", "allowed"), [(SESSION_MINUTES - 1, False), (10, True)])
def test_accelerated_sessions_must_be_at_least_ten_minutes_apart(minutes_apart: int, allowed: bool) -> None:
    def build() -> AcceleratedProtocol:
        return AcceleratedProtocol(sessions_per_day=10, minutes_apart=minutes_apart, days=1, first_session=time(9, 0))

    if allowed:
        assert build().minutes_apart == minutes_apart
    else:
        with pytest.raises(ProtocolError) as caught:
            build()
        assert caught.value.field == "minutes_apart"


@pytest.mark.parametrize(("sessions_per_day", "allowed"), [(12, True), (13, False)])
def test_accelerated_day_must_end_by_midnight(sessions_per_day: int, allowed: bool) -> None:
    # From 22:00, 10 minutes apart: the 12th session starts 23:50 and ends at midnight; a 13th would cross it.
    def build() -> AcceleratedProtocol:
        return AcceleratedProtocol(
            sessions_per_day=sessions_per_day, minutes_apart=10, days=1, first_session=time(22, 0)
        )

    if allowed:
        starts = expand_course(build(), start=date(2026, 11, 23), tz=NEW_YORK)
        assert set(local_dates(starts, NEW_YORK)) == {date(2026, 11, 23)}
    else:
        with pytest.raises(ProtocolError, match="midnight") as caught:
            build()
        assert caught.value.field == "minutes_apart"


def test_accelerated_day_pushed_past_midnight_by_spring_forward_is_rejected() -> None:
    # The 12th session starts 22 h after 01:00: 23:00 on a normal day, but midnight on a 23-hour day.
    protocol = AcceleratedProtocol(sessions_per_day=12, minutes_apart=120, days=1, first_session=time(1, 0))

    with pytest.raises(ProtocolError, match="2026-03-08"):
        expand_course(protocol, start=date(2026, 3, 8), tz=NEW_YORK)
    starts = expand_course(protocol, start=date(2026, 3, 9), tz=NEW_YORK)
    assert starts[-1].astimezone(NEW_YORK).time() == time(23, 0)


# Taper, booster, custom


def test_taper_spreads_sessions_through_each_week() -> None:
    protocol = TaperProtocol(sessions_per_week=(3, 2, 1), weekdays=MON_TO_FRI, local_time=time(10, 0))

    days = local_dates(expand_course(protocol, start=date(2026, 12, 7), tz=NEW_YORK), NEW_YORK)

    assert [day.strftime("%a %d") for day in days] == ["Mon 07", "Wed 09", "Fri 11", "Mon 14", "Fri 18", "Mon 21"]


def test_taper_weeks_run_from_first_preferred_weekday_on_or_after_start() -> None:
    protocol = TaperProtocol(sessions_per_week=[2, 1], weekdays={1, 3}, local_time=time(10, 0))

    days = local_dates(expand_course(protocol, start=date(2026, 12, 5), tz=LONDON), LONDON)

    assert days == [date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 15)]


@pytest.mark.parametrize(
    ("unit", "every", "expected_days"),
    [
        (IntervalUnit.WEEKS, 2, [date(2027, 1, 4), date(2027, 1, 18), date(2027, 2, 1)]),
        (IntervalUnit.DAYS, 10, [date(2027, 1, 4), date(2027, 1, 14), date(2027, 1, 24)]),
        ("weeks", 4, [date(2027, 1, 4), date(2027, 2, 1), date(2027, 3, 1)]),
    ],
)
def test_booster_sessions_are_spaced_from_start(unit: IntervalUnit, every: int, expected_days: list[date]) -> None:
    protocol = BoosterProtocol(sessions=3, every=every, unit=unit, local_time=time(11, 0))

    starts = expand_course(protocol, start=date(2027, 1, 4), tz=NEW_YORK)

    assert local_dates(starts, NEW_YORK) == expected_days
    assert set(local_times(starts, NEW_YORK)) == {time(11, 0)}


def test_custom_sessions_are_converted_and_sorted() -> None:
    protocol = CustomProtocol(
        local_datetimes=(datetime(2026, 11, 5, 9, 0), datetime(2026, 11, 1, 1, 30), datetime(2026, 11, 3, 15, 0))
    )

    starts = expand_course(protocol, start=date(2026, 12, 1), tz=NEW_YORK)

    assert starts == [utc(2026, 11, 1, 5, 30), utc(2026, 11, 3, 20, 0), utc(2026, 11, 5, 14, 0)]


@pytest.mark.parametrize(
    ("second", "allowed"),
    [(datetime(2026, 11, 5, 9, 9), False), (datetime(2026, 11, 5, 9, 10), True)],
)
def test_custom_sessions_must_not_overlap(second: datetime, allowed: bool) -> None:
    protocol = CustomProtocol(local_datetimes=(datetime(2026, 11, 5, 9, 0), second))

    if allowed:
        assert len(expand_course(protocol, start=date(2026, 11, 5), tz=NEW_YORK)) == 2
    else:
        with pytest.raises(ProtocolError) as caught:
            expand_course(protocol, start=date(2026, 11, 5), tz=NEW_YORK)
        assert caught.value.field == "local_datetimes"


def test_custom_session_inside_dst_gap_is_an_error_naming_the_date() -> None:
    protocol = CustomProtocol(local_datetimes=(datetime(2026, 3, 29, 1, 15),))

    with pytest.raises(ProtocolError, match="2026-03-29"):
        expand_course(protocol, start=date(2026, 3, 29), tz=LONDON)


# Validation


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: StandardProtocol(weekdays=MON_TO_FRI, weeks=0, local_time=time(9)), "weeks"),
        (lambda: StandardProtocol(weekdays=MON_TO_FRI, weeks=-2, local_time=time(9)), "weeks"),
        (lambda: StandardProtocol(weekdays=MON_TO_FRI, weeks=400, local_time=time(9)), "weeks"),
        (lambda: StandardProtocol(weekdays=MON_TO_FRI, weeks=True, local_time=time(9)), "weeks"),
        (lambda: StandardProtocol(weekdays=set(), weeks=4, local_time=time(9)), "weekdays"),
        (lambda: StandardProtocol(weekdays={0, 7}, weeks=4, local_time=time(9)), "weekdays"),
        (lambda: StandardProtocol(weekdays={-1}, weeks=4, local_time=time(9)), "weekdays"),
        (lambda: StandardProtocol(weekdays=MON_TO_FRI, weeks=4, local_time=time(9, tzinfo=UTC)), "local_time"),
        (lambda: AcceleratedProtocol(sessions_per_day=0, minutes_apart=50, days=5, first_session=time(8)),
         "sessions_per_day"),
        (lambda: AcceleratedProtocol(sessions_per_day=10, minutes_apart=50, days=0, first_session=time(8)), "days"),
        (lambda: AcceleratedProtocol(sessions_per_day=10, minutes_apart=-50, days=5, first_session=time(8)),
         "minutes_apart"),
        (lambda: TaperProtocol(sessions_per_week=(), weekdays=MON_TO_FRI, local_time=time(9)), "sessions_per_week"),
        (lambda: TaperProtocol(sessions_per_week=(3, 0, 1), weekdays=MON_TO_FRI, local_time=time(9)),
         "sessions_per_week"),
        (lambda: TaperProtocol(sessions_per_week=(3, 2), weekdays={0, 2}, local_time=time(9)), "sessions_per_week"),
        (lambda: TaperProtocol(sessions_per_week=(1,), weekdays=set(), local_time=time(9)), "weekdays"),
        (lambda: BoosterProtocol(sessions=0, every=1, unit=IntervalUnit.WEEKS, local_time=time(9)), "sessions"),
        (lambda: BoosterProtocol(sessions=3, every=0, unit=IntervalUnit.WEEKS, local_time=time(9)), "every"),
        (lambda: BoosterProtocol(sessions=3, every=1, unit="fortnights", local_time=time(9)), "unit"),
        (lambda: CustomProtocol(local_datetimes=()), "local_datetimes"),
        (lambda: CustomProtocol(local_datetimes=(datetime(2026, 11, 5, 9, tzinfo=UTC),)), "local_datetimes"),
    ],
)
def test_invalid_protocol_values_raise_protocol_error_for_the_field(build: Callable[[], object], field: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        build()

    assert isinstance(caught.value, ValueError)
    assert caught.value.field == field
    assert caught.value.message == str(caught.value)
    assert caught.value.message


def test_protocols_are_frozen_and_normalise_weekdays() -> None:
    protocol = StandardProtocol(weekdays=[0, 2, 2, 4], weeks=1, local_time=time(9))

    assert protocol.weekdays == frozenset({0, 2, 4})
    assert protocol == StandardProtocol(weekdays={4, 2, 0}, weeks=1, local_time=time(9))
    with pytest.raises(AttributeError):
        protocol.weeks = 2  # type: ignore[misc]


# Time zones


@pytest.mark.parametrize("name", ["America/New_York", "Europe/London", "UTC", "Asia/Kolkata"])
def test_validate_timezone_returns_zoneinfo_for_iana_names(name: str) -> None:
    assert validate_timezone(name) == ZoneInfo(name)


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "", "America", "america/new_york", "../etc/passwd", "/etc/localtime", "localtime"]
)
def test_validate_timezone_rejects_unknown_names(name: str) -> None:
    with pytest.raises(UnknownTimezone) as caught:
        validate_timezone(name)

    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "timezone"


# Overlap check


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [
        (timedelta(minutes=10), True),
        (-timedelta(minutes=10), True),
        (timedelta(minutes=10) - timedelta(microseconds=1), False),
        (-timedelta(minutes=9, seconds=59), False),
        (timedelta(0), False),
    ],
)
def test_check_no_overlap_requires_the_minimum_gap(offset: timedelta, allowed: bool) -> None:
    existing = [utc(2026, 11, 23, 13, 0), utc(2026, 11, 23, 16, 0)]
    new_start = existing[0] + offset

    if allowed:
        assert check_no_overlap(new_start, existing) is None
    else:
        with pytest.raises(ProtocolError) as caught:
            check_no_overlap(new_start, existing)
        assert caught.value.field == "scheduled_at"


def test_check_no_overlap_names_the_clashing_session_in_local_time() -> None:
    with pytest.raises(ProtocolError, match="2026-11-23 08:00"):
        check_no_overlap(
            utc(2026, 11, 23, 13, 5), [utc(2026, 11, 23, 13, 0)], timedelta(minutes=50), tz=NEW_YORK
        )


def test_check_no_overlap_accepts_an_empty_schedule_and_rejects_naive_times() -> None:
    assert check_no_overlap(utc(2026, 11, 23, 13, 0), []) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        check_no_overlap(datetime(2026, 11, 23, 13, 0), [])
