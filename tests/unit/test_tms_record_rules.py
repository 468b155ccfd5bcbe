"""The TMS treatment record's rules: ranges a technician may enter, red flags, the motor-threshold re-check, and a
delivered dose against the course's prescription."""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.homework.timing import SessionStatus
from app.models import SafetyEventSource
from app.models.tms import StimulationPattern
from app.safety import rules as safety_rules
from app.tms import record_rules
from app.validation import FormInvalid

VISIT = date(2026, 3, 10)
VALID = {"target": "Left DLPFC", "coil": "Figure-8", "motor_threshold_pct": "55",
         "motor_threshold_measured_on": "2026-03-09", "intensity_pct": "120", "pattern": "10hz", "pulses": "3000",
         "duration_minutes": "37", "duration_seconds": "30", "note": ""}


def _parse(**changes):
    return record_rules.parse_record(VALID | changes, adverse=changes.pop("adverse", ()), visit_day=VISIT,
                                     today=VISIT)


def _errors(**changes) -> dict:
    with pytest.raises(FormInvalid) as raised:
        _parse(**changes)
    return raised.value.errors


def test_a_complete_record_is_read_with_duration_in_seconds():
    entry = _parse()
    assert (entry.motor_threshold_pct, entry.intensity_pct, entry.pulses) == (55, 120, 3000)
    assert entry.pattern == StimulationPattern.hz10 and entry.duration_seconds == 37 * 60 + 30


@pytest.mark.parametrize("field,value", [
    ("motor_threshold_pct", "0"), ("motor_threshold_pct", "101"), ("intensity_pct", "49"), ("intensity_pct", "151"),
    ("pulses", "0"), ("pulses", "10001"), ("pulses", "3,000"), ("intensity_pct", "１２０"), ("motor_threshold_pct", ""),
])
def test_values_outside_their_range_are_refused_beside_the_field(field, value):
    assert field in _errors(**{field: value})


@pytest.mark.parametrize("field,value", [
    ("motor_threshold_pct", "1"), ("motor_threshold_pct", "100"), ("intensity_pct", "50"), ("intensity_pct", "150"),
    ("pulses", "1"), ("pulses", "10000"),
])
def test_range_ends_are_accepted(field, value):
    assert getattr(_parse(**{field: value}), field) == int(value)


def test_every_problem_is_reported_at_once():
    errors = _errors(target="", motor_threshold_pct="120", pattern="40hz", duration_minutes="", duration_seconds="")
    assert {"target", "motor_threshold_pct", "pattern", "duration_minutes"} <= errors.keys()


def test_a_threshold_measured_after_the_visit_is_refused():
    assert "motor_threshold_measured_on" in _errors(motor_threshold_measured_on="2026-03-11")


def test_other_adverse_event_needs_a_note_and_forged_keys_are_dropped():
    assert "note" in _errors(adverse=["other"])
    assert _parse(adverse=["scalp_pain", "made-up", "seizure"]).adverse_events == ("seizure", "scalp_pain")


def test_red_flags_are_the_safety_pathways_tms_red_flags():
    assert record_rules.RED_FLAG_KEYS == {key for key, _question in safety_rules.RED_FLAGS}


def test_only_red_flags_raise_a_medical_safety_signal():
    assert record_rules.adverse_signal(["headache", "scalp_pain"]) is None
    signal = record_rules.adverse_signal(["scalp_pain", "fainted"])
    assert signal.source == SafetyEventSource.adverse_event and signal.details == {"fainted": True}
    assert signal.route == safety_rules.SafetyRoute.medical


def test_medical_red_flags_reach_the_physician_too_and_self_harm_does_not():
    therapist = safety_rules.Recipient(1, True, True)
    contacts = [safety_rules.Recipient(2, True, True)]
    physicians = [safety_rules.Recipient(3, True, False), safety_rules.Recipient(4, False, True)]
    assert safety_rules.choose_recipients(safety_rules.SafetyRoute.medical, therapist, contacts, physicians) == [1, 3, 2]
    assert safety_rules.choose_recipients(safety_rules.SafetyRoute.self_harm, therapist, contacts, physicians) == [1]


@pytest.mark.parametrize("days_ago,due", [(0, False), (6, False), (7, True), (30, True)])
def test_motor_threshold_is_due_once_it_is_as_old_as_the_interval(days_ago, due):
    assert record_rules.mt_recheck_due(VISIT - timedelta(days=days_ago), on=VISIT, interval_days=7) is due


def test_a_threshold_never_measured_is_due_and_the_interval_is_the_clinics():
    assert record_rules.mt_recheck_due(None, on=VISIT, interval_days=7)
    assert not record_rules.mt_recheck_due(VISIT - timedelta(days=10), on=VISIT, interval_days=14)


def test_dose_differences_name_what_was_not_as_prescribed():
    delivered = SimpleNamespace(pattern=StimulationPattern.hz10, intensity_pct=110, pulses=3000)
    prescribed = record_rules.Prescription(StimulationPattern.hz10, 120, 3000)
    assert record_rules.dose_differences(delivered, prescribed) == ("intensity 110 % of MT, prescribed 120 %",)
    assert record_rules.dose_differences(delivered, record_rules.Prescription(None, None, None)) == ()


def test_adherence_counts_delivered_against_planned_so_far():
    now = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)

    def visit(id, days, status, makeup_for=None):
        return SimpleNamespace(id=id, scheduled_at=now + timedelta(days=days), status=status, makeup_for_id=makeup_for)

    sessions = [visit(1, -3, SessionStatus.COMPLETED), visit(2, -2, SessionStatus.MISSED),
                visit(3, -1, SessionStatus.MISSED), visit(4, -1, SessionStatus.COMPLETED, makeup_for=3),
                visit(5, -1, SessionStatus.CANCELLED), visit(6, 1, SessionStatus.SCHEDULED)]
    result = record_rules.adherence(sessions, prescribed=30, now=now)
    assert (result.delivered, result.due, result.prescribed, result.percent) == (2, 3, 30, 67)


def test_a_prescription_may_leave_parts_blank_but_not_out_of_range():
    target, prescription = record_rules.parse_prescription({"target": "dmPFC", "pattern": "", "intensity_pct": "100"})
    assert (target, prescription) == ("dmPFC", record_rules.Prescription(None, 100, None))
    with pytest.raises(FormInvalid) as raised:
        record_rules.parse_prescription({"intensity_pct": "200", "pulses": "0"})
    assert raised.value.errors.keys() == {"intensity_pct", "pulses"}
