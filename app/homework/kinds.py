"""What each homework kind is called and where the patient does it: the plug-in point for the modules."""
from dataclasses import dataclass

from flask import current_app, url_for

from app.i18n.markers import N_
from app.models.homework import HomeworkKind
from app.validation import whole_number


@dataclass(frozen=True)
class KindInfo:
    label: str
    verb: str
    endpoint: str


KINDS: dict[HomeworkKind, KindInfo] = {
    HomeworkKind.thought_record: KindInfo(N_("Thought record"), N_("Write a thought record"), "thoughts.new"),
    HomeworkKind.activity_plan: KindInfo(N_("Activity plan"), N_("Plan or rate an activity"), "activation.plan"),
    HomeworkKind.exposure_practice: KindInfo(N_("Exposure practice"), N_("Log a practice"), "exposure.practice"),
    HomeworkKind.dbt_skill: KindInfo(N_("Skill practice"), N_("Practise a skill"), "dbt.skills"),
    HomeworkKind.diary_card: KindInfo(N_("Diary card"), N_("Fill in today's diary card"), "dbt.diary"),
    HomeworkKind.mood_checkin: KindInfo(N_("Check-in"), N_("Do your check-in"), "checkins.new"),
    HomeworkKind.questionnaire: KindInfo(N_("Questionnaire"), N_("Answer the questionnaire"), "checkins.questionnaire"),
}


def target_params(kind: HomeworkKind, target: str | None) -> dict:
    """URL parameters that open the module on the assignment's target (an exposure item, a skill, a scale)."""
    if not target:
        return {}
    prefix, _, value = target.partition(":")
    if kind == HomeworkKind.exposure_practice and prefix == "item" and (item_id := whole_number(value)) is not None:
        return {"item_id": item_id}
    if kind == HomeworkKind.dbt_skill and prefix == "skill":
        return {"slug": value}
    if kind == HomeworkKind.questionnaire:
        return {"code": target}
    return {}


def entry_url(kind: HomeworkKind, target: str | None = None) -> str | None:
    """The page where the patient does this homework, or None while that module is not installed."""
    endpoint = KINDS[kind].endpoint
    params = target_params(kind, target)
    if kind == HomeworkKind.exposure_practice and params:
        endpoint = "exposure.practice_item"
    elif kind == HomeworkKind.dbt_skill and params:
        endpoint = "dbt.card"
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **params)


def target_choices(kind: HomeworkKind, db=None, patient=None) -> list[tuple[str, str]]:
    """What an assignment of this kind can be narrowed to; empty means "any entry of this kind".

    Exposure items are the patient's own active ladder items (needs `db` and `patient`)."""
    if kind == HomeworkKind.exposure_practice and db is not None and patient is not None:
        from sqlmodel import select

        from app.models.exposure import HierarchyItem, ItemStatus

        items = db.exec(
            select(HierarchyItem)
            .where(HierarchyItem.patient_id == patient.id, HierarchyItem.status == ItemStatus.active)
            .order_by(HierarchyItem.hierarchy_id, HierarchyItem.position)
        ).all()
        return [(f"item:{item.id}", f"{item.description[:60]} (SUDS {item.suds})") for item in items]
    if kind == HomeworkKind.questionnaire:
        from app.checkins.instruments import INSTRUMENTS

        return [(code, instrument.title) for code, instrument in INSTRUMENTS.items()]
    if kind == HomeworkKind.dbt_skill:
        from app.dbt.skills_library import SKILL_CARDS

        return [(f"skill:{card.slug}", card.name) for card in SKILL_CARDS]
    return []
