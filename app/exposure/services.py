"""Exposure operations: build and keep the ladder in order, re-rate items, log practices. Each only flushes."""
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.exposure import ordering, recordings
from app.exposure.rules import DESCRIPTION_MAX, ExposureError, PracticeInput, check_suds, check_text
from app.homework.completion import record_completion
from app.models import HomeworkKind, User
from app.models.exposure import (
    ExposurePractice, ExposureKind, Hierarchy, HierarchyItem, ItemStatus, PracticeRating, SudsRating,
)

ON_LADDER = (ItemStatus.active, ItemStatus.mastered)


def hierarchies_of(db: Session, patient: User) -> list[Hierarchy]:
    return list(db.exec(select(Hierarchy).where(Hierarchy.patient_id == patient.id).order_by(Hierarchy.id)))


def items_of(db: Session, hierarchy: Hierarchy, *, archived: bool = False) -> list[HierarchyItem]:
    """The ladder's items in order; archived ones are left out unless asked for."""
    statuses = tuple(ItemStatus) if archived else ON_LADDER
    return list(
        db.exec(
            select(HierarchyItem)
            .where(HierarchyItem.hierarchy_id == hierarchy.id, HierarchyItem.status.in_(statuses))
            .order_by(HierarchyItem.position, HierarchyItem.id)
        )
    )


def create_hierarchy(db: Session, *, patient: User, title: str) -> Hierarchy:
    title = check_text("title", title, limit=120, required="Give the ladder a name, for example “Contamination”.")
    hierarchy = Hierarchy(patient_id=patient.id, title=title)
    db.add(hierarchy)
    db.flush()
    return hierarchy


def add_item(
    db: Session, *, hierarchy: Hierarchy, kind: str, description: str, ritual: str, suds: int | None, by: User,
    at: datetime,
) -> HierarchyItem:
    """Add a situation at the end of the ladder with its first SUDS rating (kept in the rating history)."""
    try:
        kind = ExposureKind(kind)
    except ValueError:
        raise ExposureError("kind", "Choose the kind of exposure.") from None
    description = check_text(
        "description", description, limit=DESCRIPTION_MAX, required="Describe the situation in a few words."
    )
    ritual = check_text("ritual", ritual, limit=DESCRIPTION_MAX) if kind == ExposureKind.erp else ""
    suds = check_suds("suds", suds)
    last = max((item.position for item in items_of(db, hierarchy, archived=True)), default=-1)
    item = HierarchyItem(
        hierarchy_id=hierarchy.id, patient_id=hierarchy.patient_id, kind=kind, description=description,
        ritual=ritual, suds=suds, position=last + 1,
    )
    db.add(item)
    db.flush()
    db.add(SudsRating(item_id=item.id, suds=suds, rated_at=at, rated_by_id=by.id))
    hierarchy.version += 1
    db.add(hierarchy)
    db.flush()
    return item


def reorder(db: Session, *, hierarchy: Hierarchy, order: list[int], seen_version: int) -> None:
    """Apply the order the person chose, if it was made from the current list (else StaleOrder, nothing changed)."""
    items = items_of(db, hierarchy)
    wanted = ordering.checked_order(
        [item.id for item in items], order, seen_version=seen_version, current_version=hierarchy.version
    )
    by_id = {item.id: item for item in items}
    for position, item_id in enumerate(wanted):
        by_id[item_id].position = position
        db.add(by_id[item_id])
    hierarchy.version += 1
    db.add(hierarchy)
    db.flush()


def rerate(db: Session, *, item: HierarchyItem, suds: int | None, by: User, at: datetime) -> SudsRating:
    """A new SUDS for an item; earlier ratings stay in the history."""
    suds = check_suds("suds", suds)
    rating = SudsRating(item_id=item.id, suds=suds, rated_at=at, rated_by_id=by.id)
    item.suds = suds
    db.add_all([item, rating])
    db.flush()
    return rating


def set_status(db: Session, *, item: HierarchyItem, status: str) -> bool:
    """Mark mastered, archive, or bring back; membership changes bump the ladder's version.

    Archiving also deletes the clinic's copy of the item's session recording (an archived item leaves the patient's
    practice page, where they could remove it themselves); True if one was deleted."""
    try:
        status = ItemStatus(status)
    except ValueError:
        raise ExposureError("status", "Choose mastered, archived or active.") from None
    hierarchy = db.get(Hierarchy, item.hierarchy_id)
    if (item.status == ItemStatus.archived) != (status == ItemStatus.archived):
        hierarchy.version += 1
        if status != ItemStatus.archived:
            item.position = max((i.position for i in items_of(db, hierarchy)), default=-1) + 1
    item.status = status
    db.add_all([item, hierarchy])
    db.flush()
    return status == ItemStatus.archived and recordings.remove(db, item=item)


def ratings_of(db: Session, item: HierarchyItem) -> list[SudsRating]:
    return list(db.exec(select(SudsRating).where(SudsRating.item_id == item.id).order_by(SudsRating.rated_at, SudsRating.id)))


def practices_of(db: Session, item: HierarchyItem) -> list[ExposurePractice]:
    return list(
        db.exec(select(ExposurePractice).where(ExposurePractice.item_id == item.id).order_by(ExposurePractice.started_at))
    )


def timed_ratings_of(db: Session, practices: list[ExposurePractice]) -> dict[int, list[PracticeRating]]:
    """Each practice's timed SUDS ratings in time order, by practice id (practices with none are left out)."""
    ids = [p.id for p in practices]
    if not ids:
        return {}
    rows = db.exec(select(PracticeRating).where(PracticeRating.practice_id.in_(ids))
                   .order_by(PracticeRating.practice_id, PracticeRating.minute, PracticeRating.id))
    by_practice: dict[int, list[PracticeRating]] = {}
    for row in rows:
        by_practice.setdefault(row.practice_id, []).append(row)
    return by_practice


def recent_practices(db: Session, patient: User, limit: int = 5) -> list[tuple[ExposurePractice, HierarchyItem]]:
    rows = db.exec(
        select(ExposurePractice, HierarchyItem)
        .join(HierarchyItem, HierarchyItem.id == ExposurePractice.item_id)
        .where(ExposurePractice.patient_id == patient.id)
        .order_by(ExposurePractice.started_at.desc())
        .limit(limit)
    )
    return list(rows)


@dataclass(frozen=True)
class Logged:
    practice: ExposurePractice
    created: bool


def log_practice(
    db: Session, *, patient: User, item: HierarchyItem, entry: PracticeInput, entry_token: str | None, at: datetime
) -> Logged:
    """Save a practice and complete matching homework ("item:<id>" or any item). A resent form saves once."""
    if entry_token:
        existing = db.exec(
            select(ExposurePractice).where(
                ExposurePractice.patient_id == patient.id, ExposurePractice.entry_token == entry_token
            )
        ).first()
        if existing is not None:
            return Logged(existing, created=False)
    fields = {name: getattr(entry, name) for name in asdict(entry) if name != "timed_ratings"}
    practice = ExposurePractice(
        patient_id=patient.id, item_id=item.id, entry_token=entry_token or None, created_at=at, **fields
    )
    db.add(practice)
    db.flush()
    db.add_all(PracticeRating(practice_id=practice.id, minute=r.minute, suds=r.suds) for r in entry.timed_ratings)
    record_completion(
        db, patient=patient, kind=HomeworkKind.exposure_practice, at=at, source="exposure_practices",
        source_id=practice.id, target=f"item:{item.id}",
    )
    return Logged(practice, created=True)
