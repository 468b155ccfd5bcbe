"""Issue 16, found 6: response and remission are measured against the current course's baseline, and remission is
only claimed from a baseline of 10 or more (CLINICAL.md, Measures)."""
from datetime import UTC, datetime, timedelta

from app.checkins.instruments import course_baseline, phq9_outcome

FIRST = datetime(2026, 9, 7, 13, 0, tzinfo=UTC)


def day(offset: int) -> datetime:
    return FIRST + timedelta(days=offset)


def test_baseline_is_the_last_phq9_in_the_14_days_before_the_first_session():
    history = [(day(-200), 22), (day(-13), 18), (day(-2), 16), (day(7), 12)]
    assert course_baseline(history, FIRST) == 2


def test_without_one_in_those_14_days_it_is_the_courses_first_phq9_not_the_first_ever():
    history = [(day(-200), 22), (day(-15), 18), (day(0), 14), (day(7), 7)]
    assert course_baseline(history, FIRST) == 2
    assert phq9_outcome(history[2][1], 7).response is True
    assert phq9_outcome(history[0][1], 7).response is True  # the old, wrong baseline also says so...
    assert phq9_outcome(history[2][1], 8).response is False  # ...but 14 -> 8 is not a response


def test_no_phq9_for_this_course_means_no_baseline():
    assert course_baseline([(day(-100), 20)], FIRST) is None
    assert course_baseline([], FIRST) is None


def test_no_course_uses_the_first_phq9():
    assert course_baseline([(day(-3), 20), (day(4), 9)], None) == 0


def test_a_baseline_of_3_never_shows_remission_only_the_change():
    outcome = phq9_outcome(3, 1)
    assert (outcome.remission, outcome.response, outcome.judged, outcome.change) == (False, False, False, -2)


def test_remission_from_a_moderate_baseline():
    assert phq9_outcome(10, 4).remission is True
    assert phq9_outcome(9, 4).remission is False
