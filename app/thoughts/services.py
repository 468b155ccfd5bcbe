"""Thought record operations: save a draft, complete a record, edit it, comment on it. Each only flushes."""
from datetime import datetime

from flask import abort
from sqlmodel import Session, col, delete, select

from app import validation
from app.homework.completion import record_completion
from app.models import HomeworkKind, RecordStatus, ThoughtComment, ThoughtEmotion, ThoughtRecord, User
from app.thoughts.columns import TEXT_LIMIT, EmotionRating, ThoughtRecordInput


def get_record_for(db: Session, patient: User, record_id: int) -> ThoughtRecord:
    """The patient's own record, else 404: another patient's record is indistinguishable from a missing one."""
    record = db.get(ThoughtRecord, record_id)
    if record is None or record.patient_id != patient.id:
        abort(404)
    return record


def _apply(db: Session, record: ThoughtRecord, entry: ThoughtRecordInput, at: datetime) -> None:
    for field in ("situation", "automatic_thoughts", "belief_before", "evidence_for", "evidence_against",
                  "balanced_thought", "belief_balanced"):
        setattr(record, field, getattr(entry, field))
    record.traps = list(entry.traps)
    record.updated_at = at
    if record.id is None:
        db.add(record)
        db.flush()
    else:
        db.exec(delete(ThoughtEmotion).where(col(ThoughtEmotion.record_id) == record.id))
    for position, emotion in enumerate(entry.emotions):
        db.add(ThoughtEmotion(record_id=record.id, position=position, name=emotion.name,
                              intensity=emotion.intensity, rerated=emotion.rerated))


def save_record(
    db: Session, *, patient: User, entry: ThoughtRecordInput, complete: bool, at: datetime,
    record: ThoughtRecord | None = None,
) -> ThoughtRecord:
    """Create or update a record. Completing it (a draft or a new one) completes a thought-record homework
    occurrence once; a complete record stays complete when edited and never completes homework twice.
    """
    if record is None:
        record = ThoughtRecord(patient_id=patient.id, created_at=at)
    elif record.patient_id != patient.id:
        abort(404)
    _apply(db, record, entry, at)
    if complete and record.status == RecordStatus.draft:
        record.status = RecordStatus.complete
        record.completed_at = at
        db.flush()
        record_completion(db, patient=patient, kind=HomeworkKind.thought_record, at=at,
                          source=ThoughtRecord.__tablename__, source_id=record.id)
    db.flush()
    return record


def emotions_of(db: Session, record_ids: list[int]) -> dict[int, list[EmotionRating]]:
    """Emotion rows for many records in one query, in the order the patient wrote them."""
    rows: dict[int, list[EmotionRating]] = {record_id: [] for record_id in record_ids}
    if record_ids:
        for row in db.exec(select(ThoughtEmotion).where(col(ThoughtEmotion.record_id).in_(record_ids))
                           .order_by(ThoughtEmotion.record_id, ThoughtEmotion.position)):
            rows[row.record_id].append(EmotionRating(row.name, row.intensity, row.rerated))
    return rows


def comments_of(db: Session, record_ids: list[int]) -> dict[int, list[ThoughtComment]]:
    rows: dict[int, list[ThoughtComment]] = {record_id: [] for record_id in record_ids}
    if record_ids:
        for row in db.exec(select(ThoughtComment).where(col(ThoughtComment.record_id).in_(record_ids))
                           .order_by(ThoughtComment.created_at, ThoughtComment.id)):
            rows[row.record_id].append(row)
    return rows


def records_for(db: Session, patient: User, *, status: RecordStatus) -> list[ThoughtRecord]:
    """The patient's records of one status, newest first (completed by completion time, drafts by last save)."""
    order = ThoughtRecord.completed_at if status == RecordStatus.complete else ThoughtRecord.updated_at
    return list(db.exec(select(ThoughtRecord)
                        .where(ThoughtRecord.patient_id == patient.id, ThoughtRecord.status == status)
                        .order_by(col(order).desc(), col(ThoughtRecord.id).desc())))


def add_comment(db: Session, *, record: ThoughtRecord, author: User, body: str, at: datetime) -> ThoughtComment:
    """A therapist's comment on a completed record; drafts are the patient's own until they finish them."""
    if record.status != RecordStatus.complete:
        abort(404)
    text = validation.text(body, field="body", label="Your comment", limit=TEXT_LIMIT, required=True)
    comment = ThoughtComment(record_id=record.id, author_id=author.id, body=text, created_at=at)
    db.add(comment)
    db.flush()
    return comment


def unread_comment_records(db: Session, patient: User) -> list[ThoughtRecord]:
    """The patient's records with a therapist comment they have not opened since, newest comment first."""
    rows = db.exec(select(ThoughtRecord, ThoughtComment.created_at)
                   .join(ThoughtComment, col(ThoughtComment.record_id) == ThoughtRecord.id)
                   .where(ThoughtRecord.patient_id == patient.id, col(ThoughtComment.read_at).is_(None))
                   .order_by(col(ThoughtComment.created_at).desc()))
    seen: dict[int, ThoughtRecord] = {}
    for record, _ in rows:
        seen.setdefault(record.id, record)
    return list(seen.values())


def mark_comments_read(db: Session, *, record: ThoughtRecord, at: datetime) -> None:
    """The patient opened the record: its comments so far are read (a background offline copy doesn't count)."""
    for comment in db.exec(select(ThoughtComment).where(ThoughtComment.record_id == record.id,
                                                        col(ThoughtComment.read_at).is_(None))):
        comment.read_at = at
    db.flush()
