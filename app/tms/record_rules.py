"""The TMS treatment record's rules (CLINICAL.md: what a TMS team records per session): the ranges a technician may
enter, which adverse events are red flags for the safety pathway, when a motor threshold is due to be measured again,
and how a delivered dose compares with the course's prescription.

Pure functions: values in, values out; today and now are passed in.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from app.homework.timing import SessionStatus
from app.models.safety import SafetyEventSource
from app.models.tms import StimulationPattern
from app.safety import rules as safety_rules
from app.validation import Collector, FieldError, schedule_date, text, whole_number

MOTOR_THRESHOLD_RANGE = (1, 100)
"""Resting motor threshold, % of machine output."""
INTENSITY_RANGE = (50, 150)
"""Intensity, % of the motor threshold: iTBS is often given at 80-90 %, 10 Hz rTMS at 120 %."""
PULSES_RANGE = (1, 10_000)
DURATION_MINUTES_MAX = 120
TEXT_LIMIT = 60
NOTE_LIMIT = 500

PATTERN_LABELS = {
    StimulationPattern.hz1: "1 Hz", StimulationPattern.hz10: "10 Hz", StimulationPattern.hz18: "18 Hz (deep TMS)",
    StimulationPattern.hz20: "20 Hz (deep TMS)", StimulationPattern.itbs: "iTBS", StimulationPattern.ctbs: "cTBS",
    StimulationPattern.other: "Other (say which in the note)",
}


@dataclass(frozen=True)
class AdverseEvent:
    key: str
    label: str
    red_flag: bool


ADVERSE_EVENTS = (
    AdverseEvent("seizure", "Seizure or suspected seizure", True),
    AdverseEvent("fainted", "Syncope (fainted or passed out)", True),
    AdverseEvent("headache_unrelieved", "Severe headache (8–10), or one simple pain relief does not settle", True),
    AdverseEvent("hearing_change", "Hearing loss, or ringing in the ears that persists", True),
    AdverseEvent("mania_signs", "Signs of mania or hypomania", True),
    AdverseEvent("headache", "Headache (mild or moderate)", False),
    AdverseEvent("scalp_pain", "Scalp pain or discomfort at the site", False),
    AdverseEvent("facial_twitching", "Facial or jaw twitching", False),
    AdverseEvent("neck_pain", "Neck pain", False),
    AdverseEvent("dizziness", "Light-headedness or dizziness", False),
    AdverseEvent("other", "Other (describe in the note)", False),
)
"""Red flags are the TMS medical red flags (Rossi et al. 2021; CLINICAL.md, Safety), keyed as the patient's
side-effect check keys them (app/safety/rules.RED_FLAGS); the rest are common, expected side effects."""
ADVERSE_BY_KEY = {event.key: event for event in ADVERSE_EVENTS}
RED_FLAG_KEYS = frozenset(event.key for event in ADVERSE_EVENTS if event.red_flag)


@dataclass(frozen=True)
class TreatmentInput:
    """A checked record: what the visit delivered."""

    target: str
    coil: str
    motor_threshold_pct: int
    motor_threshold_measured_on: date
    intensity_pct: int
    pattern: StimulationPattern
    pulses: int
    duration_seconds: int
    adverse_events: tuple[str, ...]
    note: str


def _in_range(raw, *, field: str, low: int, high: int, message: str) -> int:
    number = whole_number(raw)
    if number is None or not low <= number <= high:
        raise FieldError(field, message)
    return number


def motor_threshold(raw) -> int:
    low, high = MOTOR_THRESHOLD_RANGE
    return _in_range(raw, field="motor_threshold_pct", low=low, high=high,
                     message=f"Motor threshold is a whole % of machine output, from {low} to {high}.")


def intensity(raw) -> int:
    low, high = INTENSITY_RANGE
    return _in_range(raw, field="intensity_pct", low=low, high=high,
                     message=f"Intensity is a whole % of the motor threshold, from {low} to {high}.")


def pulses(raw) -> int:
    low, high = PULSES_RANGE
    return _in_range(raw, field="pulses", low=low, high=high,
                     message=f"Pulses must be a whole number from {low} to {high:,}.")


def pattern(raw) -> StimulationPattern:
    try:
        return StimulationPattern(str(raw or ""))
    except ValueError:
        raise FieldError("pattern", "Choose the pattern given (10 Hz, iTBS…).") from None


def duration_seconds(minutes_raw, seconds_raw) -> int:
    """Minutes and seconds of stimulation (iTBS 3 min 9 s; 10 Hz 37 min 30 s); at least a second, at most 2 hours."""
    minutes = whole_number(minutes_raw) if str(minutes_raw or "").strip() else 0
    seconds = whole_number(seconds_raw) if str(seconds_raw or "").strip() else 0
    if minutes is None or seconds is None or seconds > 59 or minutes > DURATION_MINUTES_MAX:
        raise FieldError("duration_minutes", f"Give whole minutes (0 to {DURATION_MINUTES_MAX}) and seconds (0 to 59).")
    total = minutes * 60 + seconds
    if not 1 <= total <= DURATION_MINUTES_MAX * 60:
        raise FieldError("duration_minutes", f"Give how long stimulation lasted, up to {DURATION_MINUTES_MAX} minutes.")
    return total


def measured_on(raw, *, visit_day: date, today: date) -> date:
    """When the motor threshold was measured: a date on or before the visit (never in the future)."""
    day = schedule_date(raw, field="motor_threshold_measured_on", label="the date the threshold was measured",
                        today=today)
    if day > min(visit_day, today):
        raise FieldError("motor_threshold_measured_on", "The threshold must have been measured on or before the visit.")
    return day


def adverse_events(keys: Iterable[str]) -> tuple[str, ...]:
    """Known keys only, in the list's order (a forged key is dropped, not stored)."""
    chosen = set(keys)
    return tuple(event.key for event in ADVERSE_EVENTS if event.key in chosen)


