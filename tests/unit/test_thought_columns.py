"""Thought record rules: ranges, limits, required columns for a complete record, and what a draft may leave out."""
import pytest

from app import validation
from app.thoughts.columns import MAX_EMOTIONS, SITUATION_LIMIT, TEXT_LIMIT, EmotionRating, validate_record


def complete_raw(**changes) -> dict:
    raw = {
        "situation": "Boss walked past my desk without saying hello",
        "automatic_thoughts": "She thinks my work is useless",
        "belief_before": "85",
        "emotions": [{"name": "Anxious", "intensity": "80", "rerated": "40"}],
        "evidence_for": "She didn't look at me",
        "evidence_against": "She praised my report last week",
        "balanced_thought": "She was probably busy",
        "belief_balanced": "60",
        "traps": ["mind-reading"],
    }
    raw.update(changes)
    return raw


def errors_of(raw: dict, *, complete: bool) -> dict[str, str]:
    with pytest.raises(validation.FormInvalid) as caught:
        validate_record(raw, complete=complete)
    return caught.value.errors


def test_complete_record_is_parsed_into_numbers_and_ratings():
    record = validate_record(complete_raw(), complete=True)
    assert record.belief_before == 85 and record.belief_balanced == 60
    assert record.emotions == (EmotionRating("Anxious", 80, 40),)
    assert record.traps == ("mind-reading",)


@pytest.mark.parametrize("value", ["0", "100"])
def test_percent_boundaries_are_accepted(value):
    record = validate_record(complete_raw(belief_before=value), complete=True)
    assert record.belief_before == int(value)


@pytest.mark.parametrize("value", ["-1", "101", "50.5", "lots"])
def test_percent_outside_0_to_100_or_not_whole_is_refused(value):
    assert "belief_before" in errors_of(complete_raw(belief_before=value), complete=True)


def test_emotion_intensity_out_of_range_is_flagged_on_its_row():
    raw = complete_raw(emotions=[{"name": "Sad", "intensity": "50", "rerated": "30"},
                                 {"name": "Angry", "intensity": "120", "rerated": "10"}])
    assert errors_of(raw, complete=True) == {"emotions-1-intensity": "How strong it was must be from 0 to 100."}


def test_complete_record_flags_every_empty_column_at_once():
    errors = errors_of({"situation": "On the bus"}, complete=True)
    assert set(errors) == {"automatic_thoughts", "belief_before", "evidence_for", "evidence_against",
                           "balanced_thought", "belief_balanced", "emotions-0-name"}


def test_complete_record_needs_the_rerating_of_each_named_emotion():
    raw = complete_raw(emotions=[{"name": "Sad", "intensity": "50", "rerated": ""}])
    assert set(errors_of(raw, complete=True)) == {"emotions-0-rerated"}


def test_draft_may_leave_columns_empty_but_not_out_of_range():
    draft = validate_record({"situation": "On the bus", "emotions": [{"name": "Sad"}]}, complete=False)
    assert draft.automatic_thoughts == "" and draft.belief_before is None
    assert draft.emotions == (EmotionRating("Sad", None, None),)
    assert "belief_before" in errors_of({"situation": "x", "belief_before": "101"}, complete=False)


def test_blank_draft_is_refused():
    assert errors_of({"emotions": [{"name": "  "}]}, complete=False) == {
        "situation": "Write something before saving a draft."}


def test_rating_without_an_emotion_name_asks_for_the_name():
    errors = errors_of({"situation": "x", "emotions": [{"name": "", "intensity": "40"}]}, complete=False)
    assert errors == {"emotions-0-name": "Name the emotion this rating is for."}


def test_text_limits_are_shown_in_the_message():
    at_limit = validate_record(complete_raw(situation="s" * SITUATION_LIMIT, evidence_for="e" * TEXT_LIMIT), complete=True)
    assert len(at_limit.situation) == SITUATION_LIMIT
    errors = errors_of(complete_raw(situation="s" * (SITUATION_LIMIT + 1), evidence_for="e" * (TEXT_LIMIT + 1)),
                       complete=True)
    assert "at most 1000 characters" in errors["situation"]
    assert "at most 2000 characters" in errors["evidence_for"]


def test_more_than_five_emotions_are_refused():
    rows = [{"name": f"E{i}", "intensity": "10", "rerated": "5"} for i in range(MAX_EMOTIONS + 1)]
    assert "emotions" in errors_of(complete_raw(emotions=rows), complete=True)


def test_unknown_thinking_trap_is_refused_and_duplicates_collapse():
    assert "traps" in errors_of(complete_raw(traps=["made-up"]), complete=True)
    assert validate_record(complete_raw(traps=["labelling", "labelling"]), complete=True).traps == ("labelling",)


def test_emotion_change_is_rerated_minus_intensity():
    assert EmotionRating("Sad", 70, 30).change == -40
    assert EmotionRating("Sad", 70, None).change is None
