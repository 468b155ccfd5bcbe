"""The thought record's columns (CLINICAL.md, Beck's seven columns as in Mind Over Mood) and their rules.

A draft may be half-finished but what it holds must be in range; a complete record needs every column, because
the balanced thought and the re-rating only mean something against the situation, thought and evidence.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from app.i18n.markers import N_
from app import validation
from app.thoughts.traps import TRAPS_BY_SLUG


SITUATION_LIMIT = 1000
TEXT_LIMIT = 2000
EMOTION_NAME_LIMIT = 60
MAX_EMOTIONS = 5

TEXT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("situation", N_("The situation"), SITUATION_LIMIT),
    ("automatic_thoughts", N_("The automatic thought"), TEXT_LIMIT),
    ("evidence_for", N_("Evidence for the thought"), TEXT_LIMIT),
    ("evidence_against", N_("Evidence against the thought"), TEXT_LIMIT),
    ("balanced_thought", N_("The balanced thought"), TEXT_LIMIT),
)
PERCENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("belief_before", N_("How much you believe the thought")),
    ("belief_balanced", N_("How much you believe the balanced thought")),
)


@dataclass(frozen=True)
class EmotionRating:
    """An emotion felt in the situation, its intensity 0-100 %, and its re-rating after the balanced thought."""

    name: str
    intensity: int | None
    rerated: int | None

    @property
    def change(self) -> int | None:
        if self.intensity is None or self.rerated is None:
            return None
        return self.rerated - self.intensity


@dataclass(frozen=True)
class ThoughtRecordInput:
    situation: str
    automatic_thoughts: str
    belief_before: int | None
    emotions: tuple[EmotionRating, ...]
    evidence_for: str
    evidence_against: str
    balanced_thought: str
    belief_balanced: int | None
    traps: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        texts = (self.situation, self.automatic_thoughts, self.evidence_for, self.evidence_against, self.balanced_thought)
        numbers = (self.belief_before, self.belief_balanced)
        return not any(texts) and all(n is None for n in numbers) and not self.emotions and not self.traps


def emotion_field(index: int, part: str) -> str:
    """The form name of one emotion row's part ("name", "intensity", "rerated"), as WTForms FieldList names it."""
    return f"emotions-{index}-{part}"


def _percent(value, field: str, label: str, required: bool) -> int | None:
    return validation.score(value, field=field, label=label, low=0, high=100, required=required)


def _emotions(rows: Sequence[Mapping[str, object]], complete: bool, found: validation.Collector) -> tuple[EmotionRating, ...]:
    if len(rows) > MAX_EMOTIONS:
        found.add("emotions", _("List up to %(n)s emotions.", n=MAX_EMOTIONS))
    ratings = []
    for index, row in enumerate(rows[:MAX_EMOTIONS]):
        name = found.check(
            validation.text, row.get("name"), field=emotion_field(index, "name"), label=_("The emotion's name"),
            limit=EMOTION_NAME_LIMIT,
        )
        intensity = found.check(
            _percent, row.get("intensity"), emotion_field(index, "intensity"), _("How strong it was"), complete and bool(name)
        )
        rerated = found.check(
            _percent, row.get("rerated"), emotion_field(index, "rerated"), _("How strong it is now"), complete and bool(name)
        )
        if not name:
            if intensity is not None or rerated is not None:
                found.add(emotion_field(index, "name"), _("Name the emotion this rating is for."))
            continue
        ratings.append(EmotionRating(name, intensity, rerated))
    if complete and not ratings and "emotions" not in {e.field for e in found.errors}:
        found.add(emotion_field(0, "name"), _("Name at least one emotion you felt."))
    return tuple(ratings)


def validate_record(raw: Mapping[str, object], *, complete: bool) -> ThoughtRecordInput:
    """Check a submitted record; raises FormInvalid naming every field at fault.

    `raw` holds the text and percent columns by name, "emotions" as a list of {name, intensity, rerated} and
    "traps" as a list of thinking-trap slugs.
    """
    found = validation.Collector()
    texts = {
        field: found.check(validation.text, raw.get(field), field=field, label=label, limit=limit, required=complete)
        or ""
        for field, label, limit in TEXT_COLUMNS
    }
    percents = {field: found.check(_percent, raw.get(field), field, label, complete) for field, label in PERCENT_COLUMNS}
    emotions = _emotions(list(raw.get("emotions") or []), complete, found)
    traps = tuple(dict.fromkeys(str(slug) for slug in raw.get("traps") or []))
    if any(slug not in TRAPS_BY_SLUG for slug in traps):
        found.add("traps", _("Choose thinking traps from the list."))
    found.raise_if_any()
    record = ThoughtRecordInput(emotions=emotions, traps=traps, **texts, **percents)
    if record.is_blank:
        raise validation.FormInvalid([validation.FieldError("situation", _("Write something before saving a draft."))])
    return record

