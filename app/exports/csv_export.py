"""CSV exports for spreadsheets: a patient's dated record in "long" form, and the caseload one row per patient.

Long layout: one row per measured value (date, time, type, entry, measure, value, detail), so a clinic can pivot
any measure by date. `value` holds the number or short coded word a pivot sums or counts; `detail` holds the
human context (band, answer wording, item or assignment title) or, for text-only measures, the free text itself.
`entry` ("table/id") ties together the rows of one check-in, questionnaire or practice. A homework occurrence is
dated by the patient-local day it belongs to and has no time (a daily one is due at midnight, which would mislead);
when done, a "completed_at" row gives the local date and time it was done.
"""
import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from app.activation.ideas import LIFE_AREA_LABELS
from app.checkins.instruments import CLINICIAN_SCALES, INSTRUMENTS, difficulty_label
from app.dbt.skills_library import SKILLS_BY_SLUG
from app.exports.records import PatientRecord, local
from app.i18n.languages import english_name
from app.homework.schedule import OccurrenceView
from app.homework.timing import OccurrenceStatus
from app.models import User
from app.therapist.caseload import CaseloadRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets (OWASP CSV injection)."""

UTF8_BOM = "\ufeff"
"""Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; without it "Åsberg" turns to mojibake."""

Cell = str | int | float | None


def spreadsheet_safe(value: Cell | bool) -> str | int | float:
    """A cell a spreadsheet shows as typed: text that could start a formula gets a leading single quote.

    Numbers we computed are left alone (a change of -7 stays a number); only text can carry an injected formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    # Full-width signs (＝, ＋, －, ＠) are read as formulas too by spreadsheets in East Asian locales: compare the
    # first character's compatibility form as well.
    first = unicodedata.normalize("NFKC", text[:1])
    return "'" + text if text.startswith(FORMULA_STARTS) or first.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell | bool]]) -> str:
    """UTF-8 text with a BOM and a header row; every cell is made spreadsheet-safe and quoted as CSV needs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return UTF8_BOM + buffer.getvalue()


@dataclass(frozen=True)
class MeasureRow:
    """One measured value on a patient-local date (and time, where the entry has one)."""

    date: date
    time: time | None
    type: str
    entry: str
    measure: str
    value: Cell
    detail: str = ""

    def cells(self) -> tuple:
        return (self.date.isoformat(), self.time.strftime("%H:%M") if self.time else "", *astuple(self)[2:])


PATIENT_HEADER = tuple(f.name for f in fields(MeasureRow))


class _Rows:
    """Collects the rows of one entry: same date, time, type and entry key, one row per measure."""

    def __init__(self, patient: User) -> None:
        self.patient = patient
        self.rows: list[MeasureRow] = []

    def entry(self, when: datetime | date, type_: str, key: str, at: time | None = None):
        if isinstance(when, datetime):
            wall = local(when, self.patient)
            day, at = wall.date(), wall.time().replace(second=0, microsecond=0)
        else:
            day = when

        def add(measure: str, value: Cell | bool, detail: str = "", *, skip_empty: bool = True) -> None:
            if skip_empty and value is None and not detail:
                return
            self.rows.append(MeasureRow(day, at, type_, key, measure, value, detail))

        return add


def patient_rows(record: PatientRecord, occurrences: Sequence[OccurrenceView]) -> list[MeasureRow]:
    """Every dated measure and homework entry of the patient, in date and time order."""
    out = _Rows(record.patient)
    for c in record.checkins:
        add = out.entry(c.recorded_at, "checkin", f"mood_checkins/{c.id}")
        add("mood", c.mood)
        add("anxiety", c.anxiety)
        add("sleep_hours", c.sleep_hours)
        add("note", None, c.note)
    for s in record.side_effects:
        add = out.entry(s.recorded_at, "side effect check", f"side_effect_checks/{s.id}")
        add("headache", s.headache)
        add("scalp_discomfort", s.scalp_discomfort)
        add("note", None, s.note)
    for r in record.responses:
        instrument = INSTRUMENTS[r.instrument]
        add = out.entry(r.submitted_at, str(r.instrument), f"questionnaire_responses/{r.id}")
        flag = "; safety item above 0" if r.safety_flag else ""
        add("total", r.total, r.band + flag)
        if r.language != "en":
            add("language", r.language, f"answered in {english_name(r.language)}")
        labels = {option.value: option.label for option in instrument.options}
        for number in instrument.item_numbers:
            add(f"item_{number}", r.answer(number), labels[r.answer(number)])
        if r.difficulty is not None:
            add("difficulty", r.difficulty, difficulty_label(r.difficulty) + " (not scored)")
        if r.experience:
            add("experience", None, r.experience)
    for rating in record.clinician_ratings:
        add = out.entry(rating.rated_on, "clinician rating", f"clinician_ratings/{rating.id}")
        add(str(rating.scale), rating.total, CLINICIAN_SCALES[rating.scale].name)
    courses = {course.id: course.label for course in record.courses}
    for session in record.sessions:
        add = out.entry(session.scheduled_at, "tms session", f"tms_sessions/{session.id}")
        reported = " (reported by patient)" if session.patient_reported else ""
        add("status", str(session.status), courses.get(session.course_id, "") + reported)
    for view in occurrences:
        occ = view.occurrence
        add = out.entry(occ.local_date, "homework occurrence", f"assignments/{view.assignment.id}/{occ.key}")
        add("status", str(view.status), view.assignment.title)
        if view.completion is not None:
            done_at = local(view.completion.completed_at, record.patient)
            add("completed_at", done_at.strftime("%Y-%m-%dT%H:%M"), view.assignment.title)
    items = record.items_by_id
    for p in record.practices:
        item = items.get(p.item_id)
        title = item.description if item else ""
        add = out.entry(p.started_at, "exposure practice", f"exposure_practices/{p.id}")
        add("duration_minutes", p.duration_minutes, title)
        add("suds_before", p.suds_before, title)
        add("suds_peak", p.suds_peak, title)
        add("suds_after", p.suds_after, title)
        add("ritual_resisted", str(p.ritual_resisted) if p.ritual_resisted else None, title if p.ritual_resisted else "")
        add("likelihood_before", p.likelihood_before, p.feared_outcome if p.likelihood_before is not None else "")
        add("likelihood_after", p.likelihood_after, p.what_happened if p.likelihood_after is not None else "")
        add("feared_outcome", None, p.feared_outcome)
        add("what_happened", None, p.what_happened)
        add("notes", None, p.notes)
    for t in record.thought_records:
        add = out.entry(t.completed_at or t.created_at, "thought record", f"thought_records/{t.id}")
        add("status", str(t.status))
        add("situation", None, t.situation)
        add("automatic_thoughts", None, t.automatic_thoughts)
        add("belief_before", t.belief_before)
        for emotion in record.thought_emotions.get(t.id, []):
            add("emotion_intensity", emotion.intensity, emotion.name)
            add("emotion_rerated", emotion.rerated, emotion.name)
        add("evidence_for", None, t.evidence_for)
        add("evidence_against", None, t.evidence_against)
        add("balanced_thought", None, t.balanced_thought)
        add("belief_balanced", t.belief_balanced)
        add("thinking_traps", None, ", ".join(t.traps))
        for comment in record.thought_comments.get(t.id, []):
            add("therapist_comment", None, comment.body)
    for a in record.activities:
        add = out.entry(a.planned_date, "activity", f"activities/{a.id}", at=a.planned_time)
        add("status", str(a.status), a.title)
        add("life_area", str(a.life_area) if a.life_area else None, LIFE_AREA_LABELS.get(a.life_area, "") if a.life_area else "")
        for measure in ("pleasure", "mastery", "mood_before", "mood_after"):
            add(measure, getattr(a, measure), a.title if getattr(a, measure) is not None else "")
        add("note", None, a.note)
    for card in record.diary_cards:
        add = out.entry(card.day, "diary card", f"dbt_diary_cards/{card.id}")
        for rating in record.diary_ratings.get(card.id, []):
            add(f"{rating.kind}:{rating.key}", rating.value, rating.label)
            if rating.acted_on is not None:
                add(f"acted_on:{rating.key}", rating.acted_on, rating.label)
        add("skills_used", card.skills_used)
        add("notes", None, card.notes)
    for use in record.skill_uses:
        add = out.entry(use.used_at, "skill use", f"dbt_skill_uses/{use.id}")
        skill = SKILLS_BY_SLUG.get(use.skill_slug)
        add(use.skill_slug, use.helped, skill.name if skill else "")
        add("note", None, use.note)
    return sorted(out.rows, key=lambda r: (r.date, r.time or time.min, r.type, r.entry))


def patient_csv(record: PatientRecord, occurrences: Sequence[OccurrenceView]) -> str:
    return to_csv(PATIENT_HEADER, (row.cells() for row in patient_rows(record, occurrences)))


def decided_occurrences(views: Sequence[OccurrenceView]) -> list[OccurrenceView]:
    """Occurrences worth a row: done, missed or open; upcoming ones have not happened yet."""
    return [v for v in views if v.status != OccurrenceStatus.UPCOMING]


CASELOAD_HEADER = (
    "patient_id", "name", "email", "account",
    "tms_done", "tms_total", "tms_missed",
    "last_checkin_date", "last_checkin_mood",
    "phq9_baseline", "phq9_latest", "phq9_latest_date", "phq9_change", "phq9_response", "phq9_remission",
    "open_safety_events",
    "homework_7d_on_time", "homework_7d_late", "homework_7d_missed", "homework_7d_open",
)


def account_status(patient: User) -> str:
    if not patient.active:
        return "deactivated"
    return "active" if patient.password_hash else "invited"


def caseload_row(row: CaseloadRow) -> tuple:
    """One patient's line; PHQ-9 cells stay empty without a PHQ-9, never 0 (0 would read as a score)."""
    patient, phq9, done = row.patient, row.phq9, row.adherence
    tz = ZoneInfo(patient.timezone)
    return (
        patient.id, patient.name, patient.email, account_status(patient),
        row.tms["done"], row.tms["total"], row.tms["missed"],
        row.last_checkin.recorded_at.astimezone(tz).date().isoformat() if row.last_checkin else None,
        row.last_checkin.mood if row.last_checkin else None,
        phq9.baseline if phq9 else None, phq9.latest if phq9 else None,
        phq9.on.isoformat() if phq9 else None, phq9.change if phq9 else None,
        phq9.response if phq9 else None, phq9.remission if phq9 else None,
        len(row.open_events),
        done.on_time, done.late, done.missed, done.open,
    )


def caseload_csv(rows: Sequence[CaseloadRow]) -> str:
    return to_csv(CASELOAD_HEADER, (caseload_row(r) for r in rows))
