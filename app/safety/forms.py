"""Safety forms. Ranges and lengths are checked in services.py, so an offline-sync layer gets the same rules."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from app.models.safety import PLAN_STEPS


class AcknowledgeForm(FlaskForm):
    action_taken = TextAreaField(
        "What you did", description="For example: phoned the patient, reviewed the safety plan, arranged a visit."
    )


class PlanForm(FlaskForm):
    """The six safety-plan steps plus reasons for living, as text areas (one thing per line reads well)."""


for _name, _label, _hint in PLAN_STEPS:
    setattr(PlanForm, _name, TextAreaField(_label, description=_hint))


class ClinicSettingsForm(FlaskForm):
    clinic_phone = StringField("Clinic phone (office hours)")
    after_hours_phone = StringField("Clinic after-hours line", description="Leave blank if the clinic has none.")
    crisis_line_label = StringField("National crisis line name")
    crisis_line_number = StringField("National crisis line: number to call")
    crisis_line_text = StringField("National crisis line: number to text", description="Leave blank if it takes no texts.")
    emergency_number = StringField("Emergency number")
    crisis_chat_url = StringField("Crisis line chat (web address)", description="Shown as a link on the crisis screen; leave blank if none.")
    escalation_minutes = StringField(
        "Escalation time (minutes)",
        description="A safety event nobody has acknowledged after this long also goes to the safety contacts (5-1440; usually 60).",
    )
