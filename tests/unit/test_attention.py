"""The caseload's "needs attention" rules."""
from datetime import date, timedelta

from app.therapist.attention import PatientFacts, attention_key, attention_reasons, mood_falling

TODAY = date(2026, 11, 25)


def _moods(values_by_days_ago: dict[int, int]):
    return tuple((TODAY - timedelta(days=ago), mood) for ago, mood in values_by_days_ago.items())


def test_mood_falling_when_last_three_days_are_two_points_lower():
    moods = _moods({0: 4, 1: 4, 2: 4, 3: 6, 4: 6, 5: 6, 6: 6, 7: 6, 8: 6, 9: 6})
    assert mood_falling(moods, TODAY)


def test_mood_not_falling_for_a_smaller_dip():
    moods = _moods({0: 5, 1: 5, 2: 5, 3: 6, 4: 6, 5: 7, 6: 6})
    assert not mood_falling(moods, TODAY)


def test_mood_falling_needs_both_periods():
    assert not mood_falling(_moods({0: 1, 1: 1}), TODAY)
    assert not mood_falling(_moods({5: 9, 6: 9}), TODAY)


def test_no_recent_checkin_is_flagged_after_three_days():
    assert "No check-in for 3+ days" in attention_reasons(PatientFacts(last_checkin=TODAY - timedelta(days=3)), TODAY)
    assert attention_reasons(PatientFacts(last_checkin=TODAY - timedelta(days=2)), TODAY) == []
    assert "No check-in for 3+ days" in attention_reasons(PatientFacts(last_checkin=None), TODAY)


def test_safety_comes_first_whatever_else_is_going_on():
    safety = PatientFacts(open_safety_events=1, last_checkin=TODAY)
    busy = PatientFacts(missed_post_tms=3, missed_tms_visits=2, last_checkin=None)
    assert sorted([busy, safety], key=lambda f: attention_key(f, TODAY))[0] is safety
    assert attention_reasons(safety, TODAY)[0] == "Safety alert not yet acknowledged"


def test_more_reasons_sort_earlier():
    calm = PatientFacts(last_checkin=TODAY)
    worried = PatientFacts(missed_post_tms=1, last_checkin=TODAY)
    assert sorted([calm, worried], key=lambda f: attention_key(f, TODAY)) == [worried, calm]
