"""What a notification says. Lock screens are public: by default no diagnosis, treatment detail or score,
and never a patient's name; a person may opt in to detailed text (assignment titles) for their own reminders.
"""
from dataclasses import dataclass

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
    body = f"Your practice window is open until {closes}."
    if detailed and _titles(titles):
        body = f"{body} {_titles(titles)}."
    return ReminderText("Time for your practice", _clip(body))

def post_tms_nudge(*, closes: str, titles: tuple[str, ...], detailed: bool) -> ReminderText:
    body = f"Still time: your practice window is open until {closes}."
    if detailed and _titles(titles):
        body = f"{body} {_titles(titles)}."
    return ReminderText("Time for your practice", _clip(body))

def daily_checkin() -> ReminderText:
    return ReminderText("Time for your check-in", "How is today going? It takes a minute.")

def homework_due(*, title: str, due: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText("Time for your practice", _clip(f"{title} — due by {due}."))
    return ReminderText("Time for your practice", f"Something is waiting for you in the app, due by {due}.")

def homework_overdue(*, title: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText("Still time to catch up", _clip(f"{title} — you can still do it today."))
    return ReminderText("Still time to catch up", "Practice from yesterday can still be done today.")

def questionnaire_due(*, title: str, detailed: bool) -> ReminderText:
    if detailed:
        return ReminderText("A short check-in is waiting", _clip(f"{title} is ready for you."))
    return ReminderText("A short check-in is waiting", "A few questions about how you've been.")

def safety_alert() -> ReminderText:
    """The same words whatever the settings: no name, no score, nothing a lock screen could leak."""
    return ReminderText(SAFETY_TITLE, SAFETY_BODY)

def safety_escalation() -> ReminderText:
    """To the safety contacts when nobody has acknowledged a safety alert in time; as private as safety_alert."""
    return ReminderText("Safety alert not yet acknowledged", "A safety alert is still open — open the app.")

def therapist_digest(*, patients_today: int) -> ReminderText:
    verb = "has" if patients_today == 1 else "have"
    return ReminderText("Today's patients", f"{patients_today} of your patients {verb} TMS today.")

def device_check() -> ReminderText:
    return ReminderText("Test notification", "Reminders are working on this device.")
