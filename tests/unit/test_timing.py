from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.homework.timing import (
    LATE_GRACE,
    Adherence,
    Occurrence,
    OccurrenceStatus,
    RuleVersion,
    SessionFact,
    SessionStatus,
    TimingKind,
    TimingRule,
    TimingRuleError,
    classify,
    expand_occurrences,
    match_completion,
    open_post_tms_windows,
    summarize,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MICRO = timedelta(microseconds=1)
S = OccurrenceStatus

POST_TMS = TimingRule(TimingKind.POST_TMS)
DAILY = TimingRule(TimingKind.DAILY, local_time=time(18, 0))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def at(tz: ZoneInfo, *parts: int) -> datetime:
    """A patient-local wall-clock time as a UTC instant."""
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


def completed(session_id: int, scheduled: datetime, done: datetime | None = None) -> SessionFact:
    return SessionFact(session_id, scheduled, SessionStatus.COMPLETED, done or scheduled + timedelta(minutes=30))


def expand(
    rule: TimingRule | list[RuleVersion],
    *,
    start: date,
    through: date,
    end: date | None = None,
    sessions: list[SessionFact] | None = None,
    tz: ZoneInfo = NEW_YORK,
) -> list[Occurrence]:
    versions = rule if isinstance(rule, list) else [RuleVersion(start, rule)]
    return expand_occurrences(versions, start=start, end=end, sessions=sessions or [], tz=tz, through=through)


def occurrence(opens_at: datetime, hours: int = 4, key: str = "tms:1") -> Occurrence:
    return Occurrence(
        key=key,
        kind=TimingKind.POST_TMS,
        local_date=opens_at.date(),
        opens_at=opens_at,
        remind_at=opens_at,
        due_at=opens_at + timedelta(hours=hours),
        session_id=1,
    )


# Post-TMS windows


def test_post_tms_window_closes_four_hours_after_completion() -> None:
    session = completed(7, at(NEW_YORK, 2026, 11, 25, 9, 0), at(NEW_YORK, 2026, 11, 25, 9, 40))

    (occ,) = expand(POST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 25), sessions=[session])

    assert occ.key == "tms:7"
    assert occ.session_id == 7
    assert occ.kind is TimingKind.POST_TMS
    assert occ.local_date == date(2026, 11, 25)
    assert occ.opens_at == occ.remind_at == utc(2026, 11, 25, 14, 40)
    assert occ.due_at == utc(2026, 11, 25, 18, 40)


@pytest.mark.parametrize("hours", [1, 4, 24])
def test_post_tms_window_length_is_set_by_the_therapist(hours: int) -> None:
    session = completed(1, utc(2026, 11, 25, 14, 0))
    rule = TimingRule(TimingKind.POST_TMS, window_hours=hours)

    (occ,) = expand(rule, start=date(2026, 11, 25), through=date(2026, 11, 25), sessions=[session])

    assert occ.due_at - occ.opens_at == timedelta(hours=hours)


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.MISSED, SessionStatus.SCHEDULED])
def test_session_not_completed_opens_no_post_tms_window(status: SessionStatus) -> None:
    session = SessionFact(1, utc(2026, 11, 25, 14, 0), status)

    assert expand(POST_TMS, start=date(2026, 11, 25), through=date(2026, 11, 25), sessions=[session]) == []


def test_session_marked_completed_late_opens_window_from_completion_time() -> None:
    # Scheduled 09:00, but staff clicked "completed" at 16:00: the window runs 16:00-20:00.
    session = completed(3, at(NEW_YORK, 2026, 11, 25, 9, 0), at(NEW_YORK, 2026, 11, 25, 16, 0))

    (occ,) = expand(POST_TMS, start=date(2026, 11, 25), through=date(2026, 11, 25), sessions=[session])

    assert occ.opens_at == at(NEW_YORK, 2026, 11, 25, 16, 0)
    assert occ.due_at == at(NEW_YORK, 2026, 11, 25, 20, 0)
    assert occ.local_date == date(2026, 11, 25)


def test_post_tms_window_across_spring_forward_is_four_real_hours() -> None:
    session = completed(1, at(NEW_YORK, 2026, 3, 8, 0, 30), at(NEW_YORK, 2026, 3, 8, 1, 0))

    (occ,) = expand(POST_TMS, start=date(2026, 3, 8), through=date(2026, 3, 8), sessions=[session])

    assert occ.due_at - occ.opens_at == timedelta(hours=4)
    assert occ.due_at.astimezone(NEW_YORK).time() == time(6, 0)


def test_every_completed_session_of_an_accelerated_day_opens_its_own_window() -> None:
    first = at(NEW_YORK, 2026, 11, 23, 8, 0)
    sessions = [completed(index + 1, first + index * timedelta(minutes=50)) for index in range(10)]

    occurrences = expand(POST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 23), sessions=sessions)

    assert [occ.key for occ in occurrences] == [f"tms:{index}" for index in range(1, 11)]


