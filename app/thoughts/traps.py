"""Thinking-trap tags a patient may attach to an automatic thought (CLINICAL.md, CBT thought record)."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class ThinkingTrap:
    slug: str
    label: str
    hint: str


THINKING_TRAPS: tuple[ThinkingTrap, ...] = (
    ThinkingTrap(
        "all-or-nothing",
        "All-or-nothing thinking",
        "Seeing things in black and white, as total success or total failure.",
    ),
    ThinkingTrap(
        "overgeneralising",
        "Overgeneralising",
        "Taking one bad event as proof that it will always go this way.",
    ),
    ThinkingTrap(
        "mental-filter",
        "Mental filter",
        "Dwelling on one negative detail until it colours everything else.",
    ),
    ThinkingTrap(
        "discounting-the-positive",
        "Discounting the positive",
        "Telling yourself that the good things don't count.",
    ),
    ThinkingTrap(
        "mind-reading",
        "Mind reading",
        "Assuming you know what others are thinking, without checking.",
    ),
    ThinkingTrap(
        "fortune-telling",
        "Fortune telling",
        "Predicting that things will turn out badly, as if it were certain.",
    ),
    ThinkingTrap(
        "catastrophising",
        "Catastrophising (magnifying or minimising)",
        "Blowing problems up into disasters, or shrinking your strengths down to nothing.",
    ),
    ThinkingTrap(
        "emotional-reasoning",
        "Emotional reasoning",
        "Believing something must be true because it feels true.",
    ),
    ThinkingTrap(
        "should-statements",
        '"Should" statements',
        'Holding yourself or others to rigid rules of "should", "must" and "ought".',
    ),
    ThinkingTrap(
        "labelling",
        "Labelling",
        'Summing up a whole person, often yourself, with one harsh word like "failure".',
    ),
    ThinkingTrap(
        "personalising",
        "Personalising",
        "Blaming yourself for things that are not, or not only, down to you.",
    ),
)

TRAPS_BY_SLUG: Mapping[str, ThinkingTrap] = MappingProxyType({trap.slug: trap for trap in THINKING_TRAPS})
