"""Self-report questionnaires (PHQ-9, GAD-7, PCL-5), their scoring, and clinician-entered totals.

Item texts and answer options are the published public-domain wording (CLINICAL.md, Measures); nothing here
touches Flask or the database.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from collections.abc import Sequence
from datetime import datetime, timedelta


class InstrumentCode(StrEnum):
    PHQ9 = "phq9"
    GAD7 = "gad7"
    PCL5 = "pcl5"


@dataclass(frozen=True)
class AnswerOption:
    value: int
    label: str


@dataclass(frozen=True)
class Band:
    """An inclusive range of totals and the severity label clinicians use for it."""

    low: int
    high: int
    label: str

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True)
class Instrument:
    """A questionnaire as published; checks on creation that its bands tile 0..max_total without gaps."""

    code: InstrumentCode
    title: str
    timeframe_prompt: str
    items: tuple[str, ...]
    options: tuple[AnswerOption, ...]
    bands: tuple[Band, ...]
    loinc_panel: str | None
    loinc_total: str | None
    max_total: int
    safety_item: int | None = None

    def __post_init__(self) -> None:
        values = [option.value for option in self.options]
        if values != list(range(len(values))):
            raise ValueError(f"{self.code}: option values must run 0, 1, 2 ... in order")
        if self.max_total != len(self.items) * values[-1]:
            raise ValueError(f"{self.code}: max_total must equal items x highest option value")
        expected_low = 0
        for band in self.bands:
            if band.low != expected_low or band.high < band.low:
                raise ValueError(f"{self.code}: bands must be contiguous from 0")
            expected_low = band.high + 1
        if expected_low != self.max_total + 1:
            raise ValueError(f"{self.code}: bands must end at max_total")
        if self.safety_item is not None and not 1 <= self.safety_item <= len(self.items):
            raise ValueError(f"{self.code}: safety_item must be an item number")

    @property
    def item_numbers(self) -> range:
        return range(1, len(self.items) + 1)

    @property
    def option_values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"{self.code}: total {total} is outside 0-{self.max_total}")


def item_field_name(number: int) -> str:
    """The form field name for an item, so templates and validation agree ("item1" ... "itemN")."""
    return f"item{number}"


FREQUENCY_OPTIONS = (
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "Several days"),
    AnswerOption(2, "More than half the days"),
    AnswerOption(3, "Nearly every day"),
)

PCL5_OPTIONS = (
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "A little bit"),
    AnswerOption(2, "Moderately"),
    AnswerOption(3, "Quite a bit"),
    AnswerOption(4, "Extremely"),
)

PHQ9_DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to do your work, "
    "take care of things at home, or get along with other people?"
)
PHQ9_DIFFICULTY_OPTIONS = (
    AnswerOption(0, "Not difficult at all"),
    AnswerOption(1, "Somewhat difficult"),
    AnswerOption(2, "Very difficult"),
    AnswerOption(3, "Extremely difficult"),
)
"""The PHQ-9's closing question: asked, stored, shown and exported, never added to the total (CLINICAL.md)."""

PCL5_EXPERIENCE_MAX = 200
"""A short name for the experience ("the car accident in 2019"), not a narrative: it is shown on every form."""

PHQ9_SAFETY_ITEM = 9
"""PHQ-9 item 9 (thoughts of being better off dead or of self-harm): any answer above 0 is a safety event."""

PCL5_PROBABLE_PTSD_THRESHOLD = 31
"""Published PCL-5 cut-points for probable PTSD run 31-33; we take 31, the low end, so fewer patients are missed.

A screen that flags a few more people for the therapist to look at is safer than one that misses someone.
"""

PHQ9 = Instrument(
    code=InstrumentCode.PHQ9,
    title="Patient Health Questionnaire (PHQ-9)",
    timeframe_prompt="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ),
    options=FREQUENCY_OPTIONS,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
    max_total=27,
    safety_item=PHQ9_SAFETY_ITEM,
)

GAD7 = Instrument(
    code=InstrumentCode.GAD7,
    title="Generalized Anxiety Disorder scale (GAD-7)",
    timeframe_prompt="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    options=FREQUENCY_OPTIONS,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
    max_total=21,
)