# Post-last-TMS windows (accelerated days)


def accelerated_day(statuses: dict[int, SessionStatus] | None = None) -> list[SessionFact]:
    """Ten sessions 50 minutes apart from 08:00 New York on 2026-11-23, each completed 10 minutes after its start."""
    first = at(NEW_YORK, 2026, 11, 23, 8, 0)
    facts = []
    for index in range(1, 11):
        scheduled = first + (index - 1) * timedelta(minutes=50)
        status = (statuses or {}).get(index, SessionStatus.COMPLETED)
        done = scheduled + timedelta(minutes=10) if status is SessionStatus.COMPLETED else None
        facts.append(SessionFact(index, scheduled, status, done))
    return facts


POST_LAST_TMS = TimingRule(TimingKind.POST_LAST_TMS)


def test_post_last_tms_window_opens_when_the_days_last_session_is_completed() -> None:
    (occ,) = expand(POST_LAST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 23), sessions=accelerated_day())

    assert occ.key == "day:2026-11-23"
    assert occ.session_id == 10
    assert occ.opens_at == at(NEW_YORK, 2026, 11, 23, 15, 40)
    assert occ.due_at == at(NEW_YORK, 2026, 11, 23, 19, 40)


def test_post_last_tms_window_follows_earlier_session_when_last_is_cancelled() -> None:
    sessions = accelerated_day({10: SessionStatus.CANCELLED})

    (occ,) = expand(POST_LAST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 23), sessions=sessions)

    assert occ.session_id == 9
    assert occ.opens_at == at(NEW_YORK, 2026, 11, 23, 14, 50)


def test_post_last_tms_window_stays_shut_while_the_last_session_is_still_to_come() -> None:
    sessions = accelerated_day({10: SessionStatus.SCHEDULED})

    assert expand(POST_LAST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 23), sessions=sessions) == []


def test_post_last_tms_gives_one_window_per_day() -> None:
    day_one = accelerated_day()
    next_day = timedelta(days=1)
    day_two = [completed(100 + int(s.id), s.scheduled_at_utc + next_day) for s in day_one]

    occurrences = expand(
        POST_LAST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 30), sessions=day_one + day_two
    )

    assert [(occ.key, occ.session_id) for occ in occurrences] == [("day:2026-11-23", 10), ("day:2026-11-24", 110)]


# Day-based kinds


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (NEW_YORK, date(2026, 3, 8), 23),
        (NEW_YORK, date(2026, 11, 1), 25),
        (NEW_YORK, date(2026, 11, 2), 24),
        (LONDON, date(2026, 3, 29), 23),
        (LONDON, date(2026, 10, 25), 25),
    ],
)
def test_daily_occurrence_runs_from_local_midnight_to_next_local_midnight(tz: ZoneInfo, day: date, hours: int) -> None:
    (occ,) = expand(DAILY, start=day, through=day, tz=tz)

    assert occ.key == f"day:{day.isoformat()}"
    assert occ.opens_at.astimezone(tz) == datetime.combine(day, time(0), tzinfo=tz)
    assert occ.due_at.astimezone(tz) == datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    assert occ.due_at - occ.opens_at == timedelta(hours=hours)
    assert occ.remind_at.astimezone(tz).time() == time(18, 0)


@pytest.mark.parametrize("tz", [NEW_YORK, LONDON, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("America/Santiago")])
def test_daily_occurrences_tile_a_year_without_gaps_or_overlaps(tz: ZoneInfo) -> None:
    occurrences = expand(DAILY, start=date(2026, 1, 1), through=date(2026, 12, 31), tz=tz)

    assert len(occurrences) == 365
    assert all(earlier.due_at == later.opens_at for earlier, later in zip(occurrences, occurrences[1:]))
    assert all(occ.opens_at.astimezone(tz).date() == occ.local_date for occ in occurrences)


def test_day_starting_in_a_midnight_dst_gap_opens_when_the_gap_ends() -> None:
    santiago = ZoneInfo("America/Santiago")  # 2026-09-06 00:00 does not exist; clocks jump to 01:00

    (occ,) = expand(DAILY, start=date(2026, 9, 6), through=date(2026, 9, 6), tz=santiago)

    assert occ.opens_at.astimezone(santiago).replace(tzinfo=None) == datetime(2026, 9, 6, 1, 0)


@pytest.mark.parametrize(
    ("tz", "day", "reminder", "expected"),
    [
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),  # gap: moves to 03:30 EDT
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # ambiguous: first, 01:30 EDT
        (LONDON, date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),  # gap: moves to 02:30 BST
        (LONDON, date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),  # ambiguous: first, 01:30 BST
    ],
)
def test_reminder_times_never_fail_on_dst_days(tz: ZoneInfo, day: date, reminder: time, expected: datetime) -> None:
    (occ,) = expand(TimingRule(TimingKind.DAILY, local_time=reminder), start=day, through=day, tz=tz)

    assert occ.remind_at == expected


