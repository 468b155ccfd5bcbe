"""The 7-day window in which a patient may correct or delete their own entries."""
from datetime import datetime, timedelta, timezone

from app.history.rules import EDIT_WINDOW, editable_until, may_change

MADE = datetime(2026, 3, 2, 21, 30, tzinfo=timezone.utc)


def test_an_entry_can_be_changed_the_same_evening_and_six_days_later():
    assert may_change(MADE, MADE + timedelta(minutes=1))
    assert may_change(MADE, MADE + timedelta(days=6, hours=23))


def test_the_window_closes_exactly_seven_days_after_the_entry_was_made():
    assert editable_until(MADE) == MADE + EDIT_WINDOW == datetime(2026, 3, 9, 21, 30, tzinfo=timezone.utc)
    assert may_change(MADE, MADE + EDIT_WINDOW - timedelta(seconds=1))
    assert not may_change(MADE, MADE + EDIT_WINDOW)
    assert not may_change(MADE, MADE + timedelta(days=30))
