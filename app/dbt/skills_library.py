"""Built-in DBT skill cards and diary-card defaults (CLINICAL.md, DBT skills and diary card).

Every card is written in the project's own plain words, sized for a phone: one-sentence purpose, 3-6 short
steps, one sentence on when to use it. Acronym expansions are the only borrowed wording.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from app.i18n.markers import N_


class DbtModule(StrEnum):
    MINDFULNESS = "mindfulness"
    DISTRESS_TOLERANCE = "distress_tolerance"
    EMOTION_REGULATION = "emotion_regulation"
    INTERPERSONAL_EFFECTIVENESS = "interpersonal_effectiveness"


MODULE_LABELS: Mapping[DbtModule, str] = MappingProxyType(
    {
        DbtModule.MINDFULNESS: N_("Mindfulness"),
        DbtModule.DISTRESS_TOLERANCE: N_("Distress tolerance"),
        DbtModule.EMOTION_REGULATION: N_("Emotion regulation"),
        DbtModule.INTERPERSONAL_EFFECTIVENESS: N_("Interpersonal effectiveness"),
    }
)


@dataclass(frozen=True)
class SkillCard:
    slug: str
    module: DbtModule
    name: str
    purpose: str
    steps: tuple[str, ...]
    when_to_use: str


_MINDFULNESS = (
    SkillCard(
        slug="wise-mind",
        module=DbtModule.MINDFULNESS,
        name=N_("Wise mind"),
        purpose=N_("Find the calm, knowing place in you where feelings and facts both get a say."),
        steps=(
            N_("Pause and take a few slow breaths."),
            N_("Notice what your feelings are urging you to do."),
            N_("Notice what the plain facts and your reasoning say."),
            N_("Ask yourself quietly: what do I know deep down is right here?"),
            N_("Wait for an answer that feels settled, not rushed."),
        ),
        when_to_use=N_("When you have a choice to make and feel pulled between heart and head."),
    ),
    SkillCard(
        slug="observe",
        module=DbtModule.MINDFULNESS,
        name=N_("Observe"),
        purpose=N_("Simply notice what is happening, inside and around you, without having to react."),
        steps=(
            N_("Choose something to notice: your breath, a sound, a feeling in your body."),
            N_("Pay attention to it as if for the first time."),
            N_("Let thoughts come and go like clouds passing."),
            N_("When your mind wanders, gently bring it back."),
        ),
        when_to_use=N_("When you feel on autopilot or swept along and want to step back and see clearly."),
    ),
    SkillCard(
        slug="describe",
        module=DbtModule.MINDFULNESS,
        name=N_("Describe"),
        purpose=N_("Put what you notice into simple, factual words so feelings and facts stop blurring together."),
        steps=(
            N_("Notice one thing: a sensation, an emotion, a thought or an event."),
            N_("Name it plainly, for example \"I notice tightness in my chest\"."),
            N_("Call a thought a thought: \"I'm having the thought that...\"."),
            N_("Stick to what you could see or hear, not guesses about why."),
        ),
        when_to_use=N_("When your mind is treating a thought or feeling as if it were a fact."),
    ),
    SkillCard(
        slug="participate",
        module=DbtModule.MINDFULNESS,
        name=N_("Participate"),
        purpose=N_("Throw yourself fully into what you are doing instead of watching yourself from the side."),
        steps=(
            N_("Pick one activity: a conversation, a song, a walk, a chore."),
            N_("Let go of judging how well you are doing it."),
            N_("Join in with your whole attention and body."),
            N_("If you notice yourself holding back, gently step back in."),
        ),
        when_to_use=N_("When you feel self-conscious, cut off, or like life is passing you by."),
    ),
    SkillCard(
        slug="nonjudgmental",
        module=DbtModule.MINDFULNESS,
        name=N_("Nonjudgmental"),
        purpose=N_("See things as they are, without labelling them good or bad, so your feelings can settle."),
        steps=(
            N_("Notice when you are judging: words like awful, stupid, should, fair."),
            N_("Swap the judgement for the facts and how you feel about them."),
            N_("Keep your values and preferences; just drop the label."),
            N_("Don't judge yourself for judging; notice it and start again."),
        ),
        when_to_use=N_("When harsh words about yourself or others are making you feel worse."),
    ),
    SkillCard(
        slug="one-mindful",
        module=DbtModule.MINDFULNESS,
        name=N_("One-mindful"),
        purpose=N_("Do one thing at a time with your full attention, so your mind stops scattering."),
        steps=(
            N_("Choose the one thing you are doing right now."),
            N_("Put other tasks and worries to one side for the moment."),
            N_("When your attention drifts, bring it back to this one thing."),
            N_("Move on to the next thing only when you are ready."),
        ),
        when_to_use=N_("When you feel scattered, overwhelmed, or stuck in the past or the future."),
    ),
    SkillCard(
        slug="effective",
        module=DbtModule.MINDFULNESS,
        name=N_("Effective"),
        purpose=N_("Focus on what works to reach your goal rather than on being right."),
        steps=(
            N_("Remind yourself what you actually want out of this situation."),
            N_("Deal with the situation as it is, not as you wish it were."),
            N_("Choose the action most likely to get you there."),
            N_("Let go of getting even or proving a point if it blocks your goal."),
        ),
        when_to_use=N_("When feeling wronged is tempting you to act against your own interests."),
    ),
)

_DISTRESS_TOLERANCE = (
    SkillCard(
        slug="stop",
        module=DbtModule.DISTRESS_TOLERANCE,
        name="STOP",
        purpose=N_("Put a pause between a strong urge and what you do, so you don't make things worse."),
        steps=(
            N_("Stop: freeze for a moment and don't act yet."),
            N_("Take a step back: breathe and give yourself some space."),
            N_("Observe: notice what is happening around you and inside you."),
            N_("Proceed mindfully: ask what will help, then act with care."),
        ),
        when_to_use=N_("The moment you feel an urge to act fast on a strong emotion."),
    ),
    SkillCard(
        slug="tipp",
        module=DbtModule.DISTRESS_TOLERANCE,
        name="TIPP",
        purpose=N_("Use your body to bring a very intense emotion down quickly."),
        steps=(
            N_("Temperature: cool your face with cold water or a cold pack for about 30 seconds."),
            N_("Intense exercise: move hard for a few minutes, like running on the spot."),
            N_("Paced breathing: breathe out more slowly than you breathe in."),
            N_("Paired muscle relaxation: tense a muscle group as you breathe in, let go as you breathe out."),
            N_("If you have a heart condition or an eating disorder, check with your doctor before using cold "
            "water or hard exercise."),
        ),
        when_to_use=N_("When emotion is so high you can't think straight or use other skills."),
    ),
    SkillCard(
        slug="accepts",
        module=DbtModule.DISTRESS_TOLERANCE,
        name="ACCEPTS",
        purpose=N_("Distract yourself for a while so a painful moment can pass without making it worse."),
        steps=(
            N_("Activities: do something that takes your attention, like a game or a tidy-up."),
            N_("Contributing: do something kind or useful for someone else."),
            N_("Comparisons: remember times you coped with something hard."),
            N_("Emotions: bring on a different feeling with a funny video or upbeat music."),
            N_("Pushing away: set the problem aside for now, in your mind or on paper."),
            N_("Thoughts and Sensations: count, do a puzzle, hold ice or take a warm shower."),
        ),
        when_to_use=N_("When you can't solve the problem right now and need to get through the next hour."),
    ),
    SkillCard(
        slug="improve",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("IMPROVE the moment"),
        purpose=N_("Make a hard moment a little more bearable while you wait for it to pass."),
        steps=(
            N_("Imagery: picture a safe, calm place in detail."),
            N_("Meaning: look for any purpose or lesson you can find in the pain."),
            N_("Prayer or Relaxation: open up to something bigger than you, or loosen your body."),
            N_("One thing in the moment: give all your attention to what you are doing right now."),
            N_("Vacation: take a short, safe break, like ten minutes with a blanket and a cup of tea."),
            N_("Encouragement: tell yourself \"I can get through this\"."),
        ),
        when_to_use=N_("When you are stuck in a painful situation you can't change or leave yet."),
    ),
    SkillCard(
        slug="self-soothe",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("Self-soothe with the five senses"),
        purpose=N_("Comfort yourself kindly through sight, sound, smell, taste and touch."),
        steps=(
            N_("Sight: look at something you find beautiful or calming."),
            N_("Sound: play gentle music or listen to nature."),
            N_("Smell: notice a scent you like, such as soap, coffee or flowers."),
            N_("Taste: slowly enjoy a small treat or a warm drink."),
            N_("Touch: wrap up in something soft, stroke a pet or take a warm bath."),
        ),
        when_to_use=N_("When you feel raw, upset or lonely and need some gentleness."),
    ),
    SkillCard(
        slug="pros-and-cons",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("Pros and cons"),
        purpose=N_("Weigh up acting on an urge against resisting it, so you remember why holding on is worth it."),
        steps=(
            N_("Write down the urge you are having."),
            N_("List the pros and cons of acting on it."),
            N_("List the pros and cons of resisting it."),
            N_("Think about the short term and the long term for each."),
            N_("Read the list again whenever the urge comes back."),
        ),
        when_to_use=N_("When an urge is strong and part of you wants to act on it."),
    ),
    SkillCard(
        slug="radical-acceptance",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("Radical acceptance"),
        purpose=N_("Stop fighting a reality you cannot change, so pain does not turn into extra suffering."),
        steps=(
            N_("Notice when you are fighting reality, with thoughts like \"this shouldn't be\"."),
            N_("Remind yourself that this is what happened, and that it has causes."),
            N_("Accepting does not mean approving or giving up."),
            N_("Let your body soften: relax your hands, face and shoulders."),
            N_("Allow the sadness or disappointment to come, and let it pass."),
        ),
        when_to_use=N_("When something painful has happened that you cannot undo."),
    ),
    SkillCard(
        slug="turning-the-mind",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("Turning the mind"),
        purpose=N_("Choose acceptance again each time your mind drifts back to fighting what is."),
        steps=(
            N_("Notice that you have slipped back into rejecting reality."),
            N_("Make an inner promise to turn back toward accepting."),
            N_("Do it again, as many times as you need to."),
            N_("Be patient with yourself; it is a road you walk, not a single step."),
        ),
        when_to_use=N_("When acceptance keeps slipping away and you find yourself fighting again."),
    ),
    SkillCard(
        slug="willingness",
        module=DbtModule.DISTRESS_TOLERANCE,
        name=N_("Willingness"),
        purpose=N_("Do what the situation needs, wholeheartedly, instead of refusing or sitting it out."),
        steps=(
            N_("Notice willfulness: digging in, giving up, or refusing to act."),
            N_("Name it to yourself without judging it."),
            N_("Turn your mind toward accepting the moment."),
            N_("Try a willing posture: open hands, a small half-smile."),
            N_("Ask yourself: what is the helpful thing to do now?"),
        ),
        when_to_use=N_("When you notice yourself digging in or shutting down although a step is needed."),
    ),
)

_EMOTION_REGULATION = (
    SkillCard(
        slug="check-the-facts",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("Check the facts"),
        purpose=N_("See whether your emotion, and how strong it is, fits what actually happened."),
        steps=(
            N_("Name the emotion you are feeling."),
            N_("Describe what set it off, sticking to facts you could see or hear."),
            N_("Notice your guesses and interpretations, and think of other ones."),
            N_("Ask whether you are expecting a threat or disaster, and how likely it really is."),
            N_("Decide whether the emotion fits the facts, and how strongly."),
        ),
        when_to_use=N_("When an emotion feels bigger than the situation, or you are unsure it fits."),
    ),
    SkillCard(
        slug="opposite-action",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("Opposite action"),
        purpose=N_("Change an emotion that doesn't fit the facts by doing the opposite of what it urges."),
        steps=(
            N_("Name the emotion and the action it urges you toward."),
            N_("Check the facts: does the emotion fit the situation?"),
            N_("If it doesn't fit, work out the opposite action."),
            N_("Do the opposite all the way, with your body, voice and thoughts."),
            N_("Keep doing it until the emotion starts to ease."),
        ),
        when_to_use=N_("When an emotion such as fear, shame or anger is steering you the wrong way."),
    ),
    SkillCard(
        slug="problem-solving",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("Problem solving"),
        purpose=N_("When your emotion fits the facts, change the situation that is causing it."),
        steps=(
            N_("Describe the problem in plain facts."),
            N_("Decide on one realistic goal."),
            N_("Brainstorm as many ways to get there as you can."),
            N_("Pick one or two ideas likely to work, and plan the first step."),
            N_("Try it, then look at how it went."),
        ),
        when_to_use=N_("When the situation really is the problem and something can be done about it."),
    ),
    SkillCard(
        slug="abc-please",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("ABC PLEASE"),
        purpose=N_("Look after your life and body so painful emotions have less to feed on."),
        steps=(
            N_("Accumulate positives: do something pleasant each day and build a life worth living."),
            N_("Build mastery: do one thing a day that gives you a sense of achievement."),
            N_("Cope ahead: rehearse how you will handle hard situations."),
            N_("PLEASE: treat PhysicaL illness and take medication as prescribed."),
            N_("Balance Eating, Avoid mood-altering drugs and alcohol, and balance Sleep."),
            N_("Get some Exercise most days."),
        ),
        when_to_use=N_("Every day, to make yourself less vulnerable to emotional storms."),
    ),
    SkillCard(
        slug="build-mastery",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("Build mastery"),
        purpose=N_("Feel capable again by doing something a little challenging each day."),
        steps=(
            N_("Pick one small task that is a bit hard but possible."),
            N_("Plan when you will do it today."),
            N_("Do it, and if it turns out too hard, make the next one easier."),
            N_("Notice the sense of achievement, however small."),
            N_("Next time, step up the challenge a little."),
        ),
        when_to_use=N_("When you feel helpless, stuck or out of control."),
    ),
    SkillCard(
        slug="cope-ahead",
        module=DbtModule.EMOTION_REGULATION,
        name=N_("Cope ahead"),
        purpose=N_("Prepare for a difficult situation by rehearsing it in your mind first."),
        steps=(
            N_("Describe the situation you are worried about."),
            N_("Pick the skills you want to use."),
            N_("Imagine yourself in it, as vividly as you can."),
            N_("Picture yourself coping well, including if new problems pop up."),
            N_("Relax afterwards and notice that you are ready."),
        ),
        when_to_use=N_("Before an event you expect to be hard, such as a tough conversation."),
    ),
)

_INTERPERSONAL_EFFECTIVENESS = (
    SkillCard(
        slug="dear-man",
        module=DbtModule.INTERPERSONAL_EFFECTIVENESS,
        name=N_("DEAR MAN"),
        purpose=N_("Ask for what you want, or say no, clearly and respectfully."),
        steps=(
            N_("Describe the situation in plain facts."),
            N_("Express how you feel, using \"I\" statements."),
            N_("Assert what you want clearly, and Reinforce by saying why it helps them too."),
            N_("Mindful: stay on your point, like a broken record if you need to."),
            N_("Appear confident: steady voice, good posture, eye contact."),
            N_("Negotiate: be willing to give to get, and offer other solutions."),
        ),
        when_to_use=N_("When you need to make a request, set a limit, or say no."),
    ),
    SkillCard(
        slug="give",
        module=DbtModule.INTERPERSONAL_EFFECTIVENESS,
        name="GIVE",
        purpose=N_("Keep a relationship healthy while you work through something together."),
        steps=(
            N_("Gentle: no attacks, threats or judgements."),
            N_("Interested: listen and let the other person have their say."),
            N_("Validate: show you understand their feelings and point of view."),
            N_("Easy manner: a bit of warmth and humour goes a long way."),
        ),
        when_to_use=N_("When the relationship matters to you as much as the outcome."),
    ),
    SkillCard(
        slug="fast",
        module=DbtModule.INTERPERSONAL_EFFECTIVENESS,
        name="FAST",
        purpose=N_("Stand up for yourself in a way you will still respect afterwards."),
        steps=(
            N_("Fair: be fair to yourself and to the other person."),
            N_("Apologies: don't over-apologise for having a need or an opinion."),
            N_("Stick to values: don't give up what matters to you to be liked."),
            N_("Truthful: don't lie, exaggerate or act helpless."),
        ),
        when_to_use=N_("When you might give in or bend the truth just to keep the peace."),
    ),
)

SKILL_CARDS: tuple[SkillCard, ...] = (
    _MINDFULNESS + _DISTRESS_TOLERANCE + _EMOTION_REGULATION + _INTERPERSONAL_EFFECTIVENESS
)

SKILLS_BY_SLUG: Mapping[str, SkillCard] = MappingProxyType({card.slug: card for card in SKILL_CARDS})


def cards_for_module(module: DbtModule) -> tuple[SkillCard, ...]:
    """The module's cards in teaching order, for the skills menu."""
    return tuple(card for card in SKILL_CARDS if card.module == module)


