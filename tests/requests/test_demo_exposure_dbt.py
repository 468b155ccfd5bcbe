"""The demo clinic: Sam has an ERP ladder with weeks of practices; Jordan has weeks of diary cards; reseeding adds nothing."""
from sqlmodel import func, select

from app.demo import seed
from app.models import User
from app.models.dbt import DiaryCard, DiaryTargetRow, SkillUse
from app.models.exposure import ExposurePractice, Hierarchy, HierarchyItem, SudsRating
from app.models.types import utcnow


def test_demo_has_ocd_ladder_with_weeks_of_practice_and_dbt_diary(db):
    seed(db, now=utcnow())
    sam = db.exec(select(User).where(User.email == "sam@demo.clinic")).one()
    jordan = db.exec(select(User).where(User.email == "jordan@demo.clinic")).one()
    ladder = db.exec(select(Hierarchy).where(Hierarchy.patient_id == sam.id)).one()
    items = db.exec(select(HierarchyItem).where(HierarchyItem.hierarchy_id == ladder.id)).all()
    assert len(items) >= 5
    practices = db.exec(select(ExposurePractice).where(ExposurePractice.patient_id == sam.id)
                        .order_by(ExposurePractice.started_at)).all()
    assert len(practices) >= 15
    assert (practices[-1].started_at - practices[0].started_at).days >= 21
    first_item = [p for p in practices if p.item_id == practices[0].item_id]
    assert first_item[-1].suds_peak < first_item[0].suds_peak
    assert db.exec(select(func.count()).select_from(SudsRating)).one() > len(items)
    cards = db.exec(select(DiaryCard).where(DiaryCard.patient_id == jordan.id)).all()
    assert len(cards) >= 18
    assert db.exec(select(DiaryTargetRow).where(DiaryTargetRow.patient_id == jordan.id)).first() is not None
    assert db.exec(select(SkillUse).where(SkillUse.patient_id == jordan.id)).first() is not None

    counts = (len(practices), len(cards))
    seed(db, now=utcnow())
    assert (len(db.exec(select(ExposurePractice)).all()), len(db.exec(select(DiaryCard)).all())) == counts
