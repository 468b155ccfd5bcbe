"""DBT operations: the card library (built-in plus clinic cards), skill-use logs, diary targets and cards.

Each function does one unit of work and only flushes; the request commits.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from app.dbt import grid_words
from app.dbt.rules import DbtError, DiaryInput, check_skill_use, slugify, target_key
from app.dbt.skills_library import (
    DIARY_DEFAULT_EMOTIONS, DIARY_DEFAULT_URGES, SKILL_CARDS, SKILLS_BY_SLUG, DbtModule, DiaryTarget, SkillCard,
)
from app.homework.completion import record_completion
from app.homework.timing import TimingKind
from app.models import Assignment, AssignmentTiming, HomeworkKind, User
from app.models.dbt import ClinicSkillCard, DiaryCard, DiaryRating, DiaryTargetRow, RatingKind, SkillUse

NAME_MAX, LINE_MAX, STEPS_MAX = 80, 300, 8


def clinic_card(row: ClinicSkillCard) -> SkillCard:
    return SkillCard(slug=row.slug, module=row.module, name=row.name, purpose=row.purpose,
                     steps=tuple(line for line in row.steps.splitlines() if line.strip()), when_to_use=row.when_to_use)


def all_cards(db: Session) -> list[SkillCard]:
    """The built-in library in teaching order, then the clinic's own cards."""
    rows = db.exec(select(ClinicSkillCard).order_by(ClinicSkillCard.module, ClinicSkillCard.name)).all()
    return list(SKILL_CARDS) + [clinic_card(row) for row in rows]


def find_card(db: Session, slug: str) -> SkillCard | None:
    if slug in SKILLS_BY_SLUG:
        return SKILLS_BY_SLUG[slug]
    row = db.exec(select(ClinicSkillCard).where(ClinicSkillCard.slug == slug)).first()
    return clinic_card(row) if row else None


def clinic_card_ids(db: Session) -> set[str]:
    return set(db.exec(select(ClinicSkillCard.slug)).all())