def test_weekdays_rule_gives_occurrences_only_on_chosen_weekdays() -> None:
    rule = TimingRule(TimingKind.WEEKDAYS, local_time=time(19, 0), weekdays={1, 3})

    occurrences = expand(rule, start=date(2026, 11, 23), through=date(2026, 12, 6))

    assert [occ.local_date.isoformat() for occ in occurrences] == [
        "2026-11-24", "2026-11-26", "2026-12-01", "2026-12-03"
    ]


def test_non_tms_days_skip_days_with_a_non_cancelled_session() -> None:
    rule = TimingRule(TimingKind.NON_TMS_DAYS, local_time=time(17, 0))
    sessions = [
        completed(1, at(NEW_YORK, 2026, 11, 23, 9, 0)),
        SessionFact(2, at(NEW_YORK, 2026, 11, 24, 9, 0), SessionStatus.MISSED),
        SessionFact(3, at(NEW_YORK, 2026, 11, 25, 9, 0), SessionStatus.CANCELLED),
        SessionFact(4, at(NEW_YORK, 2026, 11, 26, 9, 0), SessionStatus.SCHEDULED),
    ]

    occurrences = expand(rule, start=date(2026, 11, 23), through=date(2026, 11, 27), sessions=sessions)

    assert [occ.local_date.day for occ in occurrences] == [25, 27]


def test_non_tms_days_continue_after_the_course_until_the_assignment_ends() -> None:
    rule = TimingRule(TimingKind.NON_TMS_DAYS, local_time=time(17, 0))
    sessions = [completed(index, at(NEW_YORK, 2026, 11, 23 + index, 9, 0)) for index in range(5)]  # Mon-Fri

    occurrences = expand(
        rule, start=date(2026, 11, 23), end=date(2026, 12, 2), through=date(2026, 12, 31), sessions=sessions
    )

    assert [occ.local_date.day for occ in occurrences] == [28, 29, 30, 1, 2]


# Patient in another zone from the clinic


def test_local_dates_are_the_patients_not_the_clinics() -> None:
    # Clinic in New York books 21:30 EST; for a patient in London that is 02:30 the next day.
    session = completed(1, at(NEW_YORK, 2026, 11, 24, 21, 30), at(NEW_YORK, 2026, 11, 24, 22, 0))
    non_tms = TimingRule(TimingKind.NON_TMS_DAYS, local_time=time(17, 0))

    (window,) = expand(POST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 26), sessions=[session], tz=LONDON)
    days = expand(non_tms, start=date(2026, 11, 24), through=date(2026, 11, 25), sessions=[session], tz=LONDON)

    assert window.local_date == date(2026, 11, 25)
    assert window.opens_at == utc(2026, 11, 25, 3, 0)
    assert [occ.local_date for occ in days] == [date(2026, 11, 24)]
    assert days[0].opens_at == utc(2026, 11, 24, 0, 0)
    assert days[0].remind_at == utc(2026, 11, 24, 17, 0)


def test_patient_zone_changes_day_boundaries_but_not_window_length() -> None:
    session = completed(1, at(NEW_YORK, 2026, 11, 24, 9, 0))

    in_new_york = expand(POST_TMS, start=date(2026, 11, 24), through=date(2026, 11, 24), sessions=[session])
    in_london = expand(POST_TMS, start=date(2026, 11, 24), through=date(2026, 11, 24), sessions=[session], tz=LONDON)

    assert in_new_york == in_london


# Range: start, end, through


def test_occurrences_stop_at_the_assignment_end_even_if_sessions_continue() -> None:
    sessions = [completed(day, at(NEW_YORK, 2026, 11, day, 9, 0)) for day in range(23, 28)]

    occurrences = expand(
        POST_TMS, start=date(2026, 11, 23), end=date(2026, 11, 25), through=date(2026, 12, 31), sessions=sessions
    )

    assert [occ.key for occ in occurrences] == ["tms:23", "tms:24", "tms:25"]


@pytest.mark.parametrize(
    ("through", "count"),
    [(date(2026, 11, 22), 0), (date(2026, 11, 23), 1), (date(2026, 11, 25), 3), (date(2026, 11, 30), 5)],
)
def test_occurrences_run_from_start_through_the_given_day(through: date, count: int) -> None:
    occurrences = expand(DAILY, start=date(2026, 11, 23), end=date(2026, 11, 27), through=through)

    assert len(occurrences) == count


def test_sessions_before_start_open_no_window() -> None:
    session = completed(1, at(NEW_YORK, 2026, 11, 22, 9, 0))

    assert expand(POST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 30), sessions=[session]) == []


# Edited assignments keep their history


