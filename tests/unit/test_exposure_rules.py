"""Exposure rules: ordering (moves, sort by SUDS, stale reorders) and practice validation at the boundaries."""
from datetime import UTC, datetime, timedelta

import pytest

from app.exposure.ordering import StaleOrder, by_suds, checked_order, moved
from app.exposure.rules import ExposureError, check_practice, practice_start
from app.models.exposure import ExposureKind, RitualResisted

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def practice(**overrides):
    values = dict(kind=ExposureKind.erp, started_at=None, duration_minutes=20, suds_before=40, suds_peak=60,
                  suds_after=30, ritual_resisted="partly", feared_outcome=" I'll get ill ", likelihood_before=80,
                  what_happened="", likelihood_after=None, notes="", now=NOW)
    values.update(overrides)
    return check_practice(**values)


def test_move_up_and_down_and_clamped_at_ends():
    assert moved([1, 2, 3], 3, -1) == [1, 3, 2]
    assert moved([1, 2, 3], 1, 1) == [2, 1, 3]
    assert moved([1, 2, 3], 1, -1) == [1, 2, 3]
    assert moved([1, 2, 3], 3, 1) == [1, 2, 3]


def test_sort_by_suds_lowest_first_ties_keep_order():
    assert by_suds([(7, 80), (3, 30), (5, 30), (9, 10)]) == [9, 3, 5, 7]


def test_checked_order_accepts_permutation_of_current_items():
    assert checked_order([1, 2, 3], [3, 1, 2], seen_version=4, current_version=4) == [3, 1, 2]


@pytest.mark.parametrize("requested", [[1, 2], [1, 2, 3, 4], [1, 1, 2, 3], [1, 2, 5]])
def test_checked_order_refuses_other_sets(requested):
    with pytest.raises(StaleOrder):
        checked_order([1, 2, 3], requested, seen_version=4, current_version=4)


def test_checked_order_refuses_old_version_even_for_same_set():
    with pytest.raises(StaleOrder):
        checked_order([1, 2, 3], [3, 2, 1], seen_version=3, current_version=4)


@pytest.mark.parametrize("field", ["suds_before", "suds_peak", "suds_after"])
@pytest.mark.parametrize("value", [0, 100])
def test_suds_bounds_are_accepted(field, value):
    consistent = {"suds_before": {"suds_peak": max(value, 60)}, "suds_peak": {"suds_before": value, "suds_after": value},
                  "suds_after": {"suds_peak": max(value, 60)}}[field]
    assert getattr(practice(**{field: value, **consistent}), field) == value


def test_end_rating_above_the_peak_is_refused_beside_the_end_rating():
    with pytest.raises(ExposureError) as error:
        practice(suds_peak=50, suds_after=51)
    assert error.value.field == "suds_after" and "higher than the peak" in error.value.message


def test_end_rating_equal_to_the_peak_is_accepted():
    assert practice(suds_before=50, suds_peak=50, suds_after=50).suds_after == 50


@pytest.mark.parametrize("field", ["suds_before", "suds_peak", "suds_after"])
@pytest.mark.parametrize("value", [-1, 101, None])
def test_suds_outside_range_or_missing_is_refused(field, value):
    with pytest.raises(ExposureError) as error:
        practice(**{field: value})
    assert error.value.field == field


def test_peak_below_before_is_refused_beside_the_peak():
    """Issue 17: the peak is the highest rating of the practice, the one before included."""
    with pytest.raises(ExposureError) as error:
        practice(suds_before=70, suds_peak=30, suds_after=20)
    assert error.value.field == "suds_peak" and "(70)" in error.value.message


def test_timed_ratings_are_read_in_time_order():
    entry = practice(suds_before=40, suds_peak=75, suds_after=30, duration_minutes=20,
                     timed_ratings="0:45, 5:75,10:60,10:55,20:30")
    assert [(r.minute, r.suds) for r in entry.timed_ratings] == [(0, 45), (5, 75), (10, 60), (10, 55), (20, 30)]


def test_no_timed_ratings_is_an_empty_curve():
    assert practice(timed_ratings="").timed_ratings == ()
    assert practice(timed_ratings=None).timed_ratings == ()