@dataclass(frozen=True)
class DiaryTarget:
    """A row on the diary card: a stable key for storage and the words the patient sees."""

    key: str
    label: str


DIARY_DEFAULT_URGES: tuple[DiaryTarget, ...] = (
    DiaryTarget("self_harm", N_("Urge to self-harm")),
    DiaryTarget("suicide", N_("Urge to end my life")),
    DiaryTarget("substance_use", N_("Urge to use alcohol or drugs")),
)

DIARY_DEFAULT_EMOTIONS: tuple[DiaryTarget, ...] = (
    DiaryTarget("sadness", N_("Sadness")),
    DiaryTarget("shame", N_("Shame")),
    DiaryTarget("anger", N_("Anger")),
    DiaryTarget("fear", N_("Fear")),
    DiaryTarget("joy", N_("Joy")),
)


@dataclass(frozen=True)
class RatingScale:
    """An inclusive whole-number scale used on the diary card."""

    low: int
    high: int

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high


URGE_SCALE = RatingScale(0, 5)
EMOTION_SCALE = RatingScale(0, 5)
SKILLS_SCALE = RatingScale(0, 7)

SKILLS_USE_LABELS: tuple[str, ...] = (
    N_("Didn't think about skills or use them"),
    N_("Thought about them but didn't use them, and didn't want to"),
    N_("Thought about them but didn't use them, though I wanted to"),
    N_("Tried to use them but couldn't"),
    N_("Tried and managed to use them, but they didn't help"),
    N_("Tried and managed to use them, and they helped"),
    N_("Used them without having to try, but they didn't help"),
    N_("Used them without having to try, and they helped"),
)
"""Diary card skills rating 0-7, indexed by value: 0 = not thought of or used ... 7 = used them and they helped."""