def test_editing_an_assignment_midway_keeps_past_occurrences() -> None:
    versions = [
        RuleVersion(date(2026, 11, 2), DAILY),
        RuleVersion(date(2026, 11, 5), TimingRule(TimingKind.WEEKDAYS, local_time=time(8, 0), weekdays={0})),
    ]
    before_edit = expand([versions[0]], start=date(2026, 11, 2), through=date(2026, 11, 4))

    occurrences = expand(versions, start=date(2026, 11, 2), through=date(2026, 11, 16))

    assert occurrences[:3] == before_edit
    assert [occ.local_date.day for occ in occurrences] == [2, 3, 4, 9, 16]
    assert occurrences[3].remind_at == at(NEW_YORK, 2026, 11, 9, 8, 0)


def test_shortening_the_window_leaves_earlier_windows_as_they_were() -> None:
    versions = [
        RuleVersion(date(2026, 11, 2), POST_TMS),
        RuleVersion(date(2026, 11, 4), TimingRule(TimingKind.POST_TMS, window_hours=2)),
    ]
    sessions = [completed(day, at(NEW_YORK, 2026, 11, day, 9, 0)) for day in (3, 4)]

    old, new = expand(versions, start=date(2026, 11, 2), through=date(2026, 11, 4), sessions=sessions)

    assert old.due_at - old.opens_at == timedelta(hours=4)
    assert new.due_at - new.opens_at == timedelta(hours=2)


def test_switching_from_post_tms_to_daily_changes_only_later_days() -> None:
    versions = [RuleVersion(date(2026, 11, 2), POST_TMS), RuleVersion(date(2026, 11, 4), DAILY)]
    sessions = [completed(day, at(NEW_YORK, 2026, 11, day, 9, 0)) for day in (2, 3, 4)]

    occurrences = expand(versions, start=date(2026, 11, 2), through=date(2026, 11, 4), sessions=sessions)

    assert [occ.key for occ in occurrences] == ["tms:2", "tms:3", "day:2026-11-04"]


def test_days_before_the_first_version_have_no_occurrences() -> None:
    occurrences = expand([RuleVersion(date(2026, 11, 5), DAILY)], start=date(2026, 11, 2), through=date(2026, 11, 6))

    assert [occ.local_date.day for occ in occurrences] == [5, 6]


def test_two_versions_on_the_same_day_are_rejected() -> None:
    versions = [RuleVersion(date(2026, 11, 5), DAILY), RuleVersion(date(2026, 11, 5), POST_TMS)]

    with pytest.raises(TimingRuleError) as caught:
        expand(versions, start=date(2026, 11, 2), through=date(2026, 11, 6))

    assert caught.value.field == "effective_from"


# Weekly and once


WEEKLY_THURSDAY = TimingRule(TimingKind.WEEKLY, local_time=time(10, 0), weekdays={3})


def test_weekly_occurrence_is_due_at_the_end_of_the_chosen_weekday() -> None:
    occurrences = expand(WEEKLY_THURSDAY, start=date(2026, 11, 16), through=date(2026, 11, 30))

    assert [occ.key for occ in occurrences] == ["week:2026-W47", "week:2026-W48", "week:2026-W49"]
    first, second, _ = occurrences
    assert first.opens_at == at(NEW_YORK, 2026, 11, 16, 0, 0)  # clipped to the start date
    assert first.due_at == at(NEW_YORK, 2026, 11, 20, 0, 0)  # end of Thursday 19 November
    assert first.remind_at == at(NEW_YORK, 2026, 11, 19, 10, 0)
    assert second.local_date == date(2026, 11, 20)  # opens the Friday after the previous due day
    assert second.due_at - second.opens_at == timedelta(days=7)


def test_weekly_windows_are_contiguous_across_dst() -> None:
    occurrences = expand(WEEKLY_THURSDAY, start=date(2026, 10, 1), through=date(2026, 11, 30))

    assert all(earlier.due_at == later.opens_at for earlier, later in zip(occurrences, occurrences[1:]))
    assert {occ.due_at.astimezone(NEW_YORK).time() for occ in occurrences} == {time(0, 0)}


def test_weekly_on_sunday_is_the_iso_week() -> None:
    rule = TimingRule(TimingKind.WEEKLY, local_time=time(10, 0), weekdays={6})

    _, occ = expand(rule, start=date(2026, 11, 19), through=date(2026, 11, 23))

    assert occ.key == "week:2026-W48"
    assert occ.opens_at == at(NEW_YORK, 2026, 11, 23, 0, 0)
    assert occ.due_at == at(NEW_YORK, 2026, 11, 30, 0, 0)


def test_weekly_is_listed_from_the_day_it_opens() -> None:
    occurrences = expand(WEEKLY_THURSDAY, start=date(2026, 11, 16), through=date(2026, 11, 20))

    assert [occ.key for occ in occurrences] == ["week:2026-W47", "week:2026-W48"]


def test_weekly_due_day_is_cut_back_to_the_assignment_end() -> None:
    occurrences = expand(WEEKLY_THURSDAY, start=date(2026, 11, 16), end=date(2026, 11, 22), through=date(2026, 12, 31))

    assert occurrences[-1].due_at == at(NEW_YORK, 2026, 11, 23, 0, 0)
    assert len(occurrences) == 2


