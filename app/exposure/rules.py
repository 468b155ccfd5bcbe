"""Validation of exposure input (CLINICAL.md, Exposure): SUDS 0-100, likelihood 0-100 %, sane durations and times,
and the peak as the highest of every rating given (before, those the timer asked for, and at the end)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.models.exposure import ExposureKind, RitualResisted
from app.validation import FieldError, whole_number

SUDS_MIN, SUDS_MAX = 0, 100
LIKELIHOOD_MIN, LIKELIHOOD_MAX = 0, 100
DURATION_MIN, DURATION_MAX = 1, 600
TEXT_MAX = 2000
DESCRIPTION_MAX = 300
CLOCK_SKEW = timedelta(minutes=10)
OLDEST_START = timedelta(days=14)
MAX_TIMED_RATINGS = 120


class ExposureError(FieldError):
    """Bad exposure input; `field` names the form field the message belongs beside."""


@dataclass(frozen=True)
class TimedRating:
    """A SUDS given `minute` minutes into the practice, when the session timer asked."""

    minute: int
    suds: int


@dataclass(frozen=True)
class PracticeInput:
    started_at: datetime
    duration_minutes: int
    suds_before: int
    suds_peak: int
    suds_after: int
    ritual_resisted: RitualResisted | None
    feared_outcome: str
    likelihood_before: int | None
    what_happened: str
    likelihood_after: int | None
    notes: str
    timed_ratings: tuple[TimedRating, ...] = ()


def check_suds(field: str, value: int | None) -> int:
    if value is None:
        raise ExposureError(field, _("Choose a SUDS rating from 0 to 100."))
    if not SUDS_MIN <= value <= SUDS_MAX:
        raise ExposureError(field, _("SUDS goes from 0 (calm) to 100 (the most distress you can imagine)."))
    return value


def check_likelihood(field: str, value: int | None) -> int | None:
    if value is not None and not LIKELIHOOD_MIN <= value <= LIKELIHOOD_MAX:
        raise ExposureError(field, _("Give a likelihood from 0 to 100 %."))
    return value


def check_text(field: str, value: str | None, *, limit: int = TEXT_MAX, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ExposureError(field, required)
    if len(value) > limit:
        raise ExposureError(field, _("Keep this to %(n)s characters or fewer.", n=limit))
    return value


def practice_start(started_at: datetime | None, duration_minutes: int, now: datetime) -> datetime:
    """When the practice began: the timer's stored start if plausible, else counted back from now by its duration."""
    if started_at is not None and now - OLDEST_START <= started_at <= now + CLOCK_SKEW:
        return min(started_at, now)
    return now - timedelta(minutes=duration_minutes)


def parse_timed_ratings(raw: str | None) -> tuple[TimedRating, ...]:
    """The timer's ratings as static/js/exposure.js sends them: "minute:suds" pairs joined by commas, in time order.

    Nothing is guessed: a pair that isn't two whole numbers in range, or out of time order, refuses the whole list.
    """
    raw = (raw or "").strip()
    if not raw:
        return ()
    pairs = raw.split(",")
    if len(pairs) > MAX_TIMED_RATINGS:
        raise ExposureError("timed_ratings", _("Keep to %(n)s ratings during one practice.", n=MAX_TIMED_RATINGS))
    ratings = []
    for pair in pairs:
        minute, _colon, suds = pair.strip().partition(":")
        minute, suds = whole_number(minute), whole_number(suds)
        if minute is None or suds is None or not 0 <= minute <= DURATION_MAX:
            raise ExposureError("timed_ratings", _("The ratings during the practice could not be read. Restart "
                                                      "the timer to give them again."))
        if not SUDS_MIN <= suds <= SUDS_MAX:
            raise ExposureError("timed_ratings", _("SUDS goes from 0 (calm) to 100 (the most distress you can "
                                                      "imagine)."))
        if ratings and minute < ratings[-1].minute:
            raise ExposureError("timed_ratings", _("The ratings during the practice are out of time order."))
        ratings.append(TimedRating(minute, suds))
    return tuple(ratings)


def check_peak(*, before: int, peak: int, after: int, timed: tuple[TimedRating, ...]) -> None:
    """The peak is the highest it got, so no other rating of the same practice may be above it."""
    if after > peak:
        raise ExposureError("suds_after", _("The end rating can't be higher than the peak: the peak is the highest "
                                            "it got. Raise the peak or lower the end rating."))
    if before > peak:
        raise ExposureError("suds_peak", _("The peak is the highest it got, so it can't be lower than your rating "
                                           "before (%(before)s). Raise the peak or lower the rating before.",
                                           before=before))
    highest = max(timed, key=lambda rating: rating.suds, default=None)
    if highest is not None and highest.suds > peak:
        raise ExposureError("suds_peak", _("The peak is the highest it got, so it can't be lower than the "
                                           "%(suds)s you gave at minute %(minute)s. Raise the peak.",
                                           suds=highest.suds, minute=highest.minute))


def check_practice(
    *,
    kind: ExposureKind,
    started_at: datetime | None,
    duration_minutes: int | None,
    suds_before: int | None,
    suds_peak: int | None,
    suds_after: int | None,
    ritual_resisted: str | None,
    feared_outcome: str | None,
    likelihood_before: int | None,
    what_happened: str | None,
    likelihood_after: int | None,
    notes: str | None,
    now: datetime,
    timed_ratings: str | None = None,
) -> PracticeInput:
    """A practice log made valid, or ExposureError. The peak is the highest rating of the practice (issue 17): the
    rating before, every rating the timer asked for and the end rating are all at most the peak."""
    if duration_minutes is None or not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        raise ExposureError("duration_minutes", _("Give the time you spent, from 1 to 600 minutes."))
    resisted = None
    if ritual_resisted:
        try:
            resisted = RitualResisted(ritual_resisted)
        except ValueError:
            raise ExposureError("ritual_resisted", _("Choose fully, partly or not.")) from None
    if kind == ExposureKind.erp and resisted is None:
        raise ExposureError("ritual_resisted", _("Say whether you held off the ritual: fully, partly or not."))
    before = check_suds("suds_before", suds_before)
    peak = check_suds("suds_peak", suds_peak)
    after = check_suds("suds_after", suds_after)
    timed = parse_timed_ratings(timed_ratings)
    if timed and timed[-1].minute > duration_minutes:
        raise ExposureError("duration_minutes", _("You gave a rating at minute %(minute)s, so the practice lasted at "
                                                   "least %(minute)s minutes.", minute=timed[-1].minute))
    check_peak(before=before, peak=peak, after=after, timed=timed)
    return PracticeInput(
        started_at=practice_start(started_at, duration_minutes, now),
        duration_minutes=duration_minutes,
        suds_before=before,
        suds_peak=peak,
        suds_after=after,
        ritual_resisted=resisted if kind == ExposureKind.erp else None,
        feared_outcome=check_text("feared_outcome", feared_outcome),
        likelihood_before=check_likelihood("likelihood_before", likelihood_before),
        what_happened=check_text("what_happened", what_happened),
        likelihood_after=check_likelihood("likelihood_after", likelihood_after),
        notes=check_text("notes", notes),
        timed_ratings=timed,
    )
