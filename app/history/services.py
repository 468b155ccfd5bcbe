"""A patient's recent entries, and correcting or deleting one of them.

Each function only flushes; the request commits. Every change is audited (app/audit.py). Safety events are never
touched here: they have no link to the entry that raised them, so deleting a diary card leaves its event, and a
corrected diary card goes through the diary page's own safety check (app/dbt/routes.py).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.audit import record_patient_change
from app.history.rules import EntryKind, editable_until, may_change
from app.homework.completion import forget_entry
from app.models import Activity, ActivityStatus, DiaryCard, ExposurePractice, MoodCheckin, User
from app.models.dbt import DiaryRating
from app.models.exposure import HierarchyItem

RECENT_DAYS = 14
"""Recent entries list two weeks: the week a patient may still correct, and the week before, read-only."""
MODELS = {EntryKind.checkin: MoodCheckin, EntryKind.practice: ExposurePractice, EntryKind.activity: Activity,
          EntryKind.diary: DiaryCard}


def made_at(kind: EntryKind, row) -> datetime:
    """When the entry was first made: the edit window runs from here."""
    if kind == EntryKind.checkin:
        return row.recorded_at
    if kind == EntryKind.activity:
        return row.recorded_at or row.created_at
    return row.created_at


def is_editable(kind: EntryKind, row, now: datetime) -> bool:
    return may_change(made_at(kind, row), now)


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    row: object
    made_at: datetime
    editable: bool
    until: datetime | None
    item: HierarchyItem | None = None

    @property
    def edited_at(self) -> datetime | None:
        return self.row.edited_at


def recent_entries(db: Session, patient: User, now: datetime, *, days: int = RECENT_DAYS) -> list[Entry]:
    """The patient's entries of the last `days`, newest first. Activities count once recorded (a plan is not an
    entry yet: it is changed on the activities page)."""
    since = now - timedelta(days=days)
    rows: list[tuple[EntryKind, object, HierarchyItem | None]] = []
    rows += [(EntryKind.checkin, r, None) for r in db.exec(
        select(MoodCheckin).where(MoodCheckin.patient_id == patient.id, MoodCheckin.recorded_at >= since))]
    rows += [(EntryKind.practice, p, item) for p, item in db.exec(
        select(ExposurePractice, HierarchyItem).join(HierarchyItem, HierarchyItem.id == ExposurePractice.item_id)
        .where(ExposurePractice.patient_id == patient.id, ExposurePractice.created_at >= since))]
    rows += [(EntryKind.activity, a, None) for a in db.exec(
        select(Activity).where(Activity.patient_id == patient.id, Activity.status != ActivityStatus.planned,
                               col(Activity.recorded_at) >= since))]
    rows += [(EntryKind.diary, c, None) for c in db.exec(
        select(DiaryCard).where(DiaryCard.patient_id == patient.id, DiaryCard.created_at >= since))]
    entries = [Entry(kind, row, made_at(kind, row), is_editable(kind, row, now), editable_until(made_at(kind, row)),
                     item) for kind, row, item in rows]
    return sorted(entries, key=lambda e: (e.made_at, e.row.id), reverse=True)


def edited_since(db: Session, patient: User, since: datetime) -> list[Entry]:
    """For the therapist's review: entries made or corrected since `since` that the patient has corrected."""
    found = []
    for kind, model in MODELS.items():
        if kind == EntryKind.diary:
            query = select(DiaryCard).where(DiaryCard.patient_id == patient.id, DiaryCard.updated_at >= since,
                                            DiaryCard.updated_at != DiaryCard.created_at)
        else:
            query = select(model).where(model.patient_id == patient.id, col(model.edited_at) >= since)
        for row in db.exec(query):
            found.append(Entry(kind, row, made_at(kind, row), False, None))
    return sorted(found, key=lambda e: e.edited_at, reverse=True)


def edit_checkin(db: Session, *, patient: User, checkin: MoodCheckin, values, at: datetime) -> MoodCheckin:
    checkin.mood, checkin.anxiety, checkin.sleep_hours, checkin.note = (
        values.mood, values.anxiety, values.sleep_hours, values.note)
    return _mark_edited(db, patient, EntryKind.checkin, checkin, at)


def edit_practice(db: Session, *, patient: User, practice: ExposurePractice, entry, at: datetime) -> ExposurePractice:
    """The corrected values; when it began stays as stored (the form doesn't ask again)."""
    for name in ("duration_minutes", "suds_before", "suds_peak", "suds_after", "ritual_resisted", "notes"):
        setattr(practice, name, getattr(entry, name))
    return _mark_edited(db, patient, EntryKind.practice, practice, at)


def mark_activity_edited(db: Session, *, patient: User, activity: Activity, at: datetime) -> Activity:
    return _mark_edited(db, patient, EntryKind.activity, activity, at)


def note_diary_edited(db: Session, *, patient: User, card: DiaryCard, at: datetime) -> None:
    record_patient_change(db, patient=patient, action="history.edit", entry=f"{EntryKind.diary.value}:{card.id}", at=at)


def _mark_edited(db: Session, patient: User, kind: EntryKind, row, at: datetime):
    row.edited_at = at
    db.add(row)
    record_patient_change(db, patient=patient, action="history.edit", entry=f"{kind.value}:{row.id}", at=at)
    db.flush()
    return row


def delete_entry(db: Session, *, patient: User, kind: EntryKind, row, at: datetime) -> None:
    """The entry, and the homework it completed, go; safety events it raised stay (they are kept forever)."""
    entry_id = row.id
    if kind == EntryKind.diary:
        for rating in db.exec(select(DiaryRating).where(DiaryRating.card_id == entry_id)):
            db.delete(rating)
    if kind == EntryKind.activity:
        for copy in db.exec(select(Activity).where(Activity.replanned_from_id == entry_id)):
            copy.replanned_from_id = None
            db.add(copy)
    db.flush()
    forget_entry(db, source=kind.value, source_id=entry_id)
    db.delete(row)
    record_patient_change(db, patient=patient, action="history.delete", entry=f"{kind.value}:{entry_id}", at=at)
    db.flush()