def test_changing_the_weekly_day_midweek_never_overlaps_or_repeats_a_week() -> None:
    versions = [
        RuleVersion(date(2026, 11, 2), TimingRule(TimingKind.WEEKLY, local_time=time(10, 0), weekdays={2})),
        RuleVersion(date(2026, 11, 10), TimingRule(TimingKind.WEEKLY, local_time=time(10, 0), weekdays={4})),
    ]

    occurrences = expand(versions, start=date(2026, 11, 2), through=date(2026, 11, 30))

    keys = [occ.key for occ in occurrences]
    assert len(keys) == len(set(keys))
    assert all(earlier.due_at <= later.opens_at for earlier, later in zip(occurrences, occurrences[1:]))
    assert occurrences[1].due_at == at(NEW_YORK, 2026, 11, 12, 0, 0)  # Wednesday 11th, opened before the edit
    assert occurrences[2].due_at == at(NEW_YORK, 2026, 11, 21, 0, 0)  # first Friday in the next ISO week


def test_once_opens_at_start_and_is_due_at_the_end_of_its_due_date() -> None:
    rule = TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 4), local_time=time(9, 0))

    (occ,) = expand(rule, start=date(2026, 11, 25), through=date(2026, 11, 25))

    assert occ.key == "once"
    assert occ.local_date == date(2026, 11, 25)
    assert occ.opens_at == at(NEW_YORK, 2026, 11, 25, 0, 0)
    assert occ.remind_at == at(NEW_YORK, 2026, 12, 4, 9, 0)
    assert occ.due_at == at(NEW_YORK, 2026, 12, 5, 0, 0)


def test_once_without_reminder_time_reminds_when_it_opens() -> None:
    rule = TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 4))

    (occ,) = expand(rule, start=date(2026, 12, 1), through=date(2026, 12, 1))

    assert occ.remind_at == occ.opens_at


def test_once_edited_while_pending_moves_its_due_date_and_stays_one_occurrence() -> None:
    versions = [
        RuleVersion(date(2026, 11, 25), TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 1))),
        RuleVersion(date(2026, 11, 28), TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 5))),
    ]

    (occ,) = expand(versions, start=date(2026, 11, 25), through=date(2026, 12, 10))

    assert occ.opens_at == at(NEW_YORK, 2026, 11, 25, 0, 0)
    assert occ.due_at == at(NEW_YORK, 2026, 12, 6, 0, 0)


@pytest.mark.parametrize(
    ("edited_on", "due_end"),
    [
        (date(2026, 11, 27), at(NEW_YORK, 2026, 12, 6, 0, 0)),  # edited on its due day: still pending, moves
        (date(2026, 11, 28), at(NEW_YORK, 2026, 11, 28, 0, 0)),  # edited after it was due: history stays
    ],
)
def test_once_edited_after_it_was_due_keeps_its_history(edited_on: date, due_end: datetime) -> None:
    versions = [
        RuleVersion(date(2026, 11, 25), TimingRule(TimingKind.ONCE, due_date=date(2026, 11, 27))),
        RuleVersion(edited_on, TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 5))),
    ]

    (occ,) = expand(versions, start=date(2026, 11, 25), through=date(2026, 12, 10))

    assert occ.due_at == due_end


def test_once_due_before_it_starts_is_rejected() -> None:
    rule = TimingRule(TimingKind.ONCE, due_date=date(2026, 11, 20))

    with pytest.raises(TimingRuleError) as caught:
        expand(rule, start=date(2026, 11, 25), through=date(2026, 11, 25))

    assert caught.value.field == "due_date"


def test_once_due_date_is_cut_back_to_the_assignment_end() -> None:
    rule = TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 20))

    (occ,) = expand(rule, start=date(2026, 11, 25), end=date(2026, 12, 1), through=date(2026, 12, 31))

    assert occ.due_at == at(NEW_YORK, 2026, 12, 2, 0, 0)


def test_keys_are_unique_and_output_sorted_for_a_mixed_history() -> None:
    versions = [
        RuleVersion(date(2026, 11, 2), POST_TMS),
        RuleVersion(date(2026, 11, 9), POST_LAST_TMS),
        RuleVersion(date(2026, 11, 16), WEEKLY_THURSDAY),
        RuleVersion(date(2026, 11, 23), TimingRule(TimingKind.NON_TMS_DAYS, local_time=time(17, 0))),
        RuleVersion(date(2026, 11, 30), TimingRule(TimingKind.ONCE, due_date=date(2026, 12, 3))),
    ]
    sessions = [completed(day, at(NEW_YORK, 2026, 11, day, 9, 0)) for day in range(2, 28)]

    occurrences = expand(versions, start=date(2026, 11, 2), through=date(2026, 12, 31), sessions=sessions)

    keys = [occ.key for occ in occurrences]
    assert len(keys) == len(set(keys))
    assert occurrences == sorted(occurrences, key=lambda occ: occ.opens_at)
    assert all(occ.opens_at.tzinfo is UTC and occ.due_at.tzinfo is UTC for occ in occurrences)
    assert all(occ.opens_at <= occ.remind_at < occ.due_at for occ in occurrences)
    assert {occ.kind for occ in occurrences} == set(TimingKind) - {
        TimingKind.DAILY, TimingKind.WEEKDAYS, TimingKind.PRE_TMS, TimingKind.BETWEEN_TMS
    }


