"""Spreadsheet safety of exported cells (OWASP CSV injection) and the CSV text itself."""
import csv
import io

import pytest

from app.exports.csv_export import UTF8_BOM, spreadsheet_safe, to_csv


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-3", "@cmd", "\tx", "\rx"])
def test_text_that_starts_a_formula_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["", "a=1", "1-2", "'quoted", " =1", "e-mail"])
def test_text_with_a_formula_sign_later_or_after_a_space_is_left_alone(text):
    assert spreadsheet_safe(text) == text


def test_numbers_stay_numbers_even_when_negative():
    assert spreadsheet_safe(-7) == -7
    assert spreadsheet_safe(-0.5) == -0.5


def test_missing_values_are_blank_and_booleans_read_yes_or_no():
    assert spreadsheet_safe(None) == ""
    assert (spreadsheet_safe(True), spreadsheet_safe(False)) == ("yes", "no")


def test_csv_starts_with_a_bom_then_the_header_and_round_trips_awkward_text():
    text = to_csv(("a", "b"), [("x, \"y\"\nz", -1), ("=SUM(A1)", None)])

    assert text.startswith(UTF8_BOM + "a,b\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix(UTF8_BOM)))) == [
        ["a", "b"], ["x, \"y\"\nz", "-1"], ["'=SUM(A1)", ""],
    ]


@pytest.mark.parametrize("value", ["＝HYPERLINK(\"http://x\")", "＋1+1", "－2", "＠SUM(A1)"])
def test_full_width_formula_signs_are_neutralised_too(value):
    assert spreadsheet_safe(value) == "'" + value