PCL5 = Instrument(
    code=InstrumentCode.PCL5,
    title="PTSD Checklist for DSM-5 (PCL-5)",
    timeframe_prompt="In the past month, how much were you bothered by:",
    items=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you "
        "were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful experience (for "
        "example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, conversations, "
        "activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for example, having "
        "thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the "
        "world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving "
        "feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    options=PCL5_OPTIONS,
    bands=(
        Band(0, PCL5_PROBABLE_PTSD_THRESHOLD - 1, "below threshold"),
        Band(PCL5_PROBABLE_PTSD_THRESHOLD, 80, "probable PTSD"),
    ),
    loinc_panel=None,
    loinc_total=None,
    max_total=80,
)

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {instrument.code: instrument for instrument in (PHQ9, GAD7, PCL5)}
)


MISSING_ANSWER = "Please choose an answer for this question."
INVALID_ANSWER = "Please choose one of the answers shown."
CONFLICTING_ANSWER = "This question was answered twice with different answers; please choose one."

_INTEGER = re.compile(r"-?[0-9]{1,9}")


class AnswersInvalid(ValueError):
    """Every unanswered or unusable item at once, so a form can mark all the gaps in one pass."""

    def __init__(self, errors: Mapping[int, str]) -> None:
        self.errors: dict[int, str] = dict(sorted(errors.items()))
        numbers = ", ".join(str(number) for number in self.errors)
        super().__init__(f"Some answers are missing or not valid (questions {numbers}).")

    @property
    def field_errors(self) -> dict[str, str]:
        return {item_field_name(number): message for number, message in self.errors.items()}


def _parse_whole_number(raw: object) -> int | None:
    """A form value as an int, or None when blank; raises ValueError when it is not a whole number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("not an answer value")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if _INTEGER.fullmatch(text):
            return int(text)
    raise ValueError("not an answer value")


def validate_answers(instrument: Instrument, raw: Mapping[Any, str | int | None]) -> dict[int, int]:
    """Item number -> answer for every item, read from int keys or "itemN" form fields; other keys are ignored."""
    answers: dict[int, int] = {}
    errors: dict[int, str] = {}
    for number in instrument.item_numbers:
        given = [raw[key] for key in (number, item_field_name(number)) if key in raw]
        try:
            parsed = {_parse_whole_number(value) for value in given} - {None}
        except ValueError:
            errors[number] = INVALID_ANSWER
            continue
        if not parsed:
            errors[number] = MISSING_ANSWER
        elif len(parsed) > 1:
            errors[number] = CONFLICTING_ANSWER
        else:
            value = parsed.pop()
            if value in instrument.option_values:
                answers[number] = value
            else:
                errors[number] = INVALID_ANSWER
    if errors:
        raise AnswersInvalid(errors)
    return answers


@dataclass(frozen=True)
class Score:
    total: int
    band_label: str
    safety_flag: bool


def score(instrument: Instrument, answers: Mapping[int, int]) -> Score:
    """Total, severity band and safety flag; the flag follows the safety item alone (CLINICAL.md, Safety)."""
    checked = validate_answers(instrument, answers)
    total = sum(checked.values())
    safety_flag = instrument.safety_item is not None and checked[instrument.safety_item] > 0
    return Score(total=total, band_label=instrument.band_for(total).label, safety_flag=safety_flag)


@dataclass(frozen=True)
class Outcome:
    """Change from baseline; negative change and percent_change mean improvement."""

    change: int
    percent_change: float | None
    response: bool
    remission: bool
    judged: bool = True
    """False when the baseline is below the moderate range: then only the change is meaningful (CLINICAL.md)."""


PHQ9_REMISSION_BELOW = 5
PHQ9_OUTCOME_BASELINE_FROM = 10
"""Response and remission are only meaningful from a baseline in the moderate range or above (CLINICAL.md)."""
BASELINE_LOOKBACK_DAYS = 14
"""The course's baseline is the last PHQ-9 in the 14 days before its first session, else its first PHQ-9."""