def _required(field: str, value: str | None, limit: int, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DbtError(field, message)
    if len(value) > limit:
        raise DbtError(field, f"Keep this to {limit} characters or fewer.")
    return value


def create_clinic_card(db: Session, *, module: str, name: str, purpose: str, steps: str, when_to_use: str,
                       by: User, at: datetime) -> ClinicSkillCard:
    """A clinic's own card: phone-sized (a few short steps), with a slug that never shadows a built-in card."""
    try:
        module = DbtModule(module)
    except ValueError:
        raise DbtError("module", "Choose the module this skill belongs to.") from None
    name = _required("name", name, NAME_MAX, "Give the skill a name.")
    purpose = _required("purpose", purpose, LINE_MAX, "Say in one sentence what the skill is for.")
    when_to_use = _required("when_to_use", when_to_use, LINE_MAX, "Say when to use it.")
    lines = [line.strip() for line in (steps or "").splitlines() if line.strip()]
    if not lines:
        raise DbtError("steps", "Write the steps, one per line.")
    if len(lines) > STEPS_MAX or any(len(line) > LINE_MAX for line in lines):
        raise DbtError("steps", f"Keep it phone-sized: at most {STEPS_MAX} steps of {LINE_MAX} characters.")
    taken = set(SKILLS_BY_SLUG) | clinic_card_ids(db)
    base = slug = slugify(name)
    suffix = 2
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    row = ClinicSkillCard(slug=slug, module=module, name=name, purpose=purpose, steps="\n".join(lines),
                          when_to_use=when_to_use, created_by_id=by.id, created_at=at)
    db.add(row)
    db.flush()
    return row


def log_skill_use(db: Session, *, patient: User, card: SkillCard, helped: int | None, note: str | None,
                  at: datetime) -> SkillUse:
    """The patient used a skill; completes a matching skill assignment ("skill:<slug>" or any skill)."""
    helped, note = check_skill_use(helped, note)
    use = SkillUse(patient_id=patient.id, skill_slug=card.slug, used_at=at, helped=helped, note=note)
    db.add(use)
    db.flush()
    record_completion(db, patient=patient, kind=HomeworkKind.dbt_skill, at=at, source="dbt_skill_uses",
                      source_id=use.id, target=f"skill:{card.slug}")
    return use


def assign_card(db: Session, *, patient: User, card: SkillCard, days: int, by: User, today: date) -> Assignment:
    """Daily practice of one card from today (reminder in the evening), as homework with target "skill:<slug>"."""
    assignment = Assignment(patient_id=patient.id, created_by_id=by.id, kind=HomeworkKind.dbt_skill,
                            title=f"Practise {card.name}", instructions=card.when_to_use, target=f"skill:{card.slug}",
                            start_date=today, end_date=today + timedelta(days=days - 1))
    db.add(assignment)
    db.flush()
    db.add(AssignmentTiming(assignment_id=assignment.id, effective_from=today, kind=TimingKind.DAILY,
                            local_time=time(20, 0)))
    db.flush()
    return assignment


def skill_uses(db: Session, patient: User, *, slug: str | None = None, limit: int = 20) -> list[SkillUse]:
    query = select(SkillUse).where(SkillUse.patient_id == patient.id)
    if slug:
        query = query.where(SkillUse.skill_slug == slug)
    return list(db.exec(query.order_by(SkillUse.used_at.desc()).limit(limit)))


def assigned_slugs(db: Session, patient: User, today: date) -> set[str]:
    """Skills the therapist has assigned and that are still running."""
    rows = db.exec(
        select(Assignment.target).where(
            Assignment.patient_id == patient.id, Assignment.kind == HomeworkKind.dbt_skill,
            Assignment.start_date <= today, (Assignment.end_date.is_(None)) | (Assignment.end_date >= today),
        )
    ).all()
    return {target.partition(":")[2] for target in rows if target and target.startswith("skill:")}


def target_rows(db: Session, patient: User) -> list[DiaryTargetRow]:
    return list(db.exec(select(DiaryTargetRow).where(DiaryTargetRow.patient_id == patient.id, DiaryTargetRow.active)
                        .order_by(DiaryTargetRow.id)))


def urge_targets(db: Session, patient: User) -> list[DiaryTarget]:
    """The standard urges plus the therapist's own targets for this patient."""
    return list(DIARY_DEFAULT_URGES) + [DiaryTarget(f"t_{row.key}", row.label) for row in target_rows(db, patient)]


def emotion_targets() -> list[DiaryTarget]:
    return list(DIARY_DEFAULT_EMOTIONS)


def add_target(db: Session, *, patient: User, label: str, by: User, at: datetime) -> DiaryTargetRow:
    """A therapist-defined urge to track (for example "urge to skip meals"); re-adding a removed one revives it."""
    label = _required("label", label, NAME_MAX, "Name the urge to track, for example “Urge to skip meals”.")
    key = target_key(label)
    row = db.exec(select(DiaryTargetRow).where(DiaryTargetRow.patient_id == patient.id, DiaryTargetRow.key == key)).first()
    if row is not None and row.active:
        raise DbtError("label", "That target is already on the card.")
    if row is None:
        row = DiaryTargetRow(patient_id=patient.id, key=key, label=label, created_by_id=by.id, created_at=at)
    row.active, row.label = True, label
    db.add(row)
    db.flush()
    return row


def remove_target(db: Session, *, row: DiaryTargetRow) -> None:
    """Off future cards; past ratings keep their label."""
    row.active = False
    db.add(row)
    db.flush()


def diary_card(db: Session, patient: User, day: date) -> DiaryCard | None:
    return db.exec(select(DiaryCard).where(DiaryCard.patient_id == patient.id, DiaryCard.day == day)).first()


def card_ratings(db: Session, card: DiaryCard | None) -> list[DiaryRating]:
    if card is None:
        return []
    return list(db.exec(select(DiaryRating).where(DiaryRating.card_id == card.id)))


def save_diary(db: Session, *, patient: User, day: date, entry: DiaryInput, at: datetime) -> DiaryCard:
    """Create or replace the day's card. Only the first save completes diary homework (a re-edit is not a new card)."""
    card = diary_card(db, patient, day)
    created = card is None
    if created:
        card = DiaryCard(patient_id=patient.id, day=day, created_at=at, updated_at=at)
    card.skills_used, card.notes, card.updated_at = entry.skills_used, entry.notes, at
    db.add(card)
    db.flush()
    for old in card_ratings(db, card):
        db.delete(old)
    db.flush()
    db.add_all(
        [DiaryRating(card_id=card.id, kind=RatingKind.urge, key=u.key, label=u.label, value=u.value, acted_on=u.acted_on)
         for u in entry.urges]
        + [DiaryRating(card_id=card.id, kind=RatingKind.emotion, key=e.key, label=e.label, value=e.value)
           for e in entry.emotions]
    )
    db.flush()
    if created:
        record_completion(db, patient=patient, kind=HomeworkKind.diary_card, at=at, source="dbt_diary_cards",
                          source_id=card.id)
    return card


@dataclass(frozen=True)
class GridRow:
    label: str
    cells: tuple[str, ...]
    kind: str


def week_grid(db: Session, patient: User, days: list[date]) -> list[GridRow]:
    """The week as the familiar diary-card grid: a row per urge (with acted on), emotion, skills used and notes."""
    cards = {c.day: c for c in db.exec(select(DiaryCard).where(
        DiaryCard.patient_id == patient.id, DiaryCard.day >= days[0], DiaryCard.day <= days[-1]))}
    ratings: dict[tuple[int, str, str], DiaryRating] = {}
    if cards:
        for r in db.exec(select(DiaryRating).where(DiaryRating.card_id.in_([c.id for c in cards.values()]))):
            ratings[(r.card_id, r.kind, r.key)] = r
    labels = {t.key: t.label for t in urge_targets(db, patient)}
    for r in ratings.values():
        if r.kind == RatingKind.urge:
            labels.setdefault(r.key, r.label)

    def cell(day: date, kind: RatingKind, key: str, acted: bool = False) -> str:
        card = cards.get(day)
        rating = ratings.get((card.id, kind, key)) if card else None
        if rating is None:
            return ""
        if acted:
            return grid_words.YES if rating.acted_on else grid_words.NO
        return str(rating.value)

    rows = []
    for key, label in labels.items():
        rows.append(GridRow(label, tuple(cell(d, RatingKind.urge, key) for d in days), "urge"))
        rows.append(GridRow(grid_words.ACTED_ON_IT, tuple(cell(d, RatingKind.urge, key, acted=True) for d in days), "acted"))
    for target in emotion_targets():
        rows.append(GridRow(target.label, tuple(cell(d, RatingKind.emotion, target.key) for d in days), "emotion"))
    rows.append(GridRow(grid_words.SKILLS_USED, tuple(
        "" if d not in cards or cards[d].skills_used is None else str(cards[d].skills_used) for d in days), "skills"))
    rows.append(GridRow(grid_words.NOTES, tuple(cards[d].notes if d in cards else "" for d in days), "notes"))
    return rows
