"""What staff read about a safety event: the one-line summary and how long it has been open (caseload, banner).

Staff wording, in the reader's language: kept apart from the rules so the catalog test can tell staff-only text
(English-first, issue 21) from what patients read.
"""
from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _, ngettext

from app.i18n.markers import N_
from app.models.safety import SafetyEventSource
from app.safety.rules import RED_FLAGS, URGES

URGE_LABELS = {"self_harm": N_("urge to self-harm"), "suicide": N_("urge to end my life")}
URGE_ACTS = {"self_harm": N_("self-harm"), "suicide": N_("end my life")}
RED_FLAG_LABELS = {
    "seizure": N_("seizure or suspected seizure"), "fainted": N_("fainted"),
    "headache_unrelieved": N_("headache not settling"),
    "hearing_change": N_("hearing loss or ringing that persists"), "mania_signs": N_("signs of mania or hypomania"),
}


def describe(source: SafetyEventSource, details: Mapping | None, item_value: int | None = None) -> str:
    """One line for the caseload and the staff banner: what the patient answered (in the reader's language)."""
    details = details or {}
    if source == SafetyEventSource.patient_button:
        return _("pressed “I'm not safe right now”")
    if source == SafetyEventSource.phq9_item9:
        return _("PHQ-9 item 9 answered %(value)s", value=details.get("item9", item_value))
    if source == SafetyEventSource.diary_card:
        parts = []
        for key in URGES:
            if f"urge-{key}" in details:
                parts.append(_("%(urge)s %(value)s/5", urge=_(URGE_LABELS[key]), value=details[f"urge-{key}"]))
            if details.get(f"acted-{key}"):
                parts.append(_("acted on it (%(urge)s)", urge=_(URGE_ACTS[key])))
        return _("Diary card: %(parts)s", parts="; ".join(parts))
    parts = [_(RED_FLAG_LABELS[name]) for name, _q in RED_FLAGS if details.get(name)]
    if "headache" in details:
        parts.append(_("headache %(value)s/10", value=details["headache"]))
    if source == SafetyEventSource.adverse_event:
        return _("TMS visit, recorded by the TMS team: %(parts)s", parts="; ".join(parts))
    return _("TMS side effects: %(parts)s", parts="; ".join(parts))


def open_for(since: datetime, now: datetime) -> str:
    """How long an event has been open, the way a clinician says it: "12 min", "1 h 5 min", "2 days 3 h"."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ngettext("%(num)d day %(hours)d h", "%(num)d days %(hours)d h", days, hours=hours)
    if hours:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    return _("%(minutes)d min", minutes=minutes)