# Classification: window [opens_at, due_at), late on [due_at, due_at + 24 h), then missed

OPENS = utc(2026, 11, 25, 14, 0)
WINDOW = occurrence(OPENS)
DUE = WINDOW.due_at


@pytest.mark.parametrize(
    ("completed_at", "expected"),
    [
        (OPENS, OccurrenceStatus.DONE_ON_TIME),
        (DUE - MICRO, OccurrenceStatus.DONE_ON_TIME),
        (DUE, OccurrenceStatus.DONE_LATE),
        (DUE + LATE_GRACE - MICRO, OccurrenceStatus.DONE_LATE),
        (DUE + LATE_GRACE, OccurrenceStatus.MISSED),
    ],
)
def test_completion_is_on_time_before_due_and_late_within_grace(
    completed_at: datetime, expected: OccurrenceStatus
) -> None:
    assert classify(WINDOW, completed_at, now=DUE + timedelta(days=3)) is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - MICRO, OccurrenceStatus.UPCOMING),
        (OPENS, OccurrenceStatus.OPEN),
        (DUE, OccurrenceStatus.OPEN),
        (DUE + LATE_GRACE - MICRO, OccurrenceStatus.OPEN),
        (DUE + LATE_GRACE, OccurrenceStatus.MISSED),
    ],
)
def test_unfinished_occurrence_is_missed_only_after_the_late_grace(now: datetime, expected: OccurrenceStatus) -> None:
    assert classify(WINDOW, None, now=now) is expected


def test_late_grace_is_a_day() -> None:
    assert LATE_GRACE == timedelta(hours=24)
    assert WINDOW.late_until == DUE + timedelta(hours=24)


def test_classify_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        classify(WINDOW, None, now=datetime(2026, 11, 25, 15, 0))


# Matching a completion to its occurrence


@pytest.mark.parametrize(
    ("offset", "expected_key"),
    [
        (-MICRO, None),  # before the window opens: never a future occurrence
        (timedelta(0), "tms:1"),
        (timedelta(hours=4) - MICRO, "tms:1"),
        (timedelta(hours=4), "tms:1"),  # closed, but still within the late grace
        (timedelta(hours=28) - MICRO, "tms:1"),
        (timedelta(hours=28), None),
    ],
)
def test_completion_matches_window_or_late_grace(offset: timedelta, expected_key: str | None) -> None:
    match = match_completion([WINDOW], OPENS + offset)

    assert (match.key if match else None) == expected_key


def test_completion_prefers_an_open_window_over_a_late_one() -> None:
    yesterday = occurrence(OPENS - timedelta(days=1), key="tms:1")
    today = occurrence(OPENS, key="tms:2")

    assert match_completion([yesterday, today], OPENS + timedelta(hours=1)) == today


def test_window_closing_exactly_at_completion_yields_to_an_open_one() -> None:
    closing = occurrence(OPENS, key="tms:1")
    still_open = occurrence(OPENS + timedelta(hours=2), key="tms:2")

    assert match_completion([closing, still_open], closing.due_at) == still_open


def test_overlapping_windows_fill_soonest_closing_first() -> None:
    windows = [occurrence(OPENS + index * timedelta(minutes=50), key=f"tms:{index}") for index in range(3)]
    moment = OPENS + timedelta(hours=2)

    first = match_completion(windows, moment)
    second = match_completion(windows, moment, completed_keys={"tms:0"})

    assert (first.key if first else None, second.key if second else None) == ("tms:0", "tms:1")


def test_completion_goes_to_most_recent_late_occurrence() -> None:
    yesterday = occurrence(OPENS - timedelta(days=1), key="tms:1")
    today = occurrence(OPENS - timedelta(hours=5), key="tms:2")
    moment = OPENS  # both windows have closed; both are still within their late grace

    match = match_completion([yesterday, today], moment)
    older = match_completion([yesterday, today], moment, completed_keys={"tms:2"})

    assert (match.key if match else None, older.key if older else None) == ("tms:2", "tms:1")


def test_late_daily_completion_after_midnight_goes_to_yesterday() -> None:
    days = expand(DAILY, start=date(2026, 11, 23), through=date(2026, 11, 25))

    match = match_completion(days, at(NEW_YORK, 2026, 11, 26, 8, 0))

    assert match is not None and match.key == "day:2026-11-25"


