"""Who needs attention first on the caseload: pure rules over facts gathered for each patient."""
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean

from flask_babel import gettext as _

NO_CHECKIN_DAYS = 3
MOOD_DROP = 2.0
"""A fall of 2 points on the 0-10 mood scale between the last 3 days and the 7 days before is worth a look."""


@dataclass(frozen=True)
class PatientFacts:
    open_safety_events: int = 0
    missed_post_tms: int = 0
    missed_tms_visits: int = 0
    last_checkin: date | None = None
    moods: tuple[tuple[date, int], ...] = field(default_factory=tuple)
    has_started: bool = True


def mood_falling(moods: tuple[tuple[date, int], ...], today: date) -> bool:
    """Mean mood of the last 3 days is at least MOOD_DROP below the mean of the 7 days before them."""
    recent = [m for d, m in moods if today - timedelta(days=2) <= d <= today]
    before = [m for d, m in moods if today - timedelta(days=9) <= d < today - timedelta(days=2)]
    return bool(recent and before) and mean(before) - mean(recent) >= MOOD_DROP


def attention_reasons(facts: PatientFacts, today: date) -> list[str]:
    """Plain-words reasons (in the reader's language), most urgent first (the order of the caseload's "needs attention" sort)."""
    reasons = []
    if facts.open_safety_events:
        reasons.append(_("Safety alert not yet acknowledged"))
    if facts.missed_post_tms:
        reasons.append(_("Missed post-TMS homework (%(num)s in 7 days)", num=facts.missed_post_tms))
    if mood_falling(facts.moods, today):
        reasons.append(_("Mood falling"))
    if facts.missed_tms_visits:
        reasons.append(_("Missed TMS visits (%(num)s in 7 days)", num=facts.missed_tms_visits))
    if facts.has_started and (facts.last_checkin is None or (today - facts.last_checkin).days >= NO_CHECKIN_DAYS):
        reasons.append(_("No check-in for %(days)s+ days", days=NO_CHECKIN_DAYS))
    return reasons


def attention_key(facts: PatientFacts, today: date) -> tuple:
    """Sort key: open safety events first, then by how many and how serious the reasons are."""
    reasons = attention_reasons(facts, today)
    return (0 if facts.open_safety_events else 1, -len(reasons))