def parse_record(form: Mapping, *, adverse: Iterable[str], visit_day: date, today: date) -> TreatmentInput:
    """Every field checked at once; FormInvalid carries each problem for its field."""
    checks = Collector()
    target = checks.check(text, form.get("target"), field="target", label="Target", limit=TEXT_LIMIT, required=True)
    coil = checks.check(text, form.get("coil"), field="coil", label="Coil", limit=TEXT_LIMIT, required=True)
    threshold = checks.check(motor_threshold, form.get("motor_threshold_pct"))
    day = checks.check(measured_on, form.get("motor_threshold_measured_on"), visit_day=visit_day, today=today)
    strength = checks.check(intensity, form.get("intensity_pct"))
    given = checks.check(pattern, form.get("pattern"))
    count = checks.check(pulses, form.get("pulses"))
    duration = checks.check(duration_seconds, form.get("duration_minutes"), form.get("duration_seconds"))
    events = adverse_events(adverse)
    note = checks.check(text, form.get("note"), field="note", label="The note", limit=NOTE_LIMIT)
    if "other" in events and not note:
        checks.add("note", "Describe the other adverse event in the note.")
    checks.raise_if_any()
    return TreatmentInput(target, coil, threshold, day, strength, given, count, duration, events, note)


def adverse_signal(keys: Iterable[str]) -> safety_rules.Signal | None:
    """Red flags among the recorded adverse events are a safety event (the medical route: TMS team and physician)."""
    flags = {key: True for key in keys if key in RED_FLAG_KEYS}
    return safety_rules.Signal(SafetyEventSource.adverse_event, flags) if flags else None


def mt_recheck_due(measured: date | None, *, on: date, interval_days: int) -> bool:
    """A threshold measured `interval_days` or more before `on` is due again (measured on a Monday with the weekly
    default: due the next Monday, so weekly re-checks fall on the same weekday). Never measured: due."""
    return measured is None or (on - measured).days >= interval_days


@dataclass(frozen=True)
class Prescription:
    pattern: StimulationPattern | None
    intensity_pct: int | None
    pulses: int | None


def dose_differences(record, prescription: Prescription) -> tuple[str, ...]:
    """Where a delivered dose differs from the prescription, in words for the physician ("pulses 1,800 of 3,000")."""
    found = []
    if prescription.pattern is not None and record.pattern != prescription.pattern:
        found.append(f"pattern {PATTERN_LABELS[record.pattern]}, prescribed {PATTERN_LABELS[prescription.pattern]}")
    if prescription.intensity_pct is not None and record.intensity_pct != prescription.intensity_pct:
        found.append(f"intensity {record.intensity_pct} % of MT, prescribed {prescription.intensity_pct} %")
    if prescription.pulses is not None and record.pulses != prescription.pulses:
        found.append(f"pulses {record.pulses:,} of {prescription.pulses:,}")
    return tuple(found)


@dataclass(frozen=True)
class Adherence:
    delivered: int
    due: int
    prescribed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.delivered / self.due) if self.due else None


def adherence(sessions, *, prescribed: int | None, now: datetime) -> Adherence:
    """Delivered visits against those planned up to `now` (cancelled ones and misses that were made up excluded)."""
    counted = [s for s in sessions if s.status != SessionStatus.CANCELLED]
    made_up = {s.makeup_for_id for s in counted if s.makeup_for_id is not None}
    due = [s for s in counted if s.scheduled_at <= now and s.id not in made_up]
    delivered = sum(s.status == SessionStatus.COMPLETED for s in counted)
    total = prescribed if prescribed is not None else sum(s.makeup_for_id is None for s in counted)
    return Adherence(delivered, max(len(due), delivered), total)


def parse_prescription(form: Mapping) -> tuple[str, Prescription]:
    """The course's dose prescription: each part optional (blank: not prescribed), each range-checked."""
    checks = Collector()
    target = checks.check(text, form.get("target"), field="target", label="Target", limit=TEXT_LIMIT)
    blank = {name: not str(form.get(name) or "").strip() for name in ("pattern", "intensity_pct", "pulses")}
    given = None if blank["pattern"] else checks.check(pattern, form.get("pattern"))
    strength = None if blank["intensity_pct"] else checks.check(intensity, form.get("intensity_pct"))
    count = None if blank["pulses"] else checks.check(pulses, form.get("pulses"))
    checks.raise_if_any()
    return target, Prescription(given, strength, count)
