"""Validation of exposure input (CLINICAL.md, Exposure): SUDS 0-100, likelihood 0-100 %, sane durations and times."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.models.exposure import ExposureKind, RitualResisted
from app.validation import FieldError

SUDS_MIN, SUDS_MAX = 0, 100
LIKELIHOOD_MIN, LIKELIHOOD_MAX = 0, 100
DURATION_MIN, DURATION_MAX = 1, 600
TEXT_MAX = 2000
DESCRIPTION_MAX = 300
CLOCK_SKEW = timedelta(minutes=10)
OLDEST_START = timedelta(days=14)


class ExposureError(FieldError):
    """Bad exposure input; `field` names the form field the message belongs beside."""


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
) -> PracticeInput:
    """A practice log made valid, or ExposureError. The peak is the highest rating during the practice, so the end
    rating can't exceed it; a peak below "before" is allowed (anticipation can be worse than the practice)."""
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
    peak = check_suds("suds_peak", suds_peak)
    after = check_suds("suds_after", suds_after)
    if after > peak:
        raise ExposureError("suds_after", _("The end rating can't be higher than the peak: the peak is the highest "
                            "it got. Raise the peak or lower the end rating."))
    return PracticeInput(
        started_at=practice_start(started_at, duration_minutes, now),
        duration_minutes=duration_minutes,
        suds_before=check_suds("suds_before", suds_before),
        suds_peak=check_suds("suds_peak", suds_peak),
        suds_after=check_suds("suds_after", suds_after),
        ritual_resisted=resisted if kind == ExposureKind.erp else None,
        feared_outcome=check_text("feared_outcome", feared_outcome),
        likelihood_before=check_likelihood("likelihood_before", likelihood_before),
        what_happened=check_text("what_happened", what_happened),
        likelihood_after=check_likelihood("likelihood_after", likelihood_after),
        notes=check_text("notes", notes),
    )