def test_a_timed_rating_above_the_peak_is_refused_beside_the_peak():
    with pytest.raises(ExposureError) as error:
        practice(suds_before=40, suds_peak=60, suds_after=30, timed_ratings="5:61")
    assert error.value.field == "suds_peak"
    assert "61" in error.value.message and "minute 5" in error.value.message


def test_a_timed_rating_equal_to_the_peak_is_accepted():
    assert practice(suds_peak=60, timed_ratings="5:60").suds_peak == 60


@pytest.mark.parametrize("raw", ["5", "5:", ":40", "a:40", "5:x", "-1:40", "601:40", "5:40;6:40", "²:40", "5:4 0"])
def test_unreadable_timed_ratings_are_refused(raw):
    with pytest.raises(ExposureError) as error:
        practice(timed_ratings=raw)
    assert error.value.field == "timed_ratings"


@pytest.mark.parametrize("raw", ["5:101", "5:-1"])
def test_timed_ratings_out_of_the_suds_range_are_refused(raw):
    with pytest.raises(ExposureError) as error:
        practice(suds_peak=100, timed_ratings=raw)
    assert error.value.field == "timed_ratings"


def test_timed_ratings_out_of_time_order_are_refused():
    with pytest.raises(ExposureError) as error:
        practice(timed_ratings="10:40,5:40")
    assert error.value.field == "timed_ratings" and "order" in error.value.message


def test_too_many_timed_ratings_are_refused():
    with pytest.raises(ExposureError):
        practice(duration_minutes=600, timed_ratings=",".join(f"{m}:40" for m in range(121)))
    assert len(practice(duration_minutes=600, timed_ratings=",".join(f"{m}:40" for m in range(120))).timed_ratings) == 120


def test_a_timed_rating_after_the_minutes_given_is_refused_beside_the_minutes():
    with pytest.raises(ExposureError) as error:
        practice(duration_minutes=10, timed_ratings="12:40")
    assert error.value.field == "duration_minutes" and "minute 12" in error.value.message
    assert practice(duration_minutes=12, timed_ratings="12:40").duration_minutes == 12


@pytest.mark.parametrize("field", ["likelihood_before", "likelihood_after"])
def test_likelihood_bounds(field):
    assert getattr(practice(**{field: 0}), field) == 0
    assert getattr(practice(**{field: 100}), field) == 100
    for bad in (-1, 101):
        with pytest.raises(ExposureError) as error:
            practice(**{field: bad})
        assert error.value.field == field


@pytest.mark.parametrize("minutes, ok", [(0, False), (1, True), (600, True), (601, False), (None, False)])
def test_duration_bounds(minutes, ok):
    if ok:
        assert practice(duration_minutes=minutes).duration_minutes == minutes
    else:
        with pytest.raises(ExposureError):
            practice(duration_minutes=minutes)


def test_erp_needs_ritual_answer_other_kinds_drop_it():
    with pytest.raises(ExposureError) as error:
        practice(ritual_resisted="")
    assert error.value.field == "ritual_resisted"
    assert practice(ritual_resisted="not").ritual_resisted == RitualResisted.not_resisted
    assert practice(kind=ExposureKind.pe_in_vivo, ritual_resisted="fully").ritual_resisted is None
    with pytest.raises(ExposureError):
        practice(ritual_resisted="sometimes")


def test_text_is_trimmed_and_limited():
    assert practice().feared_outcome == "I'll get ill"
    with pytest.raises(ExposureError) as error:
        practice(notes="x" * 2001)
    assert error.value.field == "notes"


def test_practice_start_uses_timer_when_plausible():
    start = NOW - timedelta(minutes=30)
    assert practice_start(start, 20, NOW) == start


def test_practice_start_counts_back_when_timer_missing_or_implausible():
    assert practice_start(None, 20, NOW) == NOW - timedelta(minutes=20)
    assert practice_start(NOW + timedelta(hours=2), 20, NOW) == NOW - timedelta(minutes=20)
    assert practice_start(NOW - timedelta(days=30), 20, NOW) == NOW - timedelta(minutes=20)


def test_practice_start_slightly_ahead_clock_is_clamped_to_now():
    assert practice_start(NOW + timedelta(minutes=5), 20, NOW) == NOW
