"""Clinic administration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.admin.demographics import GENDER_LABELS
from app.i18n.forms import language_choices
from app.models import Role
from app.timezones import common_timezones


def _timezone_choices():
    return [SelectChoice(z, z.replace("_", " ")) for z in common_timezones()]


class DemographicsFields:
    """Legal name, birth date, administrative gender and MRN: optional, checked by app/admin/demographics.py
    (so every problem shows beside its field); an EHR export needs them all."""

    family_name = StringField("Legal family name", description="As in the EHR. Optional; needed for EHR export.")
    given_name = StringField("Legal given name", description="As in the EHR. Optional; needed for EHR export.")
    birth_date = StringField("Date of birth", render_kw={"type": "date"})
    administrative_gender = SelectField(
        "Administrative gender", description="As recorded in the EHR for matching records.", validate_choice=False,
        choices=[SelectChoice("", "Not recorded")] + [SelectChoice(g.value, label) for g, label in GENDER_LABELS.items()],
    )
    mrn = StringField("Medical record number (MRN)", description="The clinic's number for this patient, up to 40 characters.")

    def set_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]


class DemographicsForm(DemographicsFields, FlaskForm):
    pass


class NewPatientForm(DemographicsFields, FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter a name."), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired("Enter an email address."), Length(max=254)])
    timezone = SelectField("Time zone", validate_choice=False)
    therapist_id = SelectField("Treating therapist", coerce=int, validate_choice=False)
    language = SelectField("Language", description="Pages, reminders and questionnaires; the patient can change it.",
                           validate_choice=False)

    def __init__(self, *args, therapists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()
        self.therapist_id.choices = [SelectChoice(t.id, t.name) for t in therapists]
        self.language.choices = language_choices()


class NewStaffForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter a name."), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired("Enter an email address."), Length(max=254)])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice(Role.therapist.value, "Therapist"),
            SelectChoice(Role.physician.value, "TMS physician (prescribes and adjusts TMS)"),
            SelectChoice(Role.technician.value, "TMS technician (delivers sessions)"),
            SelectChoice(Role.admin.value, "Clinic administration"),
        ],
    )
    external = BooleanField(
        "Works outside the clinic (community therapist)",
        description="Sees only their own patients and none of the clinic's shared pages.",
    )
    timezone = SelectField("Time zone", validate_choice=False)
    language = SelectField("Language", validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()
        self.language.choices = language_choices()


class ReassignForm(FlaskForm):
    therapist_id = SelectField("Treating therapist", coerce=int, validate_choice=False)

    def __init__(self, *args, therapists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.therapist_id.choices = [SelectChoice(t.id, t.name) for t in therapists]
