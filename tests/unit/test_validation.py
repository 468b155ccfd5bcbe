"""Shared field checks: whole-number scales with inclusive bounds, trimmed text with a shown limit."""
import pytest

from app.validation import FieldError, FormInvalid, score, text


@pytest.mark.parametrize("raw, expected", [("0", 0), ("10", 10), (" 7 ", 7), (5, 5), ("", None), (None, None)])
def test_score_accepts_whole_numbers_within_bounds_and_blank(raw, expected):
    assert score(raw, field="f", label="Pleasure", low=0, high=10) == expected


@pytest.mark.parametrize("raw", ["-1", "11", "3.5", "x", True])
def test_score_refuses_out_of_range_or_not_whole(raw):
    with pytest.raises(FieldError) as caught:
        score(raw, field="pleasure", label="Pleasure", low=0, high=10)
    assert caught.value.field == "pleasure"


def test_required_score_says_the_range():
    with pytest.raises(FieldError, match="from 0 to 10"):
        score("", field="f", label="Pleasure", low=0, high=10, required=True)


def test_text_is_trimmed_and_limited():
    assert text("  hi  ", field="f", label="Title", limit=2) == "hi"
    with pytest.raises(FieldError, match="at most 2 characters"):
        text("abc", field="f", label="Title", limit=2)
    with pytest.raises(FieldError, match="Title is needed"):
        text("   ", field="f", label="Title", limit=2, required=True)


def test_form_invalid_keeps_the_first_message_per_field():
    invalid = FormInvalid([FieldError("a", "first"), FieldError("a", "second"), FieldError("b", "other")])
    assert invalid.errors == {"a": "first", "b": "other"}
