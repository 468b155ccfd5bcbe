"""What a treatment plan may say, and reading one from a form (pure: no database)."""
from collections.abc import Mapping
from dataclasses import dataclass

from app import validation
from app.models.plan import PlanPhase

FOCUS = {
    "depression": "Depression",
    "ocd": "OCD",
    "ptsd": "PTSD",
    "emotional_dysregulation": "Emotional dysregulation",
}
MODALITIES = {
    "tms": "TMS",
    "cbt": "CBT thought records",
    "activation": "Behavioural activation",
    "exposure": "Exposure (ERP, PE)",
    "dbt": "DBT skills",
}
PHASES = {PlanPhase.acute: "Acute", PlanPhase.taper: "Taper", PlanPhase.maintenance: "Maintenance"}
GOALS_LIMIT = 2000
MAX_HOMEWORK_MINUTES = 240


@dataclass(frozen=True)
class PlanInput:
    goals: str
    focus: tuple[str, ...]
    phase: PlanPhase
    modalities: tuple[str, ...]
    homework_minutes: int


def plan_from_form(form: Mapping, getlist) -> PlanInput:
    """Every problem at once (FormInvalid), each beside its field; unknown choices are refused, not dropped."""
    errors = validation.Collector()
    goals = errors.check(validation.text, form.get("goals"), field="goals", label="Goals", limit=GOALS_LIMIT,
                         required=True)
    focus = tuple(getlist("focus"))
    if not focus:
        errors.add("focus", "Choose at least one focus.")
    elif not set(focus) <= FOCUS.keys():
        errors.add("focus", "Choose from the listed diagnoses.")
    modalities = tuple(getlist("modalities"))
    if not set(modalities) <= MODALITIES.keys():
        errors.add("modalities", "Choose from the listed modalities.")
    try:
        phase = PlanPhase(form.get("phase", ""))
    except ValueError:
        phase = None
        errors.add("phase", "Choose the phase: acute, taper or maintenance.")
    minutes = errors.check(validation.integer, form.get("homework_minutes"), field="homework_minutes",
                           label="Homework minutes a day", low=0, high=MAX_HOMEWORK_MINUTES)
    errors.raise_if_any()
    return PlanInput(goals, tuple(f for f in FOCUS if f in focus), phase,
                     tuple(m for m in MODALITIES if m in modalities), minutes)


def _values(plan) -> dict:
    return {"goals": plan.goals, "focus": tuple(plan.focus), "phase": PlanPhase(plan.phase),
            "modalities": tuple(plan.modalities), "homework": plan.homework_minutes}


def changed_fields(before, after) -> list[str]:
    """What a version changed against the one before (a PlanInput or a stored version each), named for the
    history ("goals", "phase"...); everything for a first version."""
    new = _values(after)
    if before is None:
        return list(new)
    old = _values(before)
    return [name for name in new if old[name] != new[name]]
