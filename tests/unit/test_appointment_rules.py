from datetime import date, datetime, time

import pytest

from app.appointments.rules import Pattern, Slot, previous_appointment_day, suggest_slot, weekly_days

MONDAY = date(2026, 3, 2)
CLOSES = time(19, 0)


def visits(*days_and_times):
    return [datetime.combine(day, at) for day, at in days_and_times]


def suggest(tms, pattern=Pattern.same_day, first_day=MONDAY, **kwargs):
    return suggest_slot(tms, pattern=pattern, first_day=first_day, visit_minutes=40, appointment_minutes=50,
                        closes_at=CLOSES, **kwargs)


def test_same_day_suggests_the_afternoon_of_the_first_tms_day():
    tms = visits((date(2026, 3, 3), time(9, 0)), (date(2026, 3, 4), time(9, 0)))
    assert suggest(tms) == Slot(date(2026, 3, 3), time(14, 0))


def test_a_late_visit_moves_the_suggestion_to_an_hour_after_it_ends():
    tms = visits((MONDAY, time(13, 10)))
    assert suggest(tms) == Slot(MONDAY, time(15, 0))  # ends 13:50, +1 h, rounded up to the half hour


def test_a_visit_too_late_for_therapy_before_closing_moves_to_the_next_tms_day():
    tms = visits((MONDAY, time(17, 30)), (date(2026, 3, 3), time(9, 0)))
    assert suggest(tms) == Slot(date(2026, 3, 3), time(14, 0))


def test_interleaved_suggests_a_weekday_without_tms():
    tms = visits((MONDAY, time(9, 0)), (date(2026, 3, 3), time(9, 0)), (date(2026, 3, 5), time(9, 0)))
    assert suggest(tms, Pattern.interleaved) == Slot(date(2026, 3, 4), time(10, 0))


def test_weekends_and_closures_are_never_suggested():
    saturday = date(2026, 3, 7)
    tms = visits((saturday, time(9, 0)), (date(2026, 3, 9), time(9, 0)), (date(2026, 3, 10), time(9, 0)))
    assert suggest(tms, first_day=saturday, closed=frozenset({date(2026, 3, 9)})) == Slot(date(2026, 3, 10), time(14, 0))


def test_without_tms_the_first_open_weekday_is_offered():
    assert suggest([], first_day=date(2026, 3, 7)) == Slot(date(2026, 3, 9), time(14, 0))


def test_weekly_series_keeps_the_weekday():
    assert weekly_days(MONDAY, 3) == [MONDAY, date(2026, 3, 9), date(2026, 3, 16)]
    with pytest.raises(ValueError):
        weekly_days(MONDAY, 0)


def test_previous_appointment_is_the_last_one_before_today():
    starts = visits((date(2026, 2, 23), time(15, 0)), (MONDAY, time(15, 0)), (date(2026, 3, 9), time(15, 0)))
    assert previous_appointment_day(starts, date(2026, 3, 9)) == MONDAY
    assert previous_appointment_day(starts, date(2026, 2, 23)) is None


def test_first_clash_finds_overlaps_and_lets_back_to_back_pass():
    from app.appointments.rules import Busy, first_clash

    nine = datetime(2026, 3, 2, 9, 0)
    busy = [Busy(nine, 40, "tms"), Busy(nine.replace(hour=14), 50, "appointment")]
    assert first_clash(nine.replace(minute=40), 50, busy) is None  # starts as the visit ends
    assert first_clash(nine.replace(hour=8, minute=30), 30, busy) is None  # ends as the visit starts
    assert first_clash(nine.replace(minute=20), 50, busy).what == "tms"
    assert first_clash(nine.replace(hour=13, minute=30), 60, busy).what == "appointment"
    assert first_clash(nine.replace(hour=8), 24 * 60, busy) == busy[0]  # the earliest of several
