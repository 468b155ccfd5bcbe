"""DBT rules (CLINICAL.md, DBT skills and diary card): diary ranges, which days are editable, card and use checks."""
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from app.dbt.skills_library import EMOTION_SCALE, SKILLS_SCALE, URGE_SCALE, DiaryTarget
from app.validation import FieldError, whole_number

HELPED_SCALE = SKILLS_SCALE
NOTE_MAX = 2000


class DbtError(FieldError):
    """Bad DBT input; `field` names the form field the message belongs beside."""


@dataclass(frozen=True)
class UrgeEntry:
    key: str
    label: str
    value: int
    acted_on: bool


@dataclass(frozen=True)
class EmotionEntry:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class DiaryInput:
    urges: tuple[UrgeEntry, ...]
    emotions: tuple[EmotionEntry, ...]
    skills_used: int | None
    notes: str


def editable_days(today: date) -> tuple[date, date]:
    """Today's card, and yesterday's for people who fill it in after midnight."""
    return today, today - timedelta(days=1)


def check_day(day: date, today: date) -> date:
    if day not in editable_days(today):
        raise DbtError("day", _("You can fill in today's card, or yesterday's if it's after midnight."))
    return day


def parse_rating(raw: str | None) -> int | None:
    """Form text to a whole number, blank to None; anything else is -1 so the range check refuses it."""
    raw = (raw or "").strip()
    if not raw:
        return None
    number = whole_number(raw)
    return -1 if number is None else number


def check_diary(
    *,
    urge_targets: Sequence[DiaryTarget],
    emotion_targets: Sequence[DiaryTarget],
    urges: Mapping[str, int | None],
    acted_on: Mapping[str, bool],
    emotions: Mapping[str, int | None],
    skills_used: int | None,
    notes: str | None,
) -> DiaryInput:
    """A diary card made valid: urges and emotions 0-5, skills used 0-7, unrated rows left out (blank is not 0)."""
    urge_entries = []
    for target in urge_targets:
        value = urges.get(target.key)
        if value is None:
            if acted_on.get(target.key):
                raise DbtError(f"urge-{target.key}", _("Rate how strong the urge was (0-5) as well."))
            continue
        if not URGE_SCALE.contains(value):
            raise DbtError(f"urge-{target.key}", _("Urges are rated from 0 to 5."))
        urge_entries.append(UrgeEntry(target.key, target.label, value, bool(acted_on.get(target.key))))
    emotion_entries = []
    for target in emotion_targets:
        value = emotions.get(target.key)
        if value is None:
            continue
        if not EMOTION_SCALE.contains(value):
            raise DbtError(f"emotion-{target.key}", _("Emotions are rated from 0 to 5."))
        emotion_entries.append(EmotionEntry(target.key, target.label, value))
    if skills_used is not None and not SKILLS_SCALE.contains(skills_used):
        raise DbtError("skills_used", _("Skills use goes from 0 to 7."))
    notes = (notes or "").strip()
    if len(notes) > NOTE_MAX:
        raise DbtError("notes", _("Keep notes to %(n)s characters or fewer.", n=NOTE_MAX))
    if not urge_entries and not emotion_entries and skills_used is None and not notes:
        raise DbtError("form", _("Fill in at least one row before saving."))
    return DiaryInput(tuple(urge_entries), tuple(emotion_entries), skills_used, notes)


def check_skill_use(helped: int | None, note: str | None) -> tuple[int, str]:
    if helped is None or not HELPED_SCALE.contains(helped):
        raise DbtError("helped", _("Choose how much it helped, from 0 to 7."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DbtError("note", _("Keep the note to %(n)s characters or fewer.", n=NOTE_MAX))
    return helped, note


def slugify(name: str) -> str:
    """A URL-safe slug for a clinic card's name ("Coping with cravings" -> "coping-with-cravings")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "card"


def target_key(label: str) -> str:
    """A storage key for a therapist-defined diary target, from its label."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:36] or "target"


def week_days(any_day: date) -> list[date]:
    """Monday to Sunday of the week holding `any_day` (the diary card's familiar week)."""
    monday = any_day - timedelta(days=any_day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]
