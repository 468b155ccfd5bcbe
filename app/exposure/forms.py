"""Exposure forms: ladders, items, re-rating, and the practice log (ranges are checked again by exposure.rules)."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from flask_babel import lazy_gettext as _l

from app.models.exposure import ExposureKind, RitualResisted

KIND_LABELS = {
    ExposureKind.erp: _l("ERP (exposure and response prevention)"),
    ExposureKind.pe_in_vivo: _l("In-vivo exposure (real-life situation)"),
    ExposureKind.pe_imaginal: _l("Imaginal exposure (listen to the session recording)"),
}
RESISTED_LABELS = {
    RitualResisted.fully: _l("Fully"),
    RitualResisted.partly: _l("Partly"),
    RitualResisted.not_resisted: _l("Not this time"),
}
SUDS_HINT = _l("0 = calm, 100 = the most distress you can imagine.")


class Between(NumberRange):
    """NumberRange that also refuses a number too big for a float (WTForms' own check overflows on 400 digits)."""

    def __call__(self, form, field):
        if isinstance(field.data, int) and not -(2**53) <= field.data <= 2**53:
            raise ValidationError(self.message % {"min": self.min, "max": self.max})
        super().__call__(form, field)


def suds_field(label: str, description: str = SUDS_HINT) -> IntegerField:
    return IntegerField(
        label, description=description,
        validators=[InputRequired(_l("Choose a SUDS rating from 0 to 100.")),
                    Between(0, 100, _l("SUDS goes from 0 to 100."))],
    )


def likelihood_field(label: str) -> IntegerField:
    return IntegerField(
        label, description="0-100 %", validators=[Optional(), Between(0, 100, _l("Give a likelihood from 0 to 100 %%."))]
    )


class HierarchyForm(FlaskForm):
    title = StringField(_l("Name of the ladder"), description=_l("For example “Contamination” or “Driving”."),
                        validators=[InputRequired(_l("Give the ladder a name.")), Length(max=120)])


class ItemForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    description = StringField(_l("Situation"), validators=[InputRequired(_l("Describe the situation in a few words.")),
                                                        Length(max=300)])
    ritual = StringField(_l("Ritual or compulsion to resist (ERP)"), validators=[Optional(), Length(max=300)])
    suds = suds_field("SUDS")


class RerateForm(FlaskForm):
    suds = suds_field(_l("New SUDS"))


class OrderForm(FlaskForm):
    version = HiddenField()


class PracticeForm(FlaskForm):
    entry_token = HiddenField()
    started_at = HiddenField()
    timed_ratings = HiddenField(_l("SUDS during the practice"))
    suds_before = suds_field(_l("SUDS before"))
    suds_peak = suds_field(_l("Peak SUDS"), _l("The highest it got, from before you started to the end."))
    suds_after = suds_field(_l("SUDS at the end"))
    duration_minutes = IntegerField(
        _l("Minutes"), description=_l("The timer fills this in; you can change it."),
        validators=[InputRequired(_l("Give the time you spent in minutes.")),
                    Between(1, 600, _l("Give the time you spent, from 1 to 600 minutes."))],
    )
    ritual_resisted = RadioField(
        _l("Did you hold off the ritual?"), choices=[SelectChoice(r.value, label) for r, label in RESISTED_LABELS.items()],
        validators=[Optional()], validate_choice=False,
    )
    feared_outcome = TextAreaField(_l("What did you fear would happen?"), validators=[Optional(), Length(max=2000)])
    likelihood_before = likelihood_field(_l("How likely did it feel, before?"))
    what_happened = TextAreaField(_l("What actually happened?"), validators=[Optional(), Length(max=2000)])
    likelihood_after = likelihood_field(_l("How likely does it feel now?"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
