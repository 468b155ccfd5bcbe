"""Activity forms: plan one, say how it went, and the therapist's clinic-wide ideas."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, TimeInput
from flask_babel import lazy_gettext as _l

from app.activation.ideas import LIFE_AREA_LABELS, LifeArea
from app.forms import ScoreField


def life_area_choices(blank: str | None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(area.value, _l(LIFE_AREA_LABELS[area])) for area in LifeArea]


class PlanForm(FlaskForm):
    title = StringField(_l("What will you do?"), description=_l("Small and concrete works best."),
                        render_kw={"maxlength": 120, "autocomplete": "off"})
    life_area = SelectField(_l("Life area (optional)"), choices=life_area_choices(_l("No particular area")),
                            validate_choice=False)
    planned_date = StringField(_l("Day"), widget=DateInput())
    planned_time = StringField(_l("Time (optional)"), widget=TimeInput())

    def raw(self) -> dict:
        return {name: self[name].data for name in ("title", "life_area", "planned_date", "planned_time")}


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("Did you do it?"), choices=[SelectChoice("done", _l("Yes, I did it")),
                                                    SelectChoice("not_done", _l("No, not this time"))],
                         validate_choice=False)
    pleasure = ScoreField(_l("Pleasure (0-10)"), low=0, high=10, description=_l("How much you enjoyed it."))
    mastery = ScoreField(_l("Sense of achievement (0-10)"), low=0, high=10,
                         description=_l("How much it felt like getting something done."))
    mood_before = ScoreField(_l("Mood before (0-10, optional)"), low=0, high=10)
    mood_after = ScoreField(_l("Mood after (0-10, optional)"), low=0, high=10)
    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2})

    def raw(self) -> dict:
        return {name: self[name].data for name in ("outcome", "pleasure", "mastery", "mood_before", "mood_after", "note")}


class IdeaForm(FlaskForm):
    life_area = SelectField(_l("Life area"), choices=life_area_choices(_l("Choose a life area")), validate_choice=False)
    text = StringField(_l("Idea"), description=_l("Small and concrete, up to 120 characters."), render_kw={"maxlength": 120})
