"""Issue 16, found 3: reminders never lie — none after its window or due time, quiet hours drop a reminder whose
window closes inside them or send it before they start when the window is already open."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models.push import ReminderKind
from app.push.timing import QUIET_LEAD, QuietHours, fit_to_window

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
NIGHT = QuietHours(time(22, 0), time(7, 0))


def at(tz, *parts):
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


def fit(kind, when, opens, closes, *, tz=NEW_YORK, quiet=NIGHT, now=None):
    return fit_to_window(kind, when, opens_at=opens, closes_at=closes, quiet=quiet, tz=tz, now=now or opens)


def test_evening_visit_nudge_goes_before_quiet_hours_not_at_seven_next_morning():
    """Window 19:00-01:00, nudge due 22:00 (quiet): sent at 21:45, while 'open until 01:00' is true."""
    opens, closes = at(NEW_YORK, 2026, 11, 25, 19, 0), at(NEW_YORK, 2026, 11, 26, 1, 0)
    sent = fit(ReminderKind.post_tms_nudge, at(NEW_YORK, 2026, 11, 25, 22, 0), opens, closes)
    assert sent == at(NEW_YORK, 2026, 11, 25, 22, 0) - QUIET_LEAD
    assert opens <= sent < closes


def test_diary_card_due_at_midnight_reminded_at_2230_goes_at_2145_not_next_morning():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 0, 0), at(NEW_YORK, 2026, 11, 26, 0, 0)
    sent = fit(ReminderKind.homework_due, at(NEW_YORK, 2026, 11, 25, 22, 30), opens, closes)
    assert sent == at(NEW_YORK, 2026, 11, 25, 21, 45)


def test_window_opening_and_closing_inside_quiet_hours_gets_no_reminder():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 23, 0), at(NEW_YORK, 2026, 11, 26, 3, 0)
    assert fit(ReminderKind.post_tms_window, opens, opens, closes) is None


def test_moving_before_quiet_hours_never_sends_in_the_past():
    """Recorded during quiet hours (23:00) for a window that closes at 01:00: too late to warn, so dropped."""
    opens, closes = at(NEW_YORK, 2026, 11, 25, 19, 0), at(NEW_YORK, 2026, 11, 26, 1, 0)
    now = at(NEW_YORK, 2026, 11, 25, 23, 0)
    assert fit(ReminderKind.post_tms_window, now, opens, closes, now=now) is None


def test_window_that_outlasts_quiet_hours_waits_for_them_to_end():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 23, 0), at(NEW_YORK, 2026, 11, 26, 11, 0)
    assert fit(ReminderKind.post_tms_window, opens, opens, closes) == at(NEW_YORK, 2026, 11, 26, 7, 0)


def test_no_reminder_at_or_after_the_due_time():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 9, 0), at(NEW_YORK, 2026, 11, 25, 13, 0)
    assert fit(ReminderKind.homework_due, closes, opens, closes) is None
    assert fit(ReminderKind.homework_due, closes + timedelta(hours=1), opens, closes, quiet=None) is None


def test_outside_quiet_hours_the_planned_time_stands():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 9, 0), at(NEW_YORK, 2026, 11, 25, 13, 0)
    assert fit(ReminderKind.post_tms_nudge, at(NEW_YORK, 2026, 11, 25, 11, 0), opens, closes) == at(NEW_YORK, 2026, 11, 25, 11, 0)


@pytest.mark.parametrize(("tz", "day"), [(NEW_YORK, (2026, 3, 8)), (NEW_YORK, (2026, 11, 1)), (LONDON, (2026, 3, 29)), (LONDON, (2026, 10, 25))])
def test_quiet_hours_across_a_clock_change_still_never_pass_the_window(tz, day):
    """Quiet 22:00-07:00 on the night of a clock change: the reminder either fits in the window or is dropped."""
    eve = datetime(*day, tzinfo=tz) - timedelta(days=1)
    opens = datetime(eve.year, eve.month, eve.day, 20, 0, tzinfo=tz).astimezone(UTC)
    for hours in range(1, 14):
        closes = opens + timedelta(hours=hours)
        sent = fit(ReminderKind.post_tms_nudge, opens + (closes - opens) / 2, opens, closes, tz=tz)
        if sent is not None:
            assert opens <= sent < closes
            assert not NIGHT.covers(sent.astimezone(tz).time().replace(tzinfo=None))


def test_safety_alerts_ignore_quiet_hours_but_not_the_deadline():
    opens, closes = at(NEW_YORK, 2026, 11, 25, 23, 0), at(NEW_YORK, 2026, 11, 26, 23, 0)
    assert fit(ReminderKind.safety_alert, opens, opens, closes) == opens