@settings(database=None, deadline=None, max_examples=300)
@given(
    opens_offsets=st.lists(st.integers(min_value=0, max_value=6 * 24 * 60), min_size=1, max_size=8),
    hours=st.integers(min_value=1, max_value=24),
    at_offset=st.integers(min_value=-24 * 60, max_value=8 * 24 * 60),
)
def test_matched_completion_is_never_future_and_never_missed(
    opens_offsets: list[int], hours: int, at_offset: int
) -> None:
    windows = [
        occurrence(OPENS + timedelta(minutes=offset), hours=hours, key=f"tms:{index}")
        for index, offset in enumerate(opens_offsets)
    ]
    moment = OPENS + timedelta(minutes=at_offset)

    match = match_completion(windows, moment)

    eligible = [occ for occ in windows if occ.opens_at <= moment < occ.late_until]
    assert (match is None) == (not eligible)
    if match is not None:
        assert classify(match, moment, now=moment) in {S.DONE_ON_TIME, S.DONE_LATE}
        if any(occ.opens_at <= moment < occ.due_at for occ in windows):
            assert classify(match, moment, now=moment) is S.DONE_ON_TIME


def test_completed_keys_are_never_matched_again() -> None:
    assert match_completion([WINDOW], OPENS + timedelta(hours=1), completed_keys=["tms:1"]) is None


# Today screen


def test_open_post_tms_windows_lists_unfinished_open_windows_closing_soonest_first() -> None:
    windows = [occurrence(OPENS + index * timedelta(minutes=50), key=f"tms:{index}") for index in range(3)]
    daily = expand(DAILY, start=date(2026, 11, 25), through=date(2026, 11, 25))
    now = OPENS + timedelta(hours=4)  # tms:0 closes exactly now

    shown = open_post_tms_windows(windows + daily, now, completed_keys={"tms:2"})

    assert [(occ.key, occ.due_at) for occ in shown] == [("tms:1", windows[1].due_at)]


@pytest.mark.parametrize(("offset", "is_open"), [(-MICRO, False), (timedelta(0), True), (timedelta(hours=4), False)])
def test_open_post_tms_window_boundaries(offset: timedelta, is_open: bool) -> None:
    assert bool(open_post_tms_windows([WINDOW], OPENS + offset)) is is_open


# Adherence



@pytest.mark.parametrize(
    ("statuses", "expected", "rate"),
    [
        ([], Adherence(0, 0, 0, 0), None),
        ([S.OPEN, S.UPCOMING, S.UPCOMING], Adherence(0, 0, 0, 1), None),
        ([S.DONE_ON_TIME, S.DONE_ON_TIME, S.DONE_LATE, S.MISSED], Adherence(2, 1, 1, 0), 0.75),
        ([S.MISSED, S.MISSED, S.OPEN], Adherence(0, 0, 2, 1), 0.0),
        ([S.DONE_LATE], Adherence(0, 1, 0, 0), 1.0),
        (["done_on_time", "missed"], Adherence(1, 0, 1, 0), 0.5),
    ],
)
def test_summarize_counts_statuses_and_rate_is_done_over_decided(
    statuses: list[OccurrenceStatus], expected: Adherence, rate: float | None
) -> None:
    summary = summarize(statuses)

    assert summary == expected
    assert summary.rate == rate


def test_end_to_end_week_of_post_tms_homework() -> None:
    sessions = [completed(day, at(NEW_YORK, 2026, 11, day, 9, 0)) for day in range(23, 28)]
    occurrences = expand(POST_TMS, start=date(2026, 11, 23), through=date(2026, 11, 27), sessions=sessions)
    recorded = [
        at(NEW_YORK, 2026, 11, 23, 11, 0),  # on time
        at(NEW_YORK, 2026, 11, 24, 20, 0),  # after 13:30, late
        at(NEW_YORK, 2026, 11, 27, 10, 0),  # on time for the 27th
    ]
    completions: dict[str, datetime] = {}
    for moment in recorded:
        match = match_completion(occurrences, moment, completed_keys=completions)
        assert match is not None
        completions[match.key] = moment
    now = at(NEW_YORK, 2026, 11, 27, 12, 0)

    statuses = [classify(occ, completions.get(occ.key), now) for occ in occurrences]

    assert statuses == [S.DONE_ON_TIME, S.DONE_LATE, S.MISSED, S.OPEN, S.DONE_ON_TIME]
    assert summarize(statuses).rate == pytest.approx(3 / 4)


