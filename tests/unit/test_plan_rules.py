import pytest
from werkzeug.datastructures import MultiDict

from app.models.plan import PlanPhase
from app.plan.rules import PlanInput, changed_fields, plan_from_form
from app.validation import FormInvalid


def read(**fields):
    form = MultiDict(fields)
    return plan_from_form(form, form.getlist)


def test_a_plan_is_read_in_the_listed_order():
    form = MultiDict([("goals", " Get back to work "), ("focus", "ptsd"), ("focus", "depression"), ("phase", "taper"),
                      ("modalities", "dbt"), ("modalities", "tms"), ("homework_minutes", "30")])
    assert plan_from_form(form, form.getlist) == PlanInput("Get back to work", ("depression", "ptsd"), PlanPhase.taper,
                                                          ("tms", "dbt"), 30)


def test_every_problem_is_reported_beside_its_field():
    with pytest.raises(FormInvalid) as problem:
        read(goals="", focus="anxiety", phase="forever", modalities="hypnosis", homework_minutes="²")
    assert set(problem.value.errors) == {"goals", "focus", "phase", "modalities", "homework_minutes"}


def test_homework_minutes_are_range_checked():
    with pytest.raises(FormInvalid) as problem:
        read(goals="Sleep", focus="ocd", phase="acute", homework_minutes="241")
    assert "0 to 240" in problem.value.errors["homework_minutes"]


def test_changed_fields_name_what_a_version_changed():
    before = PlanInput("Sleep", ("ocd",), PlanPhase.acute, ("tms",), 20)
    after = PlanInput("Sleep", ("ocd",), PlanPhase.taper, ("tms", "exposure"), 20)
    assert changed_fields(before, after) == ["phase", "modalities"]
    assert changed_fields(None, after) == ["goals", "focus", "phase", "modalities", "homework"]
    assert changed_fields(after, after) == []
