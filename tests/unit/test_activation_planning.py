"""Behavioural activation rules: plan and outcome checks, week boundaries, re-plan day, planned-vs-done summary."""
from datetime import date, time, timedelta

import pytest

from app import validation
from app.activation.ideas import LifeArea
from app.activation.planning import (
    FUTURE_DAYS,
    PAST_DAYS,
    ActivityFact,
    replan_date,
    summarize,
    validate_outcome,
    validate_plan,
    week_of,
)

TODAY = date(2026, 3, 11)  # a Wednesday


def plan_errors(raw: dict) -> dict[str, str]:
    with pytest.raises(validation.FormInvalid) as caught:
        validate_plan(raw, today=TODAY)
    return caught.value.errors


def outcome_errors(raw: dict) -> dict[str, str]:
    with pytest.raises(validation.FormInvalid) as caught:
        validate_outcome(raw)
    return caught.value.errors


def test_plan_parses_title_area_day_and_time():
    plan = validate_plan({"title": " Walk ", "life_area": "health_body", "planned_date": "2026-03-12",
                          "planned_time": "17:30"}, today=TODAY)
    assert (plan.title, plan.life_area, plan.planned_date, plan.planned_time) == (
        "Walk", LifeArea.HEALTH_BODY, date(2026, 3, 12), time(17, 30))


def test_plan_area_and_time_are_optional():
    plan = validate_plan({"title": "Walk", "life_area": "", "planned_date": "2026-03-11", "planned_time": ""}, today=TODAY)
    assert plan.life_area is None and plan.planned_time is None


def test_plan_title_is_required_and_limited_to_120():
    assert validate_plan({"title": "t" * 120, "planned_date": "2026-03-11"}, today=TODAY).title == "t" * 120
    assert "at most 120 characters" in plan_errors({"title": "t" * 121, "planned_date": "2026-03-11"})["title"]
    assert set(plan_errors({"title": " ", "planned_date": "2026-03-11"})) == {"title"}


def test_plan_day_window_is_a_week_back_to_ninety_days_ahead():
    for ok in (TODAY - timedelta(days=PAST_DAYS), TODAY + timedelta(days=FUTURE_DAYS)):
        assert validate_plan({"title": "x", "planned_date": ok.isoformat()}, today=TODAY).planned_date == ok
    for bad in (TODAY - timedelta(days=PAST_DAYS + 1), TODAY + timedelta(days=FUTURE_DAYS + 1)):
        assert set(plan_errors({"title": "x", "planned_date": bad.isoformat()})) == {"planned_date"}


def test_plan_reports_every_bad_field_together():
    assert set(plan_errors({"title": "", "life_area": "fun", "planned_date": "soon", "planned_time": "25:00"})) == {
        "title", "life_area", "planned_date", "planned_time"}


def test_done_needs_pleasure_and_mastery_and_mood_is_optional():
    outcome = validate_outcome({"outcome": "done", "pleasure": "0", "mastery": "10"})
    assert (outcome.done, outcome.pleasure, outcome.mastery, outcome.mood_before) == (True, 0, 10, None)
    assert set(outcome_errors({"outcome": "done"})) == {"pleasure", "mastery"}


@pytest.mark.parametrize("field", ["pleasure", "mastery", "mood_before", "mood_after"])
@pytest.mark.parametrize("value", ["-1", "11"])
def test_ratings_outside_0_to_10_are_refused(field, value):
    raw = {"outcome": "done", "pleasure": "5", "mastery": "5", field: value}
    errors = outcome_errors(raw)
    assert set(errors) == {field} and errors[field].endswith("must be from 0 to 10.")


def test_not_done_drops_ratings_but_still_checks_them():
    outcome = validate_outcome({"outcome": "not_done", "pleasure": "4", "note": "Too tired"})
    assert (outcome.done, outcome.pleasure, outcome.note) == (False, None, "Too tired")
    assert set(outcome_errors({"outcome": "not_done", "mood_before": "12"})) == {"mood_before"}


def test_outcome_must_be_chosen():
    assert set(outcome_errors({"pleasure": "5"})) == {"outcome"}


def test_week_runs_monday_to_sunday():
    assert week_of(TODAY) == [date(2026, 3, d) for d in range(9, 16)]
    assert week_of(date(2026, 3, 15))[0] == date(2026, 3, 9)
    assert week_of(date(2026, 3, 16))[0] == date(2026, 3, 16)


@pytest.mark.parametrize("planned, expected", [
    (date(2026, 3, 11), date(2026, 3, 12)),  # not done today: tomorrow
    (date(2026, 3, 10), date(2026, 3, 11)),  # missed yesterday: today
    (date(2026, 3, 2), date(2026, 3, 11)),   # missed long ago: today, never the past
    (date(2026, 3, 14), date(2026, 3, 15)),  # given up ahead of time: the next day
])
def test_replan_goes_to_the_next_day_but_never_before_today(planned, expected):
    assert replan_date(planned, TODAY) == expected


def test_summary_counts_planned_done_and_means_over_rated_done_ones():
    summary = summarize([
        ActivityFact(True, 6, 4, 3, 6),
        ActivityFact(True, 8, 7, None, None),
        ActivityFact(False, None, None, None, None),
        ActivityFact(None, None, None, None, None),
    ])
    assert (summary.planned, summary.done, summary.not_done, summary.open) == (4, 2, 1, 1)
    assert (summary.mean_pleasure, summary.mean_mastery, summary.mean_mood_change) == (7.0, 5.5, 3.0)


def test_summary_of_nothing_has_no_means():
    summary = summarize([])
    assert summary.planned == 0 and summary.mean_pleasure is None and summary.mean_mood_change is None
