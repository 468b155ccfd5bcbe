"""The safety pathway's rules (CLINICAL.md, Safety): which answers are a risk signal, which screen the patient
sees, who is alerted, when an unacknowledged event escalates, and which client-supplied time to believe.

Pure functions: values in, values out, the current time passed in.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from app.i18n.markers import N_
from app.models.safety import SafetyEventSource

DEFAULT_URGE_THRESHOLD = 4
URGE_THRESHOLD_RANGE = (3, 5)
SEVERE_HEADACHE = 8
"""A new severe headache is 8-10 on the 0-10 scale (CLINICAL.md, TMS medical red flags)."""
CLIENT_TIME_OLDEST = timedelta(hours=72)
CLIENT_TIME_SKEW = timedelta(minutes=5)
"""A phone's clock is believed for entries queued up to 3 days offline and up to 5 minutes fast."""


class SafetyRoute(StrEnum):
    """Self-harm risk goes to the treating therapist; TMS medical red flags to the TMS team and the therapist."""

    self_harm = "self_harm"
    medical = "medical"


class Screen(StrEnum):
    """What the patient sees at once: the crisis screen, or urgent medical advice (911 now, or call the clinic)."""

    crisis = "crisis"
    emergency = "emergency"
    call_clinic = "call_clinic"


URGES = ("self_harm", "suicide")
"""The diary-card rows that carry self-harm risk (app/dbt/skills_library.py keys)."""

RED_FLAGS = (
    ("seizure", N_("I had a seizure, or something that might have been one")),
    ("fainted", N_("I fainted or passed out")),
    ("headache_unrelieved", N_("My headache doesn't settle with simple pain relief (like paracetamol or ibuprofen)")),
    ("hearing_change", N_("My hearing is reduced, or ringing in my ears hasn't gone away")),
    ("mania_signs", N_("I've needed much less sleep, or had racing thoughts, unusual energy or risk-taking")),
)
"""The TMS red-flag questions, as asked in the side-effect check (after Rossi et al. 2021)."""
EMERGENCY_FLAGS = frozenset({"seizure", "fainted"})


@dataclass(frozen=True)
class Signal:
    """A risk signal from one submission: its source and the values that raised it."""

    source: SafetyEventSource
    details: dict = field(default_factory=dict)

    @property
    def route(self) -> SafetyRoute:
        return route_of(self.source)

    @property
    def screen(self) -> Screen:
        return screen_for(self.source, self.details)

    @property
    def item_value(self) -> int | None:
        return self.details.get("item9") if self.source == SafetyEventSource.phq9_item9 else None


MEDICAL_SOURCES = frozenset({SafetyEventSource.side_effect, SafetyEventSource.adverse_event})
"""TMS red flags: from the patient's side-effect check, or recorded by the TMS team with the visit."""


def route_of(source: SafetyEventSource) -> SafetyRoute:
    return SafetyRoute.medical if source in MEDICAL_SOURCES else SafetyRoute.self_harm


def screen_for(source: SafetyEventSource, details: Mapping) -> Screen:
    """Seizure or fainting now: call 911; any other TMS red flag: call the clinic today; self-harm: crisis screen."""
    if source not in MEDICAL_SOURCES:
        return Screen.crisis
    return Screen.emergency if any(details.get(flag) for flag in EMERGENCY_FLAGS) else Screen.call_clinic


def button_signal() -> Signal:
    return Signal(SafetyEventSource.patient_button, {})


def phq9_signal(item9: int | None) -> Signal | None:
    """PHQ-9 item 9: ANY answer above 0 is a safety event, whatever the total."""
    if item9 is None or item9 <= 0:
        return None
    return Signal(SafetyEventSource.phq9_item9, {"item9": item9})


def diary_signal(urges: Mapping[str, int | None], acted_on: Mapping[str, bool], *, threshold: int) -> Signal | None:
    """Any "acted on" for self-harm or suicide, or an urge to end one's life at or above the patient's threshold.

    The details keep every self-harm/suicide row the patient rated, so the therapist sees the whole picture."""
    suicide = urges.get("suicide")
    risky = (suicide is not None and suicide >= threshold) or any(acted_on.get(key) for key in URGES)
    if not risky:
        return None
    details: dict = {}
    for key in URGES:
        if urges.get(key) is not None:
            details[f"urge-{key}"] = urges[key]
        if acted_on.get(key):
            details[f"acted-{key}"] = True
    return Signal(SafetyEventSource.diary_card, details)


def side_effect_signal(headache: int | None, flags: Iterable[str]) -> Signal | None:
    """A TMS medical red flag: a yes to any red-flag question, or a headache of 8-10."""
    details: dict = {}
    if headache is not None and headache >= SEVERE_HEADACHE:
        details["headache"] = headache
    known = {name for name, _question in RED_FLAGS}
    details.update({flag: True for flag in flags if flag in known})
    return Signal(SafetyEventSource.side_effect, details) if details else None


def merge_details(old: Mapping | None, new: Mapping) -> dict:
    """The highest answer wins: a re-submission can raise a value or add one, never lower or remove it."""
    merged = dict(old or {})
    for key, value in new.items():
        merged[key] = max(merged[key], value) if key in merged else value
    return merged


def raises(old: Mapping | None, new: Mapping) -> bool:
    """Whether `new` says anything more serious than `old` (a new key, or a higher value)."""
    return merge_details(old, new) != dict(old or {})


def original_time(raw: str | None, *, now: datetime) -> datetime:
    """When an entry queued on the phone was made: the phone's ISO time if it is aware and recent, else now.

    Bounded so a wrong clock (or a forged value) can neither back-date an event by days nor put it in the future."""
    try:
        claimed = datetime.fromisoformat((raw or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return now
    if claimed.tzinfo is None or not now - CLIENT_TIME_OLDEST <= claimed <= now + CLIENT_TIME_SKEW:
        return now
    return min(claimed, now)


def escalation_due(alerted_at: datetime, *, minutes: int, now: datetime) -> bool:
    return now - alerted_at >= timedelta(minutes=minutes)


@dataclass(frozen=True)
class Recipient:
    id: int
    active: bool
    has_device: bool

    @property
    def reachable(self) -> bool:
        return self.active and self.has_device


def choose_recipients(route: SafetyRoute, therapist: Recipient | None, contacts: Iterable[Recipient],
                      physicians: Iterable[Recipient] = ()) -> list[int]:
    """Who is alerted, so that nobody is the only recipient who cannot receive it (CLINICAL.md, Safety).

    Self-harm: the treating therapist; the safety contacts too if the therapist is missing, inactive or has no
    device. Medical red flags: the safety contacts (the TMS team), the therapist and the physician on the patient's
    care team. Inactive people never."""
    contacts = [c for c in contacts if c.active]
    chosen: list[int] = []
    if therapist is not None and therapist.active:
        chosen.append(therapist.id)
    if route == SafetyRoute.medical:
        chosen += [p.id for p in physicians if p.active and p.id not in chosen]
    if route == SafetyRoute.medical or therapist is None or not therapist.reachable:
        chosen += [c.id for c in contacts if c.id not in chosen]
    return chosen


def anyone_reachable(chosen: Iterable[int], people: Iterable[Recipient]) -> bool:
    ids = set(chosen)
    return any(p.reachable for p in people if p.id in ids)


