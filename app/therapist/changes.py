"""What changed since the last session: the few lines at the top of the pre-session review (and of the
physician's weekly coordination summary), each pointing at the section that shows it in full.

`what_changed` is a pure rule over already-gathered facts; `gather` does the queries (a handful per patient)."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _, ngettext
from sqlmodel import Session, select

from app.homework.schedule import PatientHomework, load_homework
from app.homework.timing import POST_TMS_KINDS, OccurrenceStatus
from app.i18n.markers import N_
from app.models import ExposurePractice, HierarchyItem, MoodCheckin, QuestionnaireResponse, SafetyEvent, SideEffectCheck, User

INSTRUMENT_NAMES = {"phq9": "PHQ-9", "gad7": "GAD-7", "pcl5": "PCL-5"}
SIDE_EFFECT_LOOKBACK = timedelta(days=28)
"""A side effect is new when it was not reported in these weeks before the period."""
SIDE_EFFECTS = {
    "headache": N_("headache"), "scalp_discomfort": N_("scalp discomfort"), "seizure": N_("seizure"),
    "fainted": N_("fainting"), "headache_unrelieved": N_("headache not relieved"), "hearing_change": N_("hearing change"),
    "mania_signs": N_("signs of mania"),
}


@dataclass(frozen=True)
class Change:
    text: str
    section: str
    """The review section it summarises: measures, mood, homework, exposure, side-effects, safety."""


@dataclass
class ChangeFacts:
    scores: dict[str, tuple[int | None, list[int]]] = field(default_factory=dict)
    """Instrument code -> (last total before the period, totals in the period in order)."""
    mood_days: list[float] = field(default_factory=list)
    """Daily mean mood in the period, in day order."""
    post_tms_missed: int = 0
    exposure_before_max: int | None = None
    """The highest SUDS step practised before the period."""
    exposure_in_period: dict[int, int] = field(default_factory=dict)
    """Item id -> SUDS of the steps practised in the period."""
    side_effects_before: frozenset[str] = frozenset()
    side_effects_now: dict[str, int] = field(default_factory=dict)
    """Side effect -> worst rating in the period (1 for a yes/no red flag)."""
    safety_events: int = 0
    safety_open: int = 0


def _arrow(before: float, after: float) -> str:
    return "↑" if after > before else "↓" if after < before else "="


def _number(value: float) -> str:
    return f"{value:g}"


def what_changed(facts: ChangeFacts, *, include_exposure: bool = True) -> list[Change]:
    """A few lines, most telling first: safety, scores, mood, missed post-TMS homework, exposure, side effects.

    In the reader's language (gettext; English outside a request)."""
    changes = []
    if facts.safety_events:
        events = ngettext("%(num)d safety event", "%(num)d safety events", facts.safety_events)
        if facts.safety_open:
            events = _("%(events)s, %(num)s not yet acknowledged", events=events, num=facts.safety_open)
        changes.append(Change(events, "safety"))
    for code, (before, totals) in facts.scores.items():
        if not totals:
            continue
        start = before if before is not None else totals[0]
        latest = totals[-1]
        if before is None and len(totals) == 1:
            changes.append(Change(_("%(instrument)s %(total)s (first)", instrument=INSTRUMENT_NAMES[code], total=latest), "measures"))
        else:
            changes.append(Change(f"{INSTRUMENT_NAMES[code]} {start} → {latest} {_arrow(start, latest)}", "measures"))
    if len(facts.mood_days) >= 2:
        first, latest = facts.mood_days[0], facts.mood_days[-1]
        changes.append(Change(_("Mood %(first)s → %(latest)s %(arrow)s", first=_number(first), latest=_number(latest),
                                arrow=_arrow(first, latest)), "mood"))
    if facts.post_tms_missed:
        changes.append(Change(ngettext("%(num)d post-TMS homework task missed", "%(num)d post-TMS homework tasks missed",
                                       facts.post_tms_missed), "homework"))
    if include_exposure:
        floor = facts.exposure_before_max if facts.exposure_before_max is not None else -1
        climbed = sorted(suds for suds in facts.exposure_in_period.values() if suds > floor)
        if climbed:
            changes.append(Change(ngettext("%(num)d exposure step climbed, up to SUDS %(suds)s",
                                           "%(num)d exposure steps climbed, up to SUDS %(suds)s", len(climbed),
                                           suds=climbed[-1]), "exposure"))
    new = [name for name in SIDE_EFFECTS if name in facts.side_effects_now and name not in facts.side_effects_before]
    if new:
        described = ", ".join(_("%(effect)s %(value)s/10", effect=_(SIDE_EFFECTS[n]), value=facts.side_effects_now[n])
                              if n in ("headache", "scalp_discomfort") else _(SIDE_EFFECTS[n]) for n in new)
        changes.append(Change(_("New side effects: %(effects)s", effects=described), "side-effects"))
    return changes


