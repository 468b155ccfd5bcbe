import re

import pytest

from app.activation.ideas import ACTIVITY_IDEAS, LIFE_AREA_LABELS, LifeArea
from app.dbt.skills_library import (
    DIARY_DEFAULT_EMOTIONS,
    DIARY_DEFAULT_URGES,
    EMOTION_SCALE,
    MODULE_LABELS,
    SKILL_CARDS,
    SKILLS_BY_SLUG,
    SKILLS_SCALE,
    SKILLS_USE_LABELS,
    URGE_SCALE,
    DbtModule,
    cards_for_module,
)
from app.thoughts.traps import THINKING_TRAPS, TRAPS_BY_SLUG

SKILLS_NAMED_IN_CLINICAL_MD = {
    "wise-mind": DbtModule.MINDFULNESS,
    "observe": DbtModule.MINDFULNESS,
    "describe": DbtModule.MINDFULNESS,
    "participate": DbtModule.MINDFULNESS,
    "nonjudgmental": DbtModule.MINDFULNESS,
    "one-mindful": DbtModule.MINDFULNESS,
    "effective": DbtModule.MINDFULNESS,
    "stop": DbtModule.DISTRESS_TOLERANCE,
    "tipp": DbtModule.DISTRESS_TOLERANCE,
    "accepts": DbtModule.DISTRESS_TOLERANCE,
    "improve": DbtModule.DISTRESS_TOLERANCE,
    "self-soothe": DbtModule.DISTRESS_TOLERANCE,
    "pros-and-cons": DbtModule.DISTRESS_TOLERANCE,
    "radical-acceptance": DbtModule.DISTRESS_TOLERANCE,
    "turning-the-mind": DbtModule.DISTRESS_TOLERANCE,
    "willingness": DbtModule.DISTRESS_TOLERANCE,
    "check-the-facts": DbtModule.EMOTION_REGULATION,
    "opposite-action": DbtModule.EMOTION_REGULATION,
    "problem-solving": DbtModule.EMOTION_REGULATION,
    "abc-please": DbtModule.EMOTION_REGULATION,
    "build-mastery": DbtModule.EMOTION_REGULATION,
    "cope-ahead": DbtModule.EMOTION_REGULATION,
    "dear-man": DbtModule.INTERPERSONAL_EFFECTIVENESS,
    "give": DbtModule.INTERPERSONAL_EFFECTIVENESS,
    "fast": DbtModule.INTERPERSONAL_EFFECTIVENESS,
}

SLUG = re.compile(r"[a-z]+(-[a-z]+)*")


@pytest.mark.parametrize(("slug", "module"), sorted(SKILLS_NAMED_IN_CLINICAL_MD.items()))
def test_every_skill_named_in_clinical_md_has_a_card_in_its_module(slug, module):
    assert SKILLS_BY_SLUG[slug].module == module


@pytest.mark.parametrize("card", SKILL_CARDS, ids=lambda card: card.slug)
def test_skill_card_is_phone_sized_and_complete(card):
    assert card.name.strip()
    assert card.purpose.strip()
    assert card.when_to_use.strip()
    assert 3 <= len(card.steps) <= 6
    assert all(step.strip() for step in card.steps)
    assert card.purpose.count(". ") == 0 and card.when_to_use.count(". ") == 0
    assert len(card.purpose) <= 120 and len(card.when_to_use) <= 120
    assert all(len(step) <= 120 for step in card.steps)


def test_skill_slugs_are_unique_url_safe_and_indexed():
    slugs = [card.slug for card in SKILL_CARDS]
    assert len(slugs) == len(set(slugs))
    assert all(SLUG.fullmatch(slug) for slug in slugs)
    assert set(SKILLS_BY_SLUG) == set(slugs)


def test_library_holds_only_the_skills_clinical_md_names():
    assert {card.slug for card in SKILL_CARDS} == set(SKILLS_NAMED_IN_CLINICAL_MD)


