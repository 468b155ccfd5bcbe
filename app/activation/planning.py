"""Behavioural activation rules (CLINICAL.md): what a plan and an outcome must hold, the week a day belongs to,
where a missed activity is re-planned, and the planned-vs-done picture therapists look at.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import gettext as _

from app import validation
from app.activation.ideas import LifeArea

TITLE_LIMIT = 120
NOTE_LIMIT = 2000
PAST_DAYS = 7
FUTURE_DAYS = 90
"""A plan may be back-dated a week (to log something done but not planned) and look ahead about three months."""


@dataclass(frozen=True)
class PlanInput:
    title: str
    life_area: LifeArea | None
    planned_date: date
    planned_time: time | None


@dataclass(frozen=True)
class OutcomeInput:
    """Done with pleasure and mastery 0-10 (mood before/after optional 0-10), or not done (no ratings)."""

    done: bool
    pleasure: int | None
    mastery: int | None
    mood_before: int | None
    mood_after: int | None
    note: str


@dataclass(frozen=True)
class ActivityFact:
    """What the summary needs from one activity."""

    done: bool | None
    pleasure: int | None
    mastery: int | None
    mood_before: int | None
    mood_after: int | None


@dataclass(frozen=True)
class PlanSummary:
    planned: int
    done: int
    not_done: int
    open: int
    mean_pleasure: float | None
    mean_mastery: float | None
    mean_mood_change: float | None


def life_area_of(raw: object, *, required: bool = False) -> LifeArea | None:
    """A life area from the form; blank is None unless required."""
    if raw in (None, "") and not required:
        return None
    try:
        return LifeArea(str(raw))
    except ValueError:
        message = _("Choose a life area.") if required else _("Choose a life area from the list, or none.")
        raise validation.FieldError("life_area", message) from None


def _day(raw: object, today: date) -> date:
    day = validation.iso_date(raw)
    if day is None:
        raise validation.FieldError("planned_date", _("Choose the day, like 2026-03-14."))
    if day < today - timedelta(days=PAST_DAYS):
        raise validation.FieldError("planned_date", _("Choose a day no more than %(n)s days ago.", n=PAST_DAYS))
    if day > today + timedelta(days=FUTURE_DAYS):
        raise validation.FieldError("planned_date", _("Plan at most %(n)s days ahead.", n=FUTURE_DAYS))
    return day


def _time(raw: object) -> time | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise validation.FieldError("planned_time", _("Give a time like 17:30, or leave it empty.")) from None
    return parsed.replace(second=0, microsecond=0)


def validate_plan(raw: Mapping[str, object], *, today: date) -> PlanInput:
    """Check a planned activity (title, optional life area, a patient-local day and optional time)."""
    found = validation.Collector()
    title = found.check(validation.text, raw.get("title"), field="title", label=_("What you'll do"),
                        limit=TITLE_LIMIT, required=True)
    area = found.check(life_area_of, raw.get("life_area"))
    day = found.check(_day, raw.get("planned_date"), today)
    at = found.check(_time, raw.get("planned_time"))
    found.raise_if_any()
    return PlanInput(title=title, life_area=area, planned_date=day, planned_time=at)


def validate_outcome(raw: Mapping[str, object]) -> OutcomeInput:
    """Check how an activity went; ratings are required only when it was done, and dropped when it was not."""
    found = validation.Collector()
    choice = str(raw.get("outcome") or "")
    if choice not in ("done", "not_done"):
        found.add("outcome", _("Say whether you did it."))
    done = choice == "done"

    def rating(field: str, label: str, required: bool) -> int | None:
        return found.check(validation.score, raw.get(field), field=field, label=label, low=0, high=10,
                           required=required)

    pleasure = rating("pleasure", _("Pleasure"), done)
    mastery = rating("mastery", _("Sense of achievement"), done)
    mood_before = rating("mood_before", _("Mood before"), False)
    mood_after = rating("mood_after", _("Mood after"), False)
    note = found.check(validation.text, raw.get("note"), field="note", label=_("Your note"), limit=NOTE_LIMIT)
    found.raise_if_any()
    if not done:
        return OutcomeInput(False, None, None, None, None, note or "")
    return OutcomeInput(True, pleasure, mastery, mood_before, mood_after, note or "")


def week_of(day: date) -> list[date]:
    """The Monday-to-Sunday week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def replan_date(planned: date, today: date) -> date:
    """A missed activity moves to the day after it was planned, but never into the past: a try today beats none."""
    return max(planned + timedelta(days=1), today)


def _mean(values: Iterable[int]) -> float | None:
    numbers = list(values)
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def summarize(activities: Iterable[ActivityFact]) -> PlanSummary:
    """Planned vs done, and mean pleasure, mastery and mood change over the done ones that were rated."""
    facts = list(activities)
    done = [f for f in facts if f.done]
    return PlanSummary(
        planned=len(facts),
        done=len(done),
        not_done=sum(1 for f in facts if f.done is False),
        open=sum(1 for f in facts if f.done is None),
        mean_pleasure=_mean(f.pleasure for f in done if f.pleasure is not None),
        mean_mastery=_mean(f.mastery for f in done if f.mastery is not None),
        mean_mood_change=_mean(f.mood_after - f.mood_before for f in done
                               if f.mood_before is not None and f.mood_after is not None),
    )
