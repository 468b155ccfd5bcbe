"""What a notification says. Lock screens are public: by default no diagnosis, treatment detail or score,
and never a patient's name; a person may opt in to detailed text (assignment titles) for their own reminders.

Wording goes through gettext: rendered inside `force_locale` (app/push/language.py) it is in the recipient's
language; outside an app context it is English.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

MAX_BODY = 240
SAFETY_TITLE = "A patient needs your attention"
SAFETY_BODY = "A patient needs your attention — open the app."

@dataclass(frozen=True)
class ReminderText:
    title: str
    body: str

def _clip(text: str, limit: int = MAX_BODY) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

def _titles(titles: tuple[str, ...]) -> str:
    return ", ".join(title.strip() for title in titles if title.strip())

def post_tms_window(*, closes: str, titles: tuple[str, ...], detailed: bool) -> ReminderText:
    """Sent when staff mark today's visit done: the post-TMS window (CLINICAL.md: N hours, default 4) is open."""
    body = _("Your practice window is open until %(closes)s.", closes=closes)
    if detailed and _titles(titles):
        body = f"{body} {_titles(titles)}."
    return ReminderText(_("Time for your practice"), _clip(body))

def post_tms_nudge(*, closes: str, titles: tuple[str, ...], detailed: bool) -> ReminderText:
    body = _("Still time: your practice window is open until %(closes)s.", closes=closes)
    if detailed and _titles(titles):
        body = f"{body} {_titles(titles)}."
    return ReminderText(_("Time for your practice"), _clip(body))

def daily_checkin() -> ReminderText:
    return ReminderText(_("Time for your check-in"), _("How is today going? It takes a minute."))

def clock(local: datetime) -> str:
    """A due time as "15:00", or "midnight" in the recipient's language."""
    return _("midnight") if (local.hour, local.minute) == (0, 0) else local.strftime("%H:%M")

def homework_due(*, title: str, due: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText(_("Time for your practice"), _clip(_("%(title)s — due by %(due)s.", title=title, due=due)))
    return ReminderText(_("Time for your practice"), _("Something is waiting for you in the app, due by %(due)s.", due=due))

def homework_overdue(*, title: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText(_("Still time to catch up"), _clip(_("%(title)s — you can still do it today.", title=title)))
    return ReminderText(_("Still time to catch up"), _("Practice from yesterday can still be done today."))

def questionnaire_due(*, title: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText(_("A short check-in is waiting"), _clip(_("%(title)s is ready for you.", title=title)))
    return ReminderText(_("A short check-in is waiting"), _("A few questions about how you've been."))

def therapy_appointment(*, day: str, time: str, detailed: bool) -> ReminderText:
    """Before a therapy appointment; by default "an appointment", since a lock screen may be seen by others."""
    if detailed:
        return ReminderText(_("Appointment reminder"), _("Therapy session on %(day)s at %(time)s.", day=day, time=time))
    return ReminderText(_("Appointment reminder"), _("You have an appointment on %(day)s at %(time)s.", day=day, time=time))

def safety_alert() -> ReminderText:
    """The same words whatever the settings: no name, no score, nothing a lock screen could leak."""
    return ReminderText(_("A patient needs your attention"), _("A patient needs your attention — open the app."))

def safety_escalation() -> ReminderText:
    """To the safety contacts when nobody has acknowledged a safety alert in time; as private as safety_alert."""
    return ReminderText("Safety alert not yet acknowledged", "A safety alert is still open — open the app.")

def therapist_digest(*, patients_today: int) -> ReminderText:
    body = ngettext(
        "%(num)d of your patients has TMS today.", "%(num)d of your patients have TMS today.", patients_today
    )
    return ReminderText(_("Today's patients"), body)

def device_check() -> ReminderText:
    return ReminderText(_("Test notification"), _("Reminders are working on this device."))
