"""The safety pathway's pure rules (CLINICAL.md, Safety): sources, screens, severity, routing, time, escalation."""
from datetime import datetime, timedelta, timezone

import pytest

from app.models.safety import SafetyEventSource
from app.safety import rules, summary
from app.safety.rules import Recipient, SafetyRoute, Screen

NOW = datetime(2026, 3, 2, 16, 54, tzinfo=timezone.utc)


@pytest.mark.parametrize("answer, raised", [(None, False), (0, False), (1, True), (2, True), (3, True)])
def test_phq9_item9_any_answer_above_zero_is_a_signal(answer, raised):
    signal = rules.phq9_signal(answer)
    assert (signal is not None) == raised
    if raised:
        assert (signal.source, signal.details, signal.item_value, signal.screen) == (
            SafetyEventSource.phq9_item9, {"item9": answer}, answer, Screen.crisis)


@pytest.mark.parametrize("threshold, urge, raised", [(4, 3, False), (4, 4, True), (4, 5, True), (3, 3, True), (5, 4, False)])
def test_diary_urge_to_end_life_at_or_above_the_patients_threshold(threshold, urge, raised):
    assert (rules.diary_signal({"suicide": urge}, {}, threshold=threshold) is not None) == raised


def test_diary_any_acted_on_for_self_harm_or_suicide_is_a_signal_whatever_the_urge():
    signal = rules.diary_signal({"self_harm": 1}, {"self_harm": True}, threshold=4)
    assert signal.details == {"urge-self_harm": 1, "acted-self_harm": True}
    assert signal.route == SafetyRoute.self_harm and signal.screen == Screen.crisis


def test_diary_other_urges_never_raise_a_signal():
    assert rules.diary_signal({"substance_use": 5, "t_skip_meals": 5}, {"substance_use": True}, threshold=3) is None


@pytest.mark.parametrize("headache, flags, details, screen", [
    (7, set(), None, None),
    (8, set(), {"headache": 8}, Screen.call_clinic),
    (2, {"mania_signs"}, {"mania_signs": True}, Screen.call_clinic),
    (10, {"fainted"}, {"headache": 10, "fainted": True}, Screen.emergency),
    (0, {"seizure", "hearing_change"}, {"seizure": True, "hearing_change": True}, Screen.emergency),
    (0, {"not_a_question"}, None, None),
])
def test_tms_red_flags_and_the_screen_they_lead_to(headache, flags, details, screen):
    signal = rules.side_effect_signal(headache, flags)
    assert (signal.details if signal else None) == details
    if signal:
        assert signal.screen == screen and signal.route == SafetyRoute.medical


def test_highest_answer_wins_on_resubmission():
    assert rules.merge_details({"item9": 1}, {"item9": 3}) == {"item9": 3}
    assert rules.merge_details({"item9": 3}, {"item9": 1}) == {"item9": 3}
    assert rules.merge_details({"urge-suicide": 4}, {"acted-suicide": True}) == {"urge-suicide": 4, "acted-suicide": True}
    assert rules.raises({"item9": 1}, {"item9": 2}) and not rules.raises({"item9": 2}, {"item9": 1})
    assert not rules.raises({"headache": 9, "fainted": True}, {"fainted": True})


@pytest.mark.parametrize("raw, expected", [
    ("2026-03-02T16:14:00+00:00", datetime(2026, 3, 2, 16, 14, tzinfo=timezone.utc)),
    ("2026-03-02T16:14:00.123Z", datetime(2026, 3, 2, 16, 14, 0, 123000, tzinfo=timezone.utc)),
    ("2026-02-28T09:00:00-05:00", datetime(2026, 2, 28, 14, 0, tzinfo=timezone.utc)),  # 2 days offline: believed
    ("2026-02-20T09:00:00+00:00", NOW),  # 10 days: not believed
    ("2026-03-02T16:57:00+00:00", NOW),  # a phone 3 minutes fast: now
    ("2026-03-02T18:00:00+00:00", NOW),  # the future
    ("2026-03-02T16:14:00", NOW),  # no zone
    ("", NOW), (None, NOW), ("tuesday", NOW),
])
def test_client_time_is_believed_only_within_the_recent_past(raw, expected):
    assert rules.original_time(raw, now=NOW) == expected


def test_escalation_is_due_at_the_clinics_minutes():
    alerted = NOW - timedelta(minutes=59)
    assert not rules.escalation_due(alerted, minutes=60, now=NOW)
    assert rules.escalation_due(alerted, minutes=60, now=NOW + timedelta(minutes=1))


@pytest.mark.parametrize("minutes, text", [(0, "0 min"), (12, "12 min"), (65, "1 h 5 min"), (60 * 51, "2 days 3 h")])
def test_open_for_reads_like_a_clinician_says_it(minutes, text):
    assert summary.open_for(NOW - timedelta(minutes=minutes), NOW) == text


THERAPIST = Recipient(1, active=True, has_device=True)
CONTACTS = [Recipient(7, active=True, has_device=True), Recipient(8, active=False, has_device=True)]


def test_self_harm_goes_to_the_reachable_treating_therapist_only():
    assert rules.choose_recipients(SafetyRoute.self_harm, THERAPIST, CONTACTS) == [1]


@pytest.mark.parametrize("therapist", [None, Recipient(1, active=False, has_device=True), Recipient(1, True, False)])
def test_self_harm_falls_back_to_active_safety_contacts(therapist):
    expected = [7] if therapist is None or not therapist.active else [1, 7]
    assert rules.choose_recipients(SafetyRoute.self_harm, therapist, CONTACTS) == expected


def test_medical_red_flags_go_to_the_tms_team_and_the_therapist():
    assert rules.choose_recipients(SafetyRoute.medical, THERAPIST, CONTACTS) == [1, 7]
    assert rules.choose_recipients(SafetyRoute.medical, THERAPIST, [Recipient(1, True, True)]) == [1]


def test_nobody_reachable_is_detected():
    offline = Recipient(1, active=True, has_device=False)
    assert not rules.anyone_reachable(rules.choose_recipients(SafetyRoute.self_harm, offline, []), [offline])


def test_describe_names_every_source():
    assert summary.describe(SafetyEventSource.patient_button, {}) == "pressed “I'm not safe right now”"
    assert summary.describe(SafetyEventSource.phq9_item9, None, 2) == "PHQ-9 item 9 answered 2"
    assert summary.describe(SafetyEventSource.diary_card, {"urge-suicide": 5, "acted-self_harm": True}) == (
        "Diary card: acted on it (self-harm); urge to end my life 5/5")
    assert summary.describe(SafetyEventSource.side_effect, {"headache": 9, "seizure": True}) == (
        "TMS side effects: seizure or suspected seizure; headache 9/10")
