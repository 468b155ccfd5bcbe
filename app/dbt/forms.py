"""DBT forms. The diary card's rows vary per patient, so its ratings are read from the request by name."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.dbt.skills_library import MODULE_LABELS


class SkillUseForm(FlaskForm):
    helped = RadioField("How much did it help?", description="0 = not at all, 7 = a great deal.",
                        choices=[SelectChoice(str(n), str(n)) for n in range(8)], validate_choice=False,
                        validators=[Optional()])
    note = TextAreaField("Note", description="What happened, what you noticed.", validators=[Optional(), Length(max=2000)])


class DiaryForm(FlaskForm):
    """CSRF and the free-text note; urge, emotion and skills ratings are named urge-<key>, emotion-<key>, skills_used."""

    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])


class TargetForm(FlaskForm):
    label = StringField("Add an urge to track", description="For example “Urge to skip meals”.",
                        validators=[InputRequired("Name the urge to track."), Length(max=80)])


class ClinicCardForm(FlaskForm):
    name = StringField("Skill name", validators=[InputRequired("Give the skill a name."), Length(max=80)])
    module = SelectField("Module", choices=[SelectChoice(m.value, label) for m, label in MODULE_LABELS.items()])
    purpose = StringField("What it is for", description="One sentence, in plain words.",
                          validators=[InputRequired("Say what the skill is for."), Length(max=300)])
    steps = TextAreaField("Steps", description="One per line, at most 8.",
                          validators=[InputRequired("Write the steps, one per line.")])
    when_to_use = StringField("When to use it", validators=[InputRequired("Say when to use it."), Length(max=300)])


class AssignCardForm(FlaskForm):
    slug = SelectField("Skill card", validate_choice=False)
    days = SelectField("For", choices=[SelectChoice("7", "1 week"), SelectChoice("14", "2 weeks"),
                                       SelectChoice("28", "4 weeks")])
