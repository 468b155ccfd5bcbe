"""Pure rules for lockout and session lifetimes, at their boundaries."""
from datetime import datetime, timedelta, timezone

from app.auth.lockout import LockoutRule, locked_until
from app.security.sessions import login_is_recent, staff_idle_expired

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
RULE = LockoutRule()


def _failures(*minutes_ago: float) -> list[datetime]:
    return [T0 - timedelta(minutes=m) for m in minutes_ago]


def test_four_failures_never_lock():
    assert locked_until(_failures(0, 1, 2, 3), RULE) is None


def test_five_failures_within_fifteen_minutes_lock_for_fifteen_from_the_fifth():
    assert locked_until(_failures(0, 1, 2, 3, 15), RULE) == T0 + timedelta(minutes=15)


def test_five_failures_spread_just_over_fifteen_minutes_do_not_lock():
    assert locked_until(_failures(0, 1, 2, 3, 15.01), RULE) is None


def test_staff_idle_boundary_is_exclusive_at_thirty_minutes():
    idle = timedelta(minutes=30)
    assert not staff_idle_expired(T0 - idle, T0, idle=idle)
    assert staff_idle_expired(T0 - idle - timedelta(seconds=1), T0, idle=idle)
    assert not staff_idle_expired(None, T0, idle=idle)


def test_recent_login_window_and_clock_skew():
    window = timedelta(minutes=10)
    assert login_is_recent(T0 - window, T0, window=window)
    assert not login_is_recent(T0 - window - timedelta(seconds=1), T0, window=window)
    assert not login_is_recent(T0 + timedelta(minutes=1), T0, window=window)
    assert not login_is_recent(None, T0, window=window)


def test_padded_common_words_repeats_and_digit_strings_are_patterns():
    from app.auth.passwords import is_pattern_password

    for weak in ["welcome2026!!", "iloveyou1234", "!!password2024", "abcabcabcabc", "121212121212", "20260302!!!!"]:
        assert is_pattern_password(weak), weak
    for fine in ["correct horse battery staple", "a calm walk by the river", "welcome to the river 2026"]:
        assert not is_pattern_password(fine), fine
