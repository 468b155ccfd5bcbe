"""Clinic administration forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.models import Role
from app.timezones import common_timezones


def _timezone_choices():
    return [SelectChoice(z, z.replace("_", " ")) for z in common_timezones()]


class NewPatientForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter a name."), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired("Enter an email address."), Length(max=254)])
    timezone = SelectField("Time zone", validate_choice=False)
    therapist_id = SelectField("Treating therapist", coerce=int, validate_choice=False)

    def __init__(self, *args, therapists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()
        self.therapist_id.choices = [SelectChoice(t.id, t.name) for t in therapists]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()


class ReassignForm(FlaskForm):
    therapist_id = SelectField("Treating therapist", coerce=int, validate_choice=False)

    def __init__(self, *args, therapists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.therapist_id.choices = [SelectChoice(t.id, t.name) for t in therapists]
