"""DBT forms. The diary card's rows vary per patient, so its ratings are read from the request by name."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from flask_babel import lazy_gettext as _l

from app.dbt.skills_library import MODULE_LABELS


class SkillUseForm(FlaskForm):
    helped = RadioField(_l("How much did it help?"), description=_l("0 = not at all, 7 = a great deal."),
                        choices=[SelectChoice(str(n), str(n)) for n in range(8)], validate_choice=False,
                        validators=[Optional()])
    note = TextAreaField(_l("Note"), description=_l("What happened, what you noticed."), validators=[Optional(), Length(max=2000)])


class DiaryForm(FlaskForm):
    """CSRF and the free-text note; urge, emotion and skills ratings are named urge-<key>, emotion-<key>, skills_used."""

    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class TargetForm(FlaskForm):
    label = StringField(_l("Add an urge to track"), description=_l("For example “Urge to skip meals”."),
                        validators=[InputRequired(_l("Name the urge to track.")), Length(max=80)])


class ClinicCardForm(FlaskForm):
    name = StringField(_l("Skill name"), validators=[InputRequired(_l("Give the skill a name.")), Length(max=80)])
    module = SelectField(_l("Module"), choices=[SelectChoice(m.value, label) for m, label in MODULE_LABELS.items()])
    purpose = StringField(_l("What it is for"), description=_l("One sentence, in plain words."),
                          validators=[InputRequired(_l("Say what the skill is for.")), Length(max=300)])
    steps = TextAreaField(_l("Steps"), description=_l("One per line, at most 8."),
                          validators=[InputRequired(_l("Write the steps, one per line."))])
    when_to_use = StringField(_l("When to use it"), validators=[InputRequired(_l("Say when to use it.")), Length(max=300)])


class AssignCardForm(FlaskForm):
    slug = SelectField(_l("Skill card"), validate_choice=False)
    days = SelectField(_l("For"), choices=[SelectChoice("7", _l("1 week")), SelectChoice("14", _l("2 weeks")),
                                       SelectChoice("28", _l("4 weeks"))])