def _effects(check: SideEffectCheck) -> dict[str, int]:
    found = {name: getattr(check, name) for name in ("headache", "scalp_discomfort") if getattr(check, name) > 0}
    found.update({name: 1 for name in SIDE_EFFECTS if name not in found and getattr(check, name) is True})
    return found


def gather(db: Session, patient: User, *, start: datetime, end: datetime, since: date, until: date,
           now: datetime, homework: PatientHomework | None = None) -> ChangeFacts:
    """The facts for `what_changed` over [start, end) (the local days since..until)."""
    facts = ChangeFacts()
    responses = db.exec(select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id,
                                                            QuestionnaireResponse.submitted_at < end)
                        .order_by(QuestionnaireResponse.submitted_at)).all()
    for response in responses:
        code = str(response.instrument)
        before, totals = facts.scores.get(code, (None, []))
        if response.submitted_at < start:
            facts.scores[code] = (response.total, totals)
        else:
            facts.scores[code] = (before, [*totals, response.total])
    days = defaultdict(list)
    tz = ZoneInfo(patient.timezone)
    for checkin in db.exec(select(MoodCheckin).where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= start,
                                                     MoodCheckin.recorded_at < end)):
        days[checkin.recorded_at.astimezone(tz).date()].append(checkin.mood)
    facts.mood_days = [round(sum(v) / len(v), 1) for _, v in sorted(days.items())]
    homework = homework or load_homework(db, [patient], horizon=since)[patient.id]
    facts.post_tms_missed = sum(
        1 for view in homework.views(through=until, now=now, since=since)
        if view.occurrence.kind in POST_TMS_KINDS and view.status == OccurrenceStatus.MISSED
    )
    for started_at, item_id, suds in db.exec(
        select(ExposurePractice.started_at, HierarchyItem.id, HierarchyItem.suds)
        .join(HierarchyItem, HierarchyItem.id == ExposurePractice.item_id)
        .where(ExposurePractice.patient_id == patient.id, ExposurePractice.started_at < end)
    ):
        if started_at < start:
            facts.exposure_before_max = max(suds, facts.exposure_before_max or 0)
        else:
            facts.exposure_in_period[item_id] = suds
    before, now_effects = set(), {}
    for check in db.exec(select(SideEffectCheck).where(SideEffectCheck.patient_id == patient.id,
                                                       SideEffectCheck.recorded_at >= start - SIDE_EFFECT_LOOKBACK,
                                                       SideEffectCheck.recorded_at < end)):
        effects = _effects(check)
        if check.recorded_at < start:
            before |= effects.keys()
        else:
            for name, value in effects.items():
                now_effects[name] = max(value, now_effects.get(name, 0))
    facts.side_effects_before, facts.side_effects_now = frozenset(before), now_effects
    events = db.exec(select(SafetyEvent).where(SafetyEvent.patient_id == patient.id, SafetyEvent.created_at >= start,
                                               SafetyEvent.created_at < end)).all()
    facts.safety_events = len(events)
    facts.safety_open = sum(event.acknowledged_at is None for event in events)
    return facts
