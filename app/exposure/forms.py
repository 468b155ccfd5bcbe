"""Exposure forms: ladders, items, re-rating, and the practice log (ranges are checked again by exposure.rules)."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.models.exposure import ExposureKind, RitualResisted

KIND_LABELS = {
    ExposureKind.erp: "ERP (exposure and response prevention)",
    ExposureKind.pe_in_vivo: "In-vivo exposure (real-life situation)",
    ExposureKind.pe_imaginal: "Imaginal exposure (listen to the session recording)",
}
RESISTED_LABELS = {
    RitualResisted.fully: "Fully",
    RitualResisted.partly: "Partly",
    RitualResisted.not_resisted: "Not this time",
}
SUDS_HINT = "0 = calm, 100 = the most distress you can imagine."


class Between(NumberRange):
    """NumberRange that also refuses a number too big for a float (WTForms' own check overflows on 400 digits)."""

    def __call__(self, form, field):
        if isinstance(field.data, int) and not -(2**53) <= field.data <= 2**53:
            raise ValidationError(self.message % {"min": self.min, "max": self.max})
        super().__call__(form, field)


def suds_field(label: str, description: str = SUDS_HINT) -> IntegerField:
    return IntegerField(
        label, description=description,
        validators=[InputRequired("Choose a SUDS rating from 0 to 100."),
                    Between(0, 100, "SUDS goes from 0 to 100.")],
    )


def likelihood_field(label: str) -> IntegerField:
    return IntegerField(
        label, description="0-100 %", validators=[Optional(), Between(0, 100, "Give a likelihood from 0 to 100 %%.")]
    )


class HierarchyForm(FlaskForm):
    title = StringField("Name of the ladder", description="For example “Contamination” or “Driving”.",
                        validators=[InputRequired("Give the ladder a name."), Length(max=120)])


class ItemForm(FlaskForm):
    kind = SelectField("Kind", choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    description = StringField("Situation", validators=[InputRequired("Describe the situation in a few words."),
                                                        Length(max=300)])
    ritual = StringField("Ritual or compulsion to resist (ERP)", validators=[Optional(), Length(max=300)])
    suds = suds_field("SUDS")


class RerateForm(FlaskForm):
    suds = suds_field("New SUDS")


class OrderForm(FlaskForm):
    version = HiddenField()


class PracticeForm(FlaskForm):
    entry_token = HiddenField()
    started_at = HiddenField()
    timed_ratings = HiddenField("SUDS during the practice")
    suds_before = suds_field("SUDS before")
    suds_peak = suds_field("Peak SUDS", "The highest it got. It can be lower than before.")
    suds_after = suds_field("SUDS at the end")
    duration_minutes = IntegerField(
        "Minutes", description="The timer fills this in; you can change it.",
        validators=[InputRequired("Give the time you spent in minutes."),
                    Between(1, 600, "Give the time you spent, from 1 to 600 minutes.")],
    )
    ritual_resisted = RadioField(
        "Did you hold off the ritual?", choices=[SelectChoice(r.value, label) for r, label in RESISTED_LABELS.items()],
        validators=[Optional()], validate_choice=False,
    )
    feared_outcome = TextAreaField("What did you fear would happen?", validators=[Optional(), Length(max=2000)])
    likelihood_before = likelihood_field("How likely did it feel, before?")
    what_happened = TextAreaField("What actually happened?", validators=[Optional(), Length(max=2000)])
    likelihood_after = likelihood_field("How likely does it feel now?")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])
