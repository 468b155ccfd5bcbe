"""Issue 16: a visit's windows follow the visit (actual start + length), not the tap that records it; before-visit
and between-session rules; accelerated days with a missed last session; DST, other zones, midnight."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.homework.timing import (
    OccurrenceStatus,
    RuleVersion,
    SessionFact,
    SessionStatus,
    TimingKind,
    TimingRule,
    classify,
    expand_occurrences,
    match_completion,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
FORTY = timedelta(minutes=40)


def at(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


def visit(session_id, scheduled, *, status=SessionStatus.COMPLETED, started=None, tapped=None, minutes=40):
    done = (tapped or scheduled + timedelta(minutes=minutes)) if status is SessionStatus.COMPLETED else None
    started = started if started is not None else (scheduled if status is SessionStatus.COMPLETED else None)
    return SessionFact(session_id, scheduled, status, done, started, timedelta(minutes=minutes))


def expand(kind, sessions, day, *, tz=NEW_YORK, hours=4, through=None):
    rule = TimingRule(kind, window_hours=hours)
    return expand_occurrences(
        [RuleVersion(day, rule)], start=day, end=None, sessions=sessions, tz=tz, through=through or day
    )


def test_window_opens_at_actual_start_plus_length_when_staff_tap_done_hours_later() -> None:
    """Found 1: visit 09:00, really started 09:05, tapped done at 17:00: the window is 09:45-13:45."""
    day = date(2026, 11, 25)
    session = visit(1, at(NEW_YORK, 2026, 11, 25, 9, 0), started=at(NEW_YORK, 2026, 11, 25, 9, 5),
                    tapped=at(NEW_YORK, 2026, 11, 25, 17, 0))

    (occ,) = expand(TimingKind.POST_TMS, [session], day)

    assert occ.opens_at == at(NEW_YORK, 2026, 11, 25, 9, 45)
    assert occ.due_at == at(NEW_YORK, 2026, 11, 25, 13, 45)
    thought_record = at(NEW_YORK, 2026, 11, 25, 10, 30)
    assert match_completion([occ], thought_record) == occ
    assert classify(occ, thought_record, at(NEW_YORK, 2026, 11, 26, 9, 0)) is OccurrenceStatus.DONE_ON_TIME


def test_correcting_the_start_days_later_moves_only_that_visits_window() -> None:
    """Found 1: Wednesday's visit corrected on Saturday keeps Wednesday; Thursday's window does not move."""
    wednesday = visit(1, at(NEW_YORK, 2026, 11, 25, 9, 0), started=at(NEW_YORK, 2026, 11, 25, 11, 0),
                      tapped=at(NEW_YORK, 2026, 11, 28, 10, 0))
    thursday = visit(2, at(NEW_YORK, 2026, 11, 26, 9, 0))

    occs = expand(TimingKind.POST_TMS, [wednesday, thursday], date(2026, 11, 25), through=date(2026, 11, 28))

    assert [(o.local_date, o.opens_at) for o in occs] == [
        (date(2026, 11, 25), at(NEW_YORK, 2026, 11, 25, 11, 40)),
        (date(2026, 11, 26), at(NEW_YORK, 2026, 11, 26, 9, 40)),
    ]


def accelerated(statuses: dict[int, SessionStatus]) -> list[SessionFact]:
    first = at(NEW_YORK, 2026, 11, 23, 8, 0)
    return [
        visit(i, first + (i - 1) * timedelta(minutes=50), status=statuses.get(i, SessionStatus.COMPLETED), minutes=10)
        for i in range(1, 11)
    ]


def test_after_last_session_uses_the_last_delivered_one_when_the_tenth_is_missed() -> None:
    """Found 2: nine delivered, the tenth missed: the homework does not vanish."""
    (occ,) = expand(TimingKind.POST_LAST_TMS, accelerated({10: SessionStatus.MISSED}), date(2026, 11, 23))

    assert occ.session_id == 9
    assert occ.opens_at == at(NEW_YORK, 2026, 11, 23, 14, 50)


def test_after_last_session_skips_trailing_missed_and_cancelled_sessions() -> None:
    statuses = {8: SessionStatus.MISSED, 9: SessionStatus.CANCELLED, 10: SessionStatus.MISSED}
    (occ,) = expand(TimingKind.POST_LAST_TMS, accelerated(statuses), date(2026, 11, 23))

    assert occ.session_id == 7


def test_after_last_session_waits_while_a_later_session_is_still_booked() -> None:
    assert expand(TimingKind.POST_LAST_TMS, accelerated({10: SessionStatus.SCHEDULED}), date(2026, 11, 23)) == []


def test_before_visit_window_runs_n_hours_up_to_the_visit() -> None:
    scheduled = at(NEW_YORK, 2026, 11, 25, 10, 0)
    (occ,) = expand(TimingKind.PRE_TMS, [visit(1, scheduled, status=SessionStatus.SCHEDULED)], date(2026, 11, 25), hours=2)

    assert (occ.key, occ.opens_at, occ.due_at) == ("pre:1", at(NEW_YORK, 2026, 11, 25, 8, 0), scheduled)
    assert classify(occ, at(NEW_YORK, 2026, 11, 25, 9, 59), scheduled) is OccurrenceStatus.DONE_ON_TIME
    assert classify(occ, at(NEW_YORK, 2026, 11, 25, 10, 0), scheduled) is OccurrenceStatus.DONE_LATE


def test_before_visit_follows_the_actual_start_and_skips_cancelled_visits() -> None:
    booked = at(NEW_YORK, 2026, 11, 25, 10, 0)
    late = visit(1, booked, started=booked + timedelta(minutes=30))
    cancelled = visit(2, at(NEW_YORK, 2026, 11, 26, 10, 0), status=SessionStatus.CANCELLED)

    (occ,) = expand(TimingKind.PRE_TMS, [late, cancelled], date(2026, 11, 25), through=date(2026, 11, 26), hours=1)

    assert occ.due_at == booked + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [(NEW_YORK, date(2026, 3, 8), 3), (NEW_YORK, date(2026, 11, 1), 3), (LONDON, date(2026, 3, 29), 3),
     (LONDON, date(2026, 10, 25), 3)],
)
def test_before_visit_window_is_n_real_hours_across_a_clock_change(tz, day, hours) -> None:
    """An 04:00 visit on a DST day: the window is three elapsed hours, whatever the wall clock did."""
    scheduled = datetime(day.year, day.month, day.day, 4, 0, tzinfo=tz).astimezone(UTC)
    (occ,) = expand(TimingKind.PRE_TMS, [visit(1, scheduled, status=SessionStatus.SCHEDULED)], day, tz=tz, hours=hours)

    assert occ.due_at - occ.opens_at == timedelta(hours=hours)
    assert occ.local_date == day


def test_between_sessions_window_is_the_gap_after_each_delivered_session() -> None:
    occs = expand(TimingKind.BETWEEN_TMS, accelerated({5: SessionStatus.MISSED}), date(2026, 11, 23), hours=1)

    keys = [o.key for o in occs]
    assert "gap:5" not in keys and "gap:10" not in keys and len(occs) == 8
    first = occs[0]
    assert (first.opens_at, first.due_at) == (at(NEW_YORK, 2026, 11, 23, 8, 10), at(NEW_YORK, 2026, 11, 23, 8, 50))


def test_between_sessions_window_is_capped_by_window_hours() -> None:
    sessions = [visit(1, at(NEW_YORK, 2026, 11, 23, 8, 0), minutes=10),
                visit(2, at(NEW_YORK, 2026, 11, 23, 14, 0), status=SessionStatus.SCHEDULED, minutes=10)]
    (occ,) = expand(TimingKind.BETWEEN_TMS, sessions, date(2026, 11, 23), hours=2)

    assert occ.due_at == at(NEW_YORK, 2026, 11, 23, 10, 10)


def test_window_crossing_midnight_belongs_to_the_visit_day() -> None:
    """An evening visit at 19:00 with a 6-hour window closes at 01:40 the next day, on the visit's day."""
    session = visit(1, at(NEW_YORK, 2026, 11, 25, 19, 0))
    (occ,) = expand(TimingKind.POST_TMS, [session], date(2026, 11, 25), hours=6, through=date(2026, 11, 26))

    assert occ.local_date == date(2026, 11, 25)
    assert occ.due_at == at(NEW_YORK, 2026, 11, 26, 1, 40)
    assert match_completion([occ], at(NEW_YORK, 2026, 11, 26, 0, 30)) == occ


def test_patient_in_another_zone_gets_the_window_of_the_clinic_visit() -> None:
    """Clinic in New York, patient's phone in Tokyo: the window is the same instants; the day is the patient's."""
    scheduled = at(NEW_YORK, 2026, 11, 25, 9, 0)
    (occ,) = expand(TimingKind.POST_TMS, [visit(1, scheduled)], date(2026, 11, 25), tz=TOKYO,
                    through=date(2026, 11, 26))

    assert occ.opens_at == scheduled + FORTY
    assert occ.local_date == date(2026, 11, 25)  # 23:00 in Tokyo


@pytest.mark.parametrize("tz", [NEW_YORK, LONDON])
def test_post_tms_window_across_spring_forward_is_n_elapsed_hours(tz) -> None:
    day = date(2026, 3, 8) if tz is NEW_YORK else date(2026, 3, 29)
    scheduled = datetime(day.year, day.month, day.day, 0, 30, tzinfo=tz).astimezone(UTC)
    (occ,) = expand(TimingKind.POST_TMS, [visit(1, scheduled)], day, tz=tz)

    assert occ.due_at - occ.opens_at == timedelta(hours=4)
    assert occ.opens_at == scheduled + FORTY