@pytest.mark.parametrize("module", list(DbtModule))
def test_each_module_has_cards_and_a_label(module):
    cards = cards_for_module(module)
    assert cards
    assert all(card.module == module for card in cards)
    assert MODULE_LABELS[module]


def test_cards_for_module_covers_the_whole_library_once():
    assert sum(len(cards_for_module(module)) for module in DbtModule) == len(SKILL_CARDS)


def test_diary_defaults_cover_the_clinical_urges_and_emotions():
    assert [urge.key for urge in DIARY_DEFAULT_URGES] == ["self_harm", "suicide", "substance_use"]
    assert [emotion.key for emotion in DIARY_DEFAULT_EMOTIONS] == ["sadness", "shame", "anger", "fear", "joy"]
    assert all(target.label.strip() for target in DIARY_DEFAULT_URGES + DIARY_DEFAULT_EMOTIONS)


def test_diary_scales_match_clinical_md():
    assert (URGE_SCALE.low, URGE_SCALE.high) == (0, 5)
    assert (EMOTION_SCALE.low, EMOTION_SCALE.high) == (0, 5)
    assert (SKILLS_SCALE.low, SKILLS_SCALE.high) == (0, 7)
    assert URGE_SCALE.contains(5) and not URGE_SCALE.contains(6) and not URGE_SCALE.contains(-1)
    assert SKILLS_SCALE.contains(7) and not SKILLS_SCALE.contains(8)


def test_skills_scale_has_a_distinct_label_for_each_value_from_not_used_to_helped():
    assert len(SKILLS_USE_LABELS) == SKILLS_SCALE.high - SKILLS_SCALE.low + 1
    assert len(set(SKILLS_USE_LABELS)) == len(SKILLS_USE_LABELS)
    assert "didn't" in SKILLS_USE_LABELS[0].lower() and "use" in SKILLS_USE_LABELS[0].lower()
    assert SKILLS_USE_LABELS[7].endswith("and they helped")


EXPECTED_TRAPS = {
    "all-or-nothing",
    "overgeneralising",
    "mental-filter",
    "discounting-the-positive",
    "mind-reading",
    "fortune-telling",
    "catastrophising",
    "emotional-reasoning",
    "should-statements",
    "labelling",
    "personalising",
}


def test_thinking_traps_are_exactly_those_in_clinical_md():
    slugs = [trap.slug for trap in THINKING_TRAPS]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == EXPECTED_TRAPS
    assert set(TRAPS_BY_SLUG) == EXPECTED_TRAPS


@pytest.mark.parametrize("trap", THINKING_TRAPS, ids=lambda trap: trap.slug)
def test_thinking_trap_has_a_label_and_a_one_line_hint(trap):
    assert trap.label.strip()
    assert trap.hint.strip()
    assert "\n" not in trap.hint
    assert len(trap.hint) <= 100


def test_catastrophising_trap_mentions_magnifying_and_minimising():
    assert "magnifying" in TRAPS_BY_SLUG["catastrophising"].label.lower()
    assert "minimising" in TRAPS_BY_SLUG["catastrophising"].label.lower()


def test_every_life_area_has_a_label_and_ideas():
    assert set(ACTIVITY_IDEAS) == set(LifeArea)
    assert set(LIFE_AREA_LABELS) == set(LifeArea)


@pytest.mark.parametrize("area", list(LifeArea))
def test_each_life_area_offers_six_to_ten_unique_ideas(area):
    ideas = ACTIVITY_IDEAS[area]
    assert 6 <= len(ideas) <= 10
    assert all(idea.strip() for idea in ideas)
    assert len({idea.lower() for idea in ideas}) == len(ideas)


def test_no_idea_is_repeated_across_life_areas():
    every_idea = [idea.lower() for ideas in ACTIVITY_IDEAS.values() for idea in ideas]
    assert len(every_idea) == len(set(every_idea))
