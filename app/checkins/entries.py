"""Reading check-in and side-effect forms: plain values in, checked values (or every error at once) out.

CLINICAL.md, Measures: mood 0-10, optional anxiety 0-10, sleep hours and a short note; after a TMS visit,
headache and scalp discomfort 0-10.
"""
import math
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from app.i18n.markers import N_
from app.checkins.instruments import Instrument, item_field_name
from app.models.checkins import NOTE_MAX
from app.validation import whole_number
from app.safety.rules import RED_FLAGS, Signal, side_effect_signal

SCALE_MAX = 10
SLEEP_MAX = 24


class EntryInvalid(ValueError):
    """Every field problem at once (field name -> message), so the form can mark each one beside its field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


@dataclass(frozen=True)
class CheckinValues:
    mood: int
    anxiety: int | None
    sleep_hours: float | None
    note: str


@dataclass(frozen=True)
class SideEffectValues:
    headache: int
    scalp_discomfort: int
    note: str
    red_flags: frozenset[str] = frozenset()


def _text(raw: Mapping, name: str) -> str:
    value = raw.get(name)
    return value.strip() if isinstance(value, str) else ""


def _scale(raw: Mapping, name: str, label: str, errors: dict[str, str], *, required: bool) -> int | None:
    text = _text(raw, name)
    if not text:
        if required:
            errors[name] = _("Choose your %(what)s from 0 to %(max)s.", what=_(label), max=SCALE_MAX)
        return None
    number = whole_number(text)
    if number is None or number > SCALE_MAX:
        errors[name] = _("%(what)s is a whole number from 0 to %(max)s.", what=_(label).capitalize(), max=SCALE_MAX)
        return None
    return number


def _note(raw: Mapping, errors: dict[str, str]) -> str:
    note = _text(raw, "note")
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."
    return note


def parse_checkin(raw: Mapping) -> CheckinValues:
    """Mood is required; anxiety, sleep and note may be left out, so a check-in takes seconds."""
    errors: dict[str, str] = {}
    mood = _scale(raw, "mood", N_("mood"), errors, required=True)
    anxiety = _scale(raw, "anxiety", N_("anxiety"), errors, required=False)
    sleep_hours = None
    sleep_text = _text(raw, "sleep_hours").replace(",", ".")
    if sleep_text:
        try:
            sleep_hours = float(sleep_text)
        except ValueError:
            sleep_hours = math.nan
        if not 0 <= sleep_hours <= SLEEP_MAX:
            errors["sleep_hours"] = f"Hours of sleep are a number from 0 to {SLEEP_MAX}, like 6.5."
            sleep_hours = None
        else:
            sleep_hours = round(sleep_hours * 4) / 4
    note = _note(raw, errors)
    if errors:
        raise EntryInvalid(errors)
    assert mood is not None
    return CheckinValues(mood=mood, anxiety=anxiety, sleep_hours=sleep_hours, note=note)


def parse_side_effects(raw: Mapping) -> SideEffectValues:
    """Both ratings are required (0 means none), so the TMS team can tell "no headache" from "not asked"."""
    errors: dict[str, str] = {}
    headache = _scale(raw, "headache", N_("headache"), errors, required=True)
    scalp = _scale(raw, "scalp_discomfort", N_("scalp discomfort"), errors, required=True)
    note = _note(raw, errors)
    if errors:
        raise EntryInvalid(errors)
    assert headache is not None and scalp is not None
    return SideEffectValues(headache=headache, scalp_discomfort=scalp, note=note, red_flags=_red_flags(raw))


def _red_flags(raw: Mapping) -> frozenset[str]:
    return frozenset(name for name, _question in RED_FLAGS if _text(raw, name) == "yes")


def red_flag_signal(raw: Mapping) -> Signal | None:
    """The TMS red flags in a side-effect form, read before anything else is validated (like PHQ-9 item 9)."""
    headache = whole_number(_text(raw, "headache"))
    headache = headache if headache is not None and headache <= SCALE_MAX else None
    return side_effect_signal(headache, _red_flags(raw))


def safety_item_answer(instrument: Instrument, raw: Mapping) -> int | None:
    """The safety item's answer when it is a valid answer above 0, read before anything else is validated.

    CLINICAL.md: PHQ-9 item 9 above 0 is a safety event whatever else the submission holds, so this looks at that
    one field alone and never depends on the other items being complete.
    """
    if instrument.safety_item is None:
        return None
    text = raw.get(item_field_name(instrument.safety_item))
    value = whole_number(text) if isinstance(text, str) else None
    if value is None:
        return None
    return value if value > 0 and value in instrument.option_values else None
