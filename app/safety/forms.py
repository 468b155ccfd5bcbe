"""Safety forms. Ranges and lengths are checked in services.py, so an offline-sync layer gets the same rules."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from flask_babel import lazy_gettext as _l

from app.models.safety import PLAN_STEPS


class AcknowledgeForm(FlaskForm):
    action_taken = TextAreaField(
        _l("What you did"), description=_l("For example: phoned the patient, reviewed the safety plan, arranged a visit.")
    )


class PlanForm(FlaskForm):
    """The six safety-plan steps plus reasons for living, as text areas (one thing per line reads well)."""


for _name, _label, _hint in PLAN_STEPS:
    setattr(PlanForm, _name, TextAreaField(_l(_label), description=_l(_hint)))


class ClinicSettingsForm(FlaskForm):
    clinic_phone = StringField(_l("Clinic phone (office hours)"))
    after_hours_phone = StringField(_l("Clinic after-hours line"), description=_l("Leave blank if the clinic has none."))
    crisis_line_label = StringField(_l("National crisis line name"))
    crisis_line_number = StringField(_l("National crisis line: number to call"))
    crisis_line_text = StringField(_l("National crisis line: number to text"), description=_l("Leave blank if it takes no texts."))
    emergency_number = StringField(_l("Emergency number"))
    crisis_chat_url = StringField(_l("Crisis line chat (web address)"), description=_l("Shown as a link on the crisis screen; leave blank if none."))
    escalation_minutes = StringField(
        _l("Escalation time (minutes)"),
        description=_l("A safety event nobody has acknowledged after this long also goes to the safety contacts (5-1440; usually 60)."),
    )
