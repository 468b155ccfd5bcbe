"""Sign-in and set-password forms."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, BooleanField, EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length
from flask_babel import lazy_gettext as _l

from app.timezones import common_timezones


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[DataRequired(_l("Choose a password.")), Length(max=128)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords don't match."))],
    )
    timezone = SelectField(_l("Your time zone"), description=_l("Reminders arrive in this time zone."), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(z, z.replace("_", " ")) for z in common_timezones()]


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[DataRequired(_l("Choose a password.")), Length(max=128)],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords don't match."))],
    )