def course_baseline(submitted: Sequence[tuple[datetime, int]], first_session: datetime | None) -> int | None:
    """Index in `submitted` (sorted by time) of the PHQ-9 that is the current course's baseline, or None.

    Without a course, the first PHQ-9 stands in. Never a PHQ-9 from before the lookback (an earlier course's)."""
    if not submitted:
        return None
    if first_session is None:
        return 0
    earliest = first_session - timedelta(days=BASELINE_LOOKBACK_DAYS)
    before = [index for index, (at, _total) in enumerate(submitted) if earliest <= at < first_session]
    if before:
        return before[-1]
    return next((index for index, (at, _total) in enumerate(submitted) if at >= first_session), None)


class TotalInvalid(ValueError):
    """A total outside its scale's range, with the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def phq9_outcome(baseline_total: int, current_total: int) -> Outcome:
    """Response is a fall of at least 50 % from baseline; remission is a total below 5 (CLINICAL.md, PHQ-9).

    Both are judged only from a baseline of 10 or more; below that the change alone is reported (judged=False).
    """
    for field, total in (("baseline_total", baseline_total), ("current_total", current_total)):
        if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= PHQ9.max_total:
            raise TotalInvalid(field, f"A PHQ-9 total must be a whole number from 0 to {PHQ9.max_total}.")
    change = current_total - baseline_total
    if baseline_total < PHQ9_OUTCOME_BASELINE_FROM:
        percent = None if baseline_total == 0 else change * 100 / baseline_total
        return Outcome(change, percent, response=False, remission=False, judged=False)
    return Outcome(
        change=change,
        percent_change=change * 100 / baseline_total,
        response=2 * current_total <= baseline_total,
        remission=current_total < PHQ9_REMISSION_BELOW,
    )


class ClinicianScaleCode(StrEnum):
    YBOCS = "ybocs"
    HAMD = "hamd"
    MADRS = "madrs"


@dataclass(frozen=True)
class ClinicianScale:
    """A clinician-rated scale: the app keeps only the total a clinician enters, never items (CLINICAL.md)."""

    code: ClinicianScaleCode
    name: str
    min_total: int
    max_total: int


CLINICIAN_SCALES: Mapping[str, ClinicianScale] = MappingProxyType(
    {
        scale.code: scale
        for scale in (
            ClinicianScale(ClinicianScaleCode.YBOCS, "Yale-Brown Obsessive Compulsive Scale (Y-BOCS)", 0, 40),
            ClinicianScale(ClinicianScaleCode.HAMD, "Hamilton Depression Rating Scale, 17-item (HAM-D)", 0, 52),
            ClinicianScale(
                ClinicianScaleCode.MADRS, "Montgomery\u2013\u00c5sberg Depression Rating Scale (MADRS)", 0, 60
            ),
        )
    }
)


def validate_clinician_total(code: str, value: str | int) -> int:
    """The entered total as an int within the scale's range, or TotalInvalid naming the field to mark."""
    scale = CLINICIAN_SCALES.get(code)
    if scale is None:
        raise TotalInvalid("scale", "Please choose one of the listed rating scales.")
    message = f"Enter the {scale.name} total as a whole number from {scale.min_total} to {scale.max_total}."
    try:
        total = _parse_whole_number(value)
    except ValueError:
        raise TotalInvalid("total", message) from None
    if total is None or not scale.min_total <= total <= scale.max_total:
        raise TotalInvalid("total", message)
    return total


def parse_difficulty(raw: str | int | None) -> int | None:
    """The PHQ-9 difficulty answer, or None when skipped (it is optional, as on the paper form); TotalInvalid if
    it is not one of the four answers."""
    try:
        value = _parse_whole_number(raw)
    except ValueError:
        value = -1
    if value is None:
        return None
    if value not in {option.value for option in PHQ9_DIFFICULTY_OPTIONS}:
        raise TotalInvalid("difficulty", "Choose one of the four answers, or leave this question out.")
    return value


def difficulty_label(value: int | None) -> str:
    return "" if value is None else PHQ9_DIFFICULTY_OPTIONS[value].label


def parse_experience(raw: str | None) -> str:
    """The named stressful experience for the PCL-5: required (the items ask about it), short."""
    text = " ".join((raw or "").split())
    if not text:
        raise TotalInvalid("experience", "Name the stressful experience these questions are about.")
    if len(text) > PCL5_EXPERIENCE_MAX:
        raise TotalInvalid("experience", f"Keep it short: at most {PCL5_EXPERIENCE_MAX} characters.")
    return text
