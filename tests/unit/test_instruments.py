import pytest

from app.checkins.instruments import (
    CLINICIAN_SCALES,
    GAD7,
    INSTRUMENTS,
    PCL5,
    PHQ9,
    AnswerOption,
    AnswersInvalid,
    Band,
    Instrument,
    InstrumentCode,
    TotalInvalid,
    phq9_outcome,
    score,
    validate_answers,
    validate_clinician_total,
)


def answers_totalling(instrument: Instrument, total: int, *, safety_item_zero: bool = True) -> dict[int, int]:
    """Spread a total over the items from the first, leaving the safety item at 0 unless it must carry score."""
    top = max(instrument.option_values)
    numbers = list(instrument.item_numbers)
    if safety_item_zero and instrument.safety_item is not None:
        numbers.remove(instrument.safety_item)
        numbers.append(instrument.safety_item)
    answers = {}
    remaining = total
    for number in numbers:
        answers[number] = min(top, remaining)
        remaining -= answers[number]
    assert remaining == 0
    return answers


def test_registry_holds_the_three_questionnaires_by_code():
    assert INSTRUMENTS["phq9"] is PHQ9
    assert INSTRUMENTS["gad7"] is GAD7
    assert INSTRUMENTS["pcl5"] is PCL5
    assert set(INSTRUMENTS) == {"phq9", "gad7", "pcl5"}


@pytest.mark.parametrize(("instrument", "count"), [(PHQ9, 9), (GAD7, 7), (PCL5, 20)])
def test_item_counts_match_the_published_forms(instrument, count):
    assert len(instrument.items) == count
    assert all(text.strip() for text in instrument.items)


def test_phq9_and_gad7_answer_options_are_the_published_frequency_scale():
    expected = (
        AnswerOption(0, "Not at all"),
        AnswerOption(1, "Several days"),
        AnswerOption(2, "More than half the days"),
        AnswerOption(3, "Nearly every day"),
    )
    assert PHQ9.options == expected
    assert GAD7.options == expected


def test_pcl5_answer_options_run_not_at_all_to_extremely():
    assert PCL5.options == (
        AnswerOption(0, "Not at all"),
        AnswerOption(1, "A little bit"),
        AnswerOption(2, "Moderately"),
        AnswerOption(3, "Quite a bit"),
        AnswerOption(4, "Extremely"),
    )


@pytest.mark.parametrize(("instrument", "max_total"), [(PHQ9, 27), (GAD7, 21), (PCL5, 80)])
def test_max_total_is_every_item_at_its_highest_answer(instrument, max_total):
    assert instrument.max_total == max_total
    all_top = {number: max(instrument.option_values) for number in instrument.item_numbers}
    assert score(instrument, all_top).total == max_total


def test_published_item_wording_is_kept_verbatim():
    assert PHQ9.items[0] == "Little interest or pleasure in doing things"
    assert PHQ9.items[8] == "Thoughts that you would be better off dead, or of hurting yourself in some way"
    assert GAD7.items[0] == "Feeling nervous, anxious, or on edge"
    assert GAD7.items[6] == "Feeling afraid, as if something awful might happen"
    assert PCL5.items[0] == "Repeated, disturbing, and unwanted memories of the stressful experience?"
    assert PCL5.items[19] == "Trouble falling or staying asleep?"


def test_timeframe_prompts_name_the_published_recall_periods():
    assert PHQ9.timeframe_prompt.startswith("Over the last 2 weeks")
    assert GAD7.timeframe_prompt.startswith("Over the last 2 weeks")
    assert PCL5.timeframe_prompt == "In the past month, how much were you bothered by:"


def test_loinc_codes_are_the_published_ones():
    assert (PHQ9.loinc_panel, PHQ9.loinc_total) == ("44249-1", "44261-6")
    assert (GAD7.loinc_panel, GAD7.loinc_total) == ("69737-5", "70274-6")
    assert (PCL5.loinc_panel, PCL5.loinc_total) == (None, None)


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_boundaries(total, label):
    assert score(PHQ9, answers_totalling(PHQ9, total)).band_label == label


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_band_boundaries(total, label):
    assert score(GAD7, answers_totalling(GAD7, total)).band_label == label


