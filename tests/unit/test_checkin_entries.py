"""Check-in, side-effect and safety-item parsing: ranges at their edges, optional fields, all errors at once."""
import pytest

from app.checkins.entries import EntryInvalid, parse_checkin, parse_side_effects, safety_item_answer
from app.checkins.instruments import GAD7, PHQ9


@pytest.mark.parametrize("mood", ["0", "10"])
def test_mood_accepts_both_ends_of_the_scale(mood):
    assert parse_checkin({"mood": mood}).mood == int(mood)


@pytest.mark.parametrize("mood", ["-1", "11", "5.5", "five"])
def test_mood_outside_zero_to_ten_is_refused(mood):
    with pytest.raises(EntryInvalid) as caught:
        parse_checkin({"mood": mood})
    assert set(caught.value.errors) == {"mood"}


def test_only_mood_is_required():
    values = parse_checkin({"mood": "4", "anxiety": "", "sleep_hours": "", "note": "  "})
    assert (values.anxiety, values.sleep_hours, values.note) == (None, None, "")


def test_missing_mood_and_bad_optional_fields_are_reported_together():
    with pytest.raises(EntryInvalid) as caught:
        parse_checkin({"anxiety": "12", "sleep_hours": "25", "note": "x" * 281})
    assert set(caught.value.errors) == {"mood", "anxiety", "sleep_hours", "note"}


@pytest.mark.parametrize(("raw", "hours"), [("0", 0.0), ("24", 24.0), ("6,5", 6.5), ("7.3", 7.25)])
def test_sleep_hours_accept_zero_to_24_in_quarter_hours(raw, hours):
    assert parse_checkin({"mood": "5", "sleep_hours": raw}).sleep_hours == hours


@pytest.mark.parametrize("raw", ["-0.5", "24.5", "nan", "inf", "lots"])
def test_sleep_hours_outside_the_day_are_refused(raw):
    with pytest.raises(EntryInvalid) as caught:
        parse_checkin({"mood": "5", "sleep_hours": raw})
    assert set(caught.value.errors) == {"sleep_hours"}


def test_note_of_280_characters_is_kept():
    assert len(parse_checkin({"mood": "5", "note": "x" * 280}).note) == 280


def test_side_effects_need_both_ratings():
    with pytest.raises(EntryInvalid) as caught:
        parse_side_effects({"headache": "0"})
    assert set(caught.value.errors) == {"scalp_discomfort"}
    assert parse_side_effects({"headache": "0", "scalp_discomfort": "10"}).scalp_discomfort == 10


@pytest.mark.parametrize(("raw", "expected"), [("0", None), ("1", 1), ("3", 3), ("4", None), ("", None), ("x", None)])
def test_phq9_item_9_answer_above_zero_is_read_alone(raw, expected):
    assert safety_item_answer(PHQ9, {"item9": raw}) == expected


def test_instruments_without_a_safety_item_never_raise_one():
    assert safety_item_answer(GAD7, {"item9": "3", "item7": "3"}) is None
