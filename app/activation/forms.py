"""Activity forms: plan one, say how it went, and the therapist's clinic-wide ideas."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, TimeInput

from app.activation.ideas import LIFE_AREA_LABELS, LifeArea
from app.forms import ScoreField


def life_area_choices(blank: str | None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(area.value, LIFE_AREA_LABELS[area]) for area in LifeArea]


class PlanForm(FlaskForm):
    title = StringField("What will you do?", description="Small and concrete works best.",
                        render_kw={"maxlength": 120, "autocomplete": "off"})
    life_area = SelectField("Life area (optional)", choices=life_area_choices("No particular area"),
                            validate_choice=False)
    planned_date = StringField("Day", widget=DateInput())
    planned_time = StringField("Time (optional)", widget=TimeInput())

    def raw(self) -> dict:
        return {name: self[name].data for name in ("title", "life_area", "planned_date", "planned_time")}


class OutcomeForm(FlaskForm):
    outcome = RadioField("Did you do it?", choices=[SelectChoice("done", "Yes, I did it"),
                                                    SelectChoice("not_done", "No, not this time")],
                         validate_choice=False)
    pleasure = ScoreField("Pleasure (0-10)", low=0, high=10, description="How much you enjoyed it.")
    mastery = ScoreField("Sense of achievement (0-10)", low=0, high=10,
                         description="How much it felt like getting something done.")
    mood_before = ScoreField("Mood before (0-10, optional)", low=0, high=10)
    mood_after = ScoreField("Mood after (0-10, optional)", low=0, high=10)
    note = TextAreaField("Note (optional)", render_kw={"rows": 2})

    def raw(self) -> dict:
        return {name: self[name].data for name in ("outcome", "pleasure", "mastery", "mood_before", "mood_after", "note")}


class IdeaForm(FlaskForm):
    life_area = SelectField("Life area", choices=life_area_choices("Choose a life area"), validate_choice=False)
    text = StringField("Idea", description="Small and concrete, up to 120 characters.", render_kw={"maxlength": 120})