@pytest.mark.parametrize(
    ("total", "label"),
    [(0, "below threshold"), (30, "below threshold"), (31, "probable PTSD"), (80, "probable PTSD")],
)
def test_pcl5_flags_probable_ptsd_from_31(total, label):
    assert score(PCL5, answers_totalling(PCL5, total)).band_label == label


@pytest.mark.parametrize("instrument", [PHQ9, GAD7, PCL5])
def test_band_lookup_rejects_totals_outside_the_scale(instrument):
    with pytest.raises(ValueError):
        instrument.band_for(-1)
    with pytest.raises(ValueError):
        instrument.band_for(instrument.max_total + 1)


def test_instrument_with_a_gap_between_bands_is_refused():
    with pytest.raises(ValueError, match="contiguous"):
        Instrument(
            code=InstrumentCode.GAD7,
            title="broken",
            timeframe_prompt="",
            items=("a", "b"),
            options=(AnswerOption(0, "no"), AnswerOption(1, "yes")),
            bands=(Band(0, 0, "low"), Band(2, 2, "high")),
            loinc_panel=None,
            loinc_total=None,
            max_total=2,
        )


def test_instrument_whose_max_total_disagrees_with_its_items_is_refused():
    with pytest.raises(ValueError, match="max_total"):
        Instrument(
            code=InstrumentCode.GAD7,
            title="broken",
            timeframe_prompt="",
            items=("a", "b"),
            options=(AnswerOption(0, "no"), AnswerOption(1, "yes")),
            bands=(Band(0, 3, "all"),),
            loinc_panel=None,
            loinc_total=None,
            max_total=3,
        )


def test_phq9_item9_answered_above_zero_raises_safety_flag_even_at_total_one():
    answers = {number: 0 for number in PHQ9.item_numbers}
    answers[9] = 1
    result = score(PHQ9, answers)
    assert result.total == 1
    assert result.band_label == "minimal"
    assert result.safety_flag is True


def test_phq9_high_total_without_item9_raises_no_safety_flag():
    answers = {number: 3 for number in range(1, 9)} | {9: 0}
    assert score(PHQ9, answers).safety_flag is False


@pytest.mark.parametrize("instrument", [GAD7, PCL5])
def test_gad7_and_pcl5_never_raise_the_safety_flag(instrument):
    all_top = {number: max(instrument.option_values) for number in instrument.item_numbers}
    assert score(instrument, all_top).safety_flag is False


def test_score_refuses_incomplete_answers():
    with pytest.raises(AnswersInvalid) as caught:
        score(PHQ9, {1: 1, 2: 2})
    assert set(caught.value.errors) == set(range(3, 10))


def test_validate_answers_reads_form_field_names_into_item_numbers():
    form = {f"item{number}": str(number % 4) for number in GAD7.item_numbers}
    assert validate_answers(GAD7, form) == {1: 1, 2: 2, 3: 3, 4: 0, 5: 1, 6: 2, 7: 3}


def test_validate_answers_accepts_integer_keys_and_values():
    answers = {number: 2 for number in GAD7.item_numbers}
    assert validate_answers(GAD7, answers) == answers


def test_validate_answers_lists_every_missing_item_at_once():
    form = {"item1": "0", "item4": "", "item7": "3"}
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(GAD7, form)
    assert list(caught.value.errors) == [2, 3, 4, 5, 6]
    assert all(message for message in caught.value.errors.values())
    assert set(caught.value.field_errors) == {"item2", "item3", "item4", "item5", "item6"}


@pytest.mark.parametrize("bad", ["4", "-1", 4, -1])
def test_validate_answers_rejects_out_of_range_values(bad):
    form = {f"item{number}": "1" for number in PHQ9.item_numbers} | {"item5": bad}
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(PHQ9, form)
    assert list(caught.value.errors) == [5]


def test_pcl5_accepts_four_where_phq9_does_not():
    form = {f"item{number}": "4" for number in PCL5.item_numbers}
    assert validate_answers(PCL5, form)[20] == 4


@pytest.mark.parametrize("bad", ["two", "1.5", "1e0", 1.0, True, "0x1"])
def test_validate_answers_rejects_non_integer_values(bad):
    form = {f"item{number}": "1" for number in GAD7.item_numbers} | {"item3": bad}
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(GAD7, form)
    assert list(caught.value.errors) == [3]


