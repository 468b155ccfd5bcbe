"""DBT rules: diary ranges at their boundaries, blank is not zero, editable days, slugs and the week."""
from datetime import date

import pytest

from app.dbt.rules import (
    DbtError, check_day, check_diary, check_skill_use, editable_days, parse_rating, slugify, target_key, week_days,
)
from app.dbt.skills_library import DIARY_DEFAULT_EMOTIONS, DIARY_DEFAULT_URGES


def diary(**overrides):
    values = dict(urge_targets=DIARY_DEFAULT_URGES, emotion_targets=DIARY_DEFAULT_EMOTIONS, urges={}, acted_on={},
                  emotions={}, skills_used=None, notes="")
    values.update(overrides)
    return check_diary(**values)


@pytest.mark.parametrize("value", [0, 5])
def test_urge_and_emotion_bounds_accepted(value):
    entry = diary(urges={"self_harm": value}, emotions={"joy": value})
    assert entry.urges[0].value == value and entry.emotions[0].value == value


@pytest.mark.parametrize("value", [-1, 6])
def test_urge_outside_0_to_5_refused(value):
    with pytest.raises(DbtError) as error:
        diary(urges={"suicide": value})
    assert error.value.field == "urge-suicide"


@pytest.mark.parametrize("value", [-1, 6])
def test_emotion_outside_0_to_5_refused(value):
    with pytest.raises(DbtError) as error:
        diary(emotions={"shame": value})
    assert error.value.field == "emotion-shame"


@pytest.mark.parametrize("value, ok", [(0, True), (7, True), (8, False), (-1, False)])
def test_skills_used_0_to_7(value, ok):
    if ok:
        assert diary(skills_used=value).skills_used == value
    else:
        with pytest.raises(DbtError):
            diary(skills_used=value)


def test_blank_rows_are_left_out_not_zero():
    entry = diary(urges={"self_harm": 0, "suicide": None}, emotions={"joy": None}, skills_used=3)
    assert [u.key for u in entry.urges] == ["self_harm"] and entry.emotions == ()


def test_acted_on_is_kept_with_its_urge():
    entry = diary(urges={"substance_use": 4}, acted_on={"substance_use": True})
    assert entry.urges[0].acted_on is True


def test_acted_on_needs_a_rating():
    with pytest.raises(DbtError) as error:
        diary(acted_on={"self_harm": True}, skills_used=2)
    assert error.value.field == "urge-self_harm"


def test_empty_card_is_refused():
    with pytest.raises(DbtError) as error:
        diary()
    assert error.value.field == "form"


def test_notes_alone_are_enough_and_limited():
    assert diary(notes=" a quiet day ").notes == "a quiet day"
    with pytest.raises(DbtError):
        diary(notes="x" * 2001)


def test_parse_rating():
    assert parse_rating("") is None and parse_rating(None) is None
    assert parse_rating("3") == 3 and parse_rating("-2") == -1 and parse_rating("x") == -1


def test_today_and_yesterday_are_editable_only():
    today = date(2026, 3, 1)
    assert editable_days(today) == (today, date(2026, 2, 28))
    assert check_day(date(2026, 2, 28), today) == date(2026, 2, 28)
    for day in (date(2026, 2, 27), date(2026, 3, 2)):
        with pytest.raises(DbtError):
            check_day(day, today)


@pytest.mark.parametrize("helped, ok", [(0, True), (7, True), (8, False), (-1, False), (None, False)])
def test_skill_use_helped_0_to_7(helped, ok):
    if ok:
        assert check_skill_use(helped, " n ") == (helped, "n")
    else:
        with pytest.raises(DbtError):
            check_skill_use(helped, "")


def test_slugs_and_keys():
    assert slugify("Coping with cravings!") == "coping-with-cravings"
    assert slugify("!!!") == "card"
    assert target_key("Urge to skip meals") == "urge_to_skip_meals"


def test_week_runs_monday_to_sunday():
    days = week_days(date(2026, 3, 4))
    assert days[0] == date(2026, 3, 2) and days[-1] == date(2026, 3, 8) and len(days) == 7
