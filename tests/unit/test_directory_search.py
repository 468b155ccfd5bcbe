"""Reading what staff type into the patient directory's search box: a name, an MRN or a date of birth."""
from datetime import date

import pytest

from app.directory.search import DirectoryQuery, parse_query
from app.validation import FieldError


def test_blank_search_is_no_filter():
    assert parse_query("   ") == DirectoryQuery(terms=(), birth_date=None)


def test_words_are_name_terms_matched_together():
    assert parse_query("  maria   Lopez ") == DirectoryQuery(terms=("maria", "lopez"), birth_date=None)


@pytest.mark.parametrize("typed", ["1980-04-12", "04/12/1980", "4/12/1980"])
def test_a_date_of_birth_in_iso_or_us_order(typed):
    assert parse_query(typed) == DirectoryQuery(terms=(), birth_date=date(1980, 4, 12))


def test_a_name_and_a_birth_date_together():
    assert parse_query("Lopez 1980-04-12") == DirectoryQuery(terms=("lopez",), birth_date=date(1980, 4, 12))


@pytest.mark.parametrize("typed", ["1980-02-30", "13/45/1980", "02/30/1980"])
def test_an_impossible_date_is_refused_beside_the_box(typed):
    with pytest.raises(FieldError) as caught:
        parse_query(typed)
    assert caught.value.field == "q"
    assert "date" in caught.value.message


def test_two_dates_are_refused():
    with pytest.raises(FieldError, match="one date"):
        parse_query("1980-04-12 1981-04-12")


def test_overlong_search_is_refused_not_truncated():
    with pytest.raises(FieldError, match="at most 100"):
        parse_query("a" * 101)
