from app.therapist.changes import Change, ChangeFacts, what_changed


def texts(facts, **kwargs):
    return [change.text for change in what_changed(facts, **kwargs)]


def test_phq9_rising_and_mood_falling_are_called_out_with_direction():
    facts = ChangeFacts(scores={"phq9": (7, [9, 11]), "gad7": (12, [8])}, mood_days=[7, 6, 4])
    assert what_changed(facts) == [
        Change("PHQ-9 7 → 11 ↑", "measures"), Change("GAD-7 12 → 8 ↓", "measures"), Change("Mood 7 → 4 ↓", "mood"),
    ]


def test_a_first_score_in_the_period_is_named_as_the_first():
    assert texts(ChangeFacts(scores={"pcl5": (None, [44])})) == ["PCL-5 44 (first)"]
    assert texts(ChangeFacts(scores={"pcl5": (None, [44, 38])})) == ["PCL-5 44 → 38 ↓"]
    assert texts(ChangeFacts(scores={"phq9": (5, [])})) == []


def test_unchanged_values_say_so():
    assert texts(ChangeFacts(scores={"phq9": (9, [9])}, mood_days=[5.5, 5.5])) == ["PHQ-9 9 → 9 =", "Mood 5.5 → 5.5 ="]


def test_one_day_of_mood_is_no_trend():
    assert texts(ChangeFacts(mood_days=[6])) == []


def test_missed_post_tms_homework_and_safety_events_come_with_counts():
    facts = ChangeFacts(post_tms_missed=3, safety_events=2, safety_open=1)
    assert what_changed(facts) == [
        Change("2 safety events, 1 not yet acknowledged", "safety"),
        Change("3 post-TMS homework tasks missed", "homework"),
    ]


def test_exposure_steps_climbed_are_those_above_the_highest_step_practised_before():
    facts = ChangeFacts(exposure_before_max=40, exposure_in_period={1: 30, 2: 40, 3: 55, 4: 70})
    assert texts(facts) == ["2 exposure steps climbed, up to SUDS 70"]
    assert texts(ChangeFacts(exposure_in_period={1: 20})) == ["1 exposure step climbed, up to SUDS 20"]
    assert texts(facts, include_exposure=False) == []


def test_only_side_effects_not_reported_in_the_weeks_before_are_new():
    facts = ChangeFacts(side_effects_before=frozenset({"headache"}),
                        side_effects_now={"headache": 6, "scalp_discomfort": 3, "hearing_change": 1})
    assert texts(facts) == ["New side effects: scalp discomfort 3/10, hearing change"]


def test_a_quiet_period_has_nothing_to_say():
    assert what_changed(ChangeFacts()) == []