# Validation


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: TimingRule(TimingKind.POST_TMS, window_hours=0), "window_hours"),
        (lambda: TimingRule(TimingKind.POST_TMS, window_hours=25), "window_hours"),
        (lambda: TimingRule(TimingKind.POST_TMS, window_hours=-4), "window_hours"),
        (lambda: TimingRule(TimingKind.POST_TMS, window_hours=4.5), "window_hours"),
        (lambda: TimingRule(TimingKind.POST_TMS, window_hours=True), "window_hours"),
        (lambda: TimingRule("fortnightly"), "kind"),
        (lambda: TimingRule(TimingKind.DAILY), "local_time"),
        (lambda: TimingRule(TimingKind.NON_TMS_DAYS), "local_time"),
        (lambda: TimingRule(TimingKind.DAILY, local_time=time(9, tzinfo=UTC)), "local_time"),
        (lambda: TimingRule(TimingKind.WEEKDAYS, local_time=time(9)), "weekdays"),
        (lambda: TimingRule(TimingKind.WEEKDAYS, local_time=time(9), weekdays={7}), "weekdays"),
        (lambda: TimingRule(TimingKind.WEEKLY, local_time=time(9), weekdays={1, 3}), "weekdays"),
        (lambda: TimingRule(TimingKind.WEEKLY, local_time=time(9)), "weekdays"),
        (lambda: TimingRule(TimingKind.ONCE), "due_date"),
        (lambda: TimingRule(TimingKind.ONCE, due_date=datetime(2026, 12, 1, 9, 0)), "due_date"),
        (lambda: RuleVersion(datetime(2026, 12, 1, 9, 0), DAILY), "effective_from"),
    ],
)
def test_invalid_timing_values_raise_timing_rule_error_for_the_field(build: Callable[[], object], field: str) -> None:
    with pytest.raises(TimingRuleError) as caught:
        build()

    assert isinstance(caught.value, ValueError)
    assert caught.value.field == field
    assert caught.value.message


@pytest.mark.parametrize("hours", [1, 24])
def test_window_hours_bounds_are_inclusive(hours: int) -> None:
    assert TimingRule(TimingKind.POST_TMS, window_hours=hours).window_hours == hours


def test_timing_rule_defaults_to_a_four_hour_window_and_accepts_string_kind() -> None:
    rule = TimingRule("post_tms")

    assert rule.kind is TimingKind.POST_TMS
    assert rule.window_hours == 4


@pytest.mark.parametrize(
    "build",
    [
        lambda: SessionFact(1, utc(2026, 11, 25, 14), SessionStatus.COMPLETED),
        lambda: SessionFact(1, utc(2026, 11, 25, 14), SessionStatus.MISSED, utc(2026, 11, 25, 15)),
        lambda: SessionFact(1, datetime(2026, 11, 25, 14), SessionStatus.SCHEDULED),
        lambda: SessionFact(1, utc(2026, 11, 25, 14), SessionStatus.COMPLETED, datetime(2026, 11, 25, 15)),
        lambda: SessionFact(1, utc(2026, 11, 25, 14), "postponed"),
    ],
)
def test_inconsistent_session_facts_are_rejected(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        build()


# Expanding further then cutting back is the same as expanding to the earlier date (schedule.py memoises on it)

RULES = {
    TimingKind.POST_TMS: TimingRule(TimingKind.POST_TMS, window_hours=6),
    TimingKind.POST_LAST_TMS: TimingRule(TimingKind.POST_LAST_TMS),
    TimingKind.DAILY: DAILY,
    TimingKind.WEEKDAYS: TimingRule(TimingKind.WEEKDAYS, local_time=time(2, 30), weekdays=frozenset({0, 2, 6})),
    TimingKind.WEEKLY: TimingRule(TimingKind.WEEKLY, local_time=time(9, 0), weekdays=frozenset({3})),
    TimingKind.ONCE: TimingRule(TimingKind.ONCE, due_date=date(2026, 11, 5)),
    TimingKind.NON_TMS_DAYS: TimingRule(TimingKind.NON_TMS_DAYS, local_time=time(20, 0)),
}


@settings(database=None, deadline=None, max_examples=200)
@given(
    kinds=st.lists(st.sampled_from(sorted(RULES)), min_size=1, max_size=3),
    session_days=st.lists(st.integers(min_value=0, max_value=30), max_size=12),
    end_offset=st.none() | st.integers(min_value=0, max_value=30),
    through_offset=st.integers(min_value=0, max_value=30),
    further=st.integers(min_value=1, max_value=10),
)
def test_a_longer_expansion_cut_back_equals_the_shorter_one(
    kinds: list[TimingKind], session_days: list[int], end_offset: int | None, through_offset: int, further: int
) -> None:
    start = date(2026, 10, 20)  # the window crosses the end of daylight saving time in New York (1 November)
    versions = [RuleVersion(start + timedelta(days=7 * index), RULES[kind]) for index, kind in enumerate(kinds)]
    sessions = [
        completed(index, at(NEW_YORK, 2026, 10, 20, 9, 0) + timedelta(days=day))
        for index, day in enumerate(sorted(set(session_days)))
    ]
    end = None if end_offset is None else start + timedelta(days=end_offset)
    through = start + timedelta(days=through_offset)

    short = expand(versions, start=start, end=end, through=through, sessions=sessions)
    long = expand(versions, start=start, end=end, through=through + timedelta(days=further), sessions=sessions)

    assert [occ for occ in long if occ.local_date <= through] == short
