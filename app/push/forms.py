"""The reminder settings form: which reminders, at what local times, quiet hours, and lock-screen detail."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, TimeField
from wtforms.validators import Optional
from flask_babel import lazy_gettext as _l

from app.push.timing import QuietHours, QuietHoursError


class ReminderSettingsForm(FlaskForm):
    post_tms = BooleanField(_l("When my TMS visit is marked done: “your practice window is open”"))
    post_tms_nudge = BooleanField(_l("A nudge halfway through the window if the practice is still open"))
    checkin = BooleanField(_l("Daily check-in"))
    checkin_time = TimeField(_l("Check-in time"), validators=[Optional()])
    homework = BooleanField(_l("Homework due soon, and a morning nudge if yesterday's was missed"))
    questionnaires = BooleanField(_l("Questionnaires due"))
    digest = BooleanField(_l("Morning digest: how many of my patients have TMS today"))
    digest_time = TimeField(_l("Digest time"), validators=[Optional()])
    quiet = BooleanField(_l("Quiet hours (reminders wait until they end)"))
    quiet_start = TimeField(_l("Quiet from"), validators=[Optional()])
    quiet_end = TimeField(_l("Quiet until"), validators=[Optional()])
    detailed_text = BooleanField(
        _l("Show what the homework is on my lock screen"),
        description=_l("Off: reminders only say “Time for your practice”. On: they name the homework, which anyone "
        "who sees your phone could read."),
    )

    def validate(self, extra_validators=None) -> bool:
        """Times that a switched-on option needs must be filled in; quiet hours need two different times."""
        valid = super().validate(extra_validators)
        for flag, field in ((self.checkin, self.checkin_time), (self.digest, self.digest_time)):
            if flag.data and field.data is None and not field.errors:
                field.errors.append(_l("Choose a time."))
                valid = False
        if self.quiet.data:
            if self.quiet_start.data is None or self.quiet_end.data is None:
                (self.quiet_start if self.quiet_start.data is None else self.quiet_end).errors.append(_l("Choose a time."))
                return False
            try:
                QuietHours(self.quiet_start.data, self.quiet_end.data)
            except QuietHoursError as error:
                self.quiet_end.errors.append(error.message)
                return False
        return valid