def test_validate_answers_reports_missing_and_invalid_items_together():
    form = {"item1": "x", "item2": "9", "item3": "1", "item4": "1", "item5": "1", "item6": "1"}
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(GAD7, form)
    errors = caught.value.errors
    assert list(errors) == [1, 2, 7]
    assert errors[1] == errors[2] != errors[7]


def test_validate_answers_ignores_item0_and_unrelated_keys():
    form = {f"item{number}": "2" for number in GAD7.item_numbers}
    form |= {"item0": "3", "item8": "3", "csrf_token": "abc", "note": "hello", "0": "1", 8: 1}
    assert validate_answers(GAD7, form) == {number: 2 for number in GAD7.item_numbers}


def test_validate_answers_strips_surrounding_whitespace():
    form = {f"item{number}": " 1 " for number in GAD7.item_numbers}
    assert validate_answers(GAD7, form)[1] == 1


def test_validate_answers_refuses_two_different_answers_for_one_item():
    form = {f"item{number}": "1" for number in GAD7.item_numbers} | {2: 3}
    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(GAD7, form)
    assert list(caught.value.errors) == [2]


def test_answers_invalid_is_a_value_error():
    with pytest.raises(ValueError):
        validate_answers(GAD7, {})


def test_outcome_exactly_half_of_baseline_is_a_response():
    outcome = phq9_outcome(20, 10)
    assert outcome.change == -10
    assert outcome.percent_change == -50.0
    assert outcome.response is True


def test_outcome_just_short_of_half_is_not_a_response():
    assert phq9_outcome(20, 11).response is False
    assert phq9_outcome(21, 11).response is False


def test_outcome_with_odd_baseline_needs_the_full_half():
    assert phq9_outcome(21, 10).response is True


def test_outcome_total_of_five_is_not_remission_but_four_is():
    assert phq9_outcome(20, 5).remission is False
    assert phq9_outcome(20, 4).remission is True


def test_outcome_worsening_is_a_positive_change():
    outcome = phq9_outcome(10, 15)
    assert outcome.change == 5
    assert outcome.percent_change == 50.0
    assert outcome.response is False


def test_outcome_from_baseline_zero_has_no_percentage_and_no_response():
    outcome = phq9_outcome(0, 0)
    assert outcome.percent_change is None
    assert outcome.response is False
    assert outcome.remission is False  # issue 16: no "remission" from a baseline below 10
    assert outcome.judged is False
    assert phq9_outcome(0, 6).change == 6
    assert phq9_outcome(0, 6).remission is False


@pytest.mark.parametrize(("baseline", "current"), [(-1, 5), (28, 5), (10, -1), (10, 28)])
def test_outcome_refuses_totals_outside_phq9_range(baseline, current):
    with pytest.raises(TotalInvalid):
        phq9_outcome(baseline, current)


@pytest.mark.parametrize(
    ("code", "name_part", "low", "high"),
    [("ybocs", "Y-BOCS", 0, 40), ("hamd", "HAM-D", 0, 52), ("madrs", "MADRS", 0, 60)],
)
def test_clinician_scales_have_their_published_ranges(code, name_part, low, high):
    scale = CLINICIAN_SCALES[code]
    assert name_part in scale.name
    assert (scale.min_total, scale.max_total) == (low, high)
    assert validate_clinician_total(code, low) == low
    assert validate_clinician_total(code, str(high)) == high
    with pytest.raises(TotalInvalid) as caught:
        validate_clinician_total(code, high + 1)
    assert caught.value.field == "total"
    with pytest.raises(TotalInvalid):
        validate_clinician_total(code, low - 1)


@pytest.mark.parametrize("bad", ["", "twelve", "12.5", None])
def test_clinician_total_must_be_a_whole_number(bad):
    with pytest.raises(TotalInvalid) as caught:
        validate_clinician_total("ybocs", bad)
    assert caught.value.field == "total"
    assert "0 to 40" in caught.value.message


def test_unknown_clinician_scale_is_refused_on_the_scale_field():
    with pytest.raises(TotalInvalid) as caught:
        validate_clinician_total("bdi", 10)
    assert caught.value.field == "scale"
