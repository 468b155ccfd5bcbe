"""Thinking-trap tags a patient may attach to an automatic thought (CLINICAL.md, CBT thought record)."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.i18n.markers import N_


@dataclass(frozen=True)
class ThinkingTrap:
    slug: str
    label: str
    hint: str


THINKING_TRAPS: tuple[ThinkingTrap, ...] = (
    ThinkingTrap(
        "all-or-nothing",
        N_("All-or-nothing thinking"),
        N_("Seeing things in black and white, as total success or total failure."),
    ),
    ThinkingTrap(
        "overgeneralising",
        N_("Overgeneralising"),
        N_("Taking one bad event as proof that it will always go this way."),
    ),
    ThinkingTrap(
        "mental-filter",
        N_("Mental filter"),
        N_("Dwelling on one negative detail until it colours everything else."),
    ),
    ThinkingTrap(
        "discounting-the-positive",
        N_("Discounting the positive"),
        N_("Telling yourself that the good things don't count."),
    ),
    ThinkingTrap(
        "mind-reading",
        N_("Mind reading"),
        N_("Assuming you know what others are thinking, without checking."),
    ),
    ThinkingTrap(
        "fortune-telling",
        N_("Fortune telling"),
        N_("Predicting that things will turn out badly, as if it were certain."),
    ),
    ThinkingTrap(
        "catastrophising",
        N_("Catastrophising (magnifying or minimising)"),
        N_("Blowing problems up into disasters, or shrinking your strengths down to nothing."),
    ),
    ThinkingTrap(
        "emotional-reasoning",
        N_("Emotional reasoning"),
        N_("Believing something must be true because it feels true."),
    ),
    ThinkingTrap(
        "should-statements",
        N_('"Should" statements'),
        N_('Holding yourself or others to rigid rules of "should", "must" and "ought".'),
    ),
    ThinkingTrap(
        "labelling",
        N_("Labelling"),
        N_('Summing up a whole person, often yourself, with one harsh word like "failure".'),
    ),
    ThinkingTrap(
        "personalising",
        N_("Personalising"),
        N_("Blaming yourself for things that are not, or not only, down to you."),
    ),
)

TRAPS_BY_SLUG: Mapping[str, ThinkingTrap] = MappingProxyType({trap.slug: trap for trap in THINKING_TRAPS})
