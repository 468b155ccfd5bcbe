"""The patient's own entries as a readable summary, month by month, for "My data" (printable).

Built from the same PatientRecord as the JSON download, in the patient's time zone. Questionnaires show that they
were answered, never their totals or severity (patients see scores only when their therapist turns that on:
CLINICAL.md, Safety); everything else is what the patient entered, in the words the app uses.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.checkins.instruments import INSTRUMENTS
from app.checkins.services import SHORT_NAMES
from app.checkins.wording import wording_for
from app.dbt.skills_library import SKILLS_BY_SLUG
from app.exports.records import PatientRecord
from app.formatting import monthyear
from app.homework.timing import SessionStatus
from app.i18n import current_language
from app.i18n.markers import N_
from app.models.activation import ActivityStatus

SESSION_WORDS = {
    SessionStatus.COMPLETED: N_("TMS visit"),
    SessionStatus.MISSED: N_("TMS visit (missed)"),
    SessionStatus.CANCELLED: N_("TMS visit (cancelled)"),
    SessionStatus.SCHEDULED: N_("TMS visit (booked)"),
}


@dataclass(frozen=True)
class SummaryLine:
    at: datetime
    """Local time of the entry; midnight for entries that belong to a day (a diary card, an activity plan)."""
    kind: str
    text: str
    note: str = ""
    timed: bool = True


@dataclass
class Month:
    year: int
    month: int
    lines: list[SummaryLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return monthyear(date(self.year, self.month, 1))


def _of(value: int | None, scale: int) -> str | None:
    return None if value is None else f"{value}/{scale}"


def _joined(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


def summary_lines(record: PatientRecord, *, now: datetime) -> list[SummaryLine]:
    """Every entry the patient made (and each TMS visit up to now), as one line each, in the patient's zone."""
    tz = ZoneInfo(record.patient.timezone)

    def local(instant: datetime) -> datetime:
        return instant.astimezone(tz)

    def day(value: date) -> datetime:
        return datetime.combine(value, time(0), tz)

    lines = []
    for checkin in record.checkins:
        sleep = _("slept %(hours)s h", hours=format(checkin.sleep_hours, "g")) if checkin.sleep_hours is not None else None
        anxiety = _of(checkin.anxiety, 10)
        lines.append(SummaryLine(local(checkin.recorded_at), _("Check-in"), _joined(
            _("mood %(n)s/10", n=checkin.mood), _("anxiety %(n)s", n=anxiety) if anxiety else None, sleep), checkin.note))
    for check in record.side_effects:
        lines.append(SummaryLine(local(check.recorded_at), _("After TMS"), _joined(
            _("headache %(n)s/10", n=check.headache), _("scalp discomfort %(n)s/10", n=check.scalp_discomfort)), check.note))
    for response in record.responses:
        lines.append(SummaryLine(local(response.submitted_at), _("Questionnaire"),
                                 _("%(name)s answered", name=_instrument_name(response.instrument))))
    for session in record.sessions:
        if session.scheduled_at <= now or session.status != SessionStatus.SCHEDULED:
            lines.append(SummaryLine(local(session.scheduled_at), "TMS", _(SESSION_WORDS[session.status])))
    for thought in record.thought_records:
        if thought.completed_at is not None:
            lines.append(SummaryLine(local(thought.completed_at), _("Thought record"), thought.situation,
                                     _("Balanced thought: %(text)s", text=thought.balanced_thought) if thought.balanced_thought else ""))
    for activity in record.activities:
        if activity.status == ActivityStatus.planned:
            continue
        done = activity.status == ActivityStatus.done
        lines.append(SummaryLine(
            local(activity.recorded_at) if activity.recorded_at else day(activity.planned_date), _("Activity"),
            _joined(activity.title, _("done") if done else _("not done"),
                    _("pleasure %(n)s/10", n=activity.pleasure) if activity.pleasure is not None else None,
                    _("achievement %(n)s/10", n=activity.mastery) if activity.mastery is not None else None),
            activity.note, timed=activity.recorded_at is not None))
    items = record.items_by_id
    for practice in record.practices:
        item = items.get(practice.item_id)
        lines.append(SummaryLine(local(practice.started_at), _("Exposure practice"), _joined(
            item.description if item else None, _("%(n)s min", n=practice.duration_minutes),
            _("distress %(before)s → peak %(peak)s → %(after)s", before=practice.suds_before, peak=practice.suds_peak,
              after=practice.suds_after)), practice.notes))
    for card in record.diary_cards:
        lines.append(SummaryLine(day(card.day), _("Diary card"), _joined(
            _("filled in"), _("skills %(n)s/7", n=card.skills_used) if card.skills_used is not None else None), card.notes,
            timed=False))
    for use in record.skill_uses:
        skill = SKILLS_BY_SLUG.get(use.skill_slug)
        lines.append(SummaryLine(local(use.used_at), _("Skill"), _joined(
            _(skill.name) if skill else use.skill_slug, _("helped %(n)s/7", n=use.helped)), use.note))
    for event in record.safety_events:
        lines.append(SummaryLine(local(event.created_at), _("Safety"), _("Your care team was alerted")))
    return sorted(lines, key=lambda line: line.at)


def _instrument_name(code: str) -> str:
    """The instrument's full title where the reader's language has validated wording, else its short name."""
    wording = wording_for(INSTRUMENTS[code], current_language())
    return SHORT_NAMES.get(code, code) if wording.fell_back_to_english else wording.instrument.title


def by_month(lines: list[SummaryLine]) -> list[Month]:
    """Lines grouped into calendar months (of the patient's zone), oldest month first."""
    months: list[Month] = []
    for line in lines:
        if not months or (months[-1].year, months[-1].month) != (line.at.year, line.at.month):
            months.append(Month(line.at.year, line.at.month))
        months[-1].lines.append(line)
    return months
