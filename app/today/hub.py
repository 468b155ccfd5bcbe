"""The patient's Practice hub and the therapist's per-patient tabs: each module adds one entry here."""
from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user

from app.db import get_db
from app.models import User
from app.policy import Facet, can_see_patient


@dataclass(frozen=True)
class Link:
    label: str
    hint: str
    endpoint: str
    needs: frozenset[str] | None = None
    """Modules (homework kinds) that bring this entry onto Practice; None: every patient has it."""
    facet: str = "clinical"
    """For a per-patient tab: the part of the record it shows (app/policy.py Facet), so each role sees its tabs."""


PRACTICE = (
    Link("Daily check-in", "Mood, anxiety and sleep in a few taps", "checkins.new"),
    Link("Thought record", "Untangle a difficult moment", "thoughts.new", frozenset({"thought_record"})),
    Link("Activities", "Plan, do and rate activities", "activation.plan", frozenset({"activity_plan"})),
    Link("Exposure practice", "Log a practice from your ladder", "exposure.practice", frozenset({"exposure_practice"})),
    Link("DBT skills", "Skill cards and practice log", "dbt.skills", frozenset({"dbt_skill", "diary_card"})),
    Link("Diary card", "Today's urges, emotions and skills", "dbt.diary", frozenset({"diary_card"})),
    Link("Questionnaires", "Weekly check on how you've been", "checkins.questionnaires"),  # PHQ-9 is for everyone
    Link("Safety plan", "Your steps for hard moments", "safety.plan"),
)

ME = (
    Link("Reminders", "Notifications on this phone, quiet hours", "push.settings"),
    Link("Language", "English, Español", "i18n.language"),
    Link("TMS in my calendar", "Subscribe from your phone's calendar", "tms.calendar_settings"),
    Link("My data", "Download everything you've entered", "exports.my_data"),
    Link("Password", "Change your password", "auth.change_password"),
)

PATIENT_TABS = (
    Link("Overview", "", "therapist.patient"),
    Link("TMS", "", "tms.patient_sessions", facet="schedule"),
    Link("Appointments", "", "appointments.patient_appointments"),
    Link("Plan", "", "plan.show", facet="plan"),
    Link("Homework", "", "homework.patient_assignments"),
    Link("Thought records", "", "thoughts.therapist_list", facet="thoughts"),
    Link("Activities", "", "activation.therapist_plan"),
    Link("Exposure", "", "exposure.therapist_hierarchies"),
    Link("DBT", "", "dbt.therapist_diary"),
    Link("Measures", "", "checkins.therapist_measures", facet="medical"),
    Link("Safety", "", "safety.therapist_patient", facet="medical"),
    Link("Care team", "", "careteam.show", facet="schedule"),
)


def practice_links(given: set[str]) -> list[dict]:
    """Practice entries whose module is installed (an endpoint without a route is left out) and given to the
    patient (`given`: homework kinds they were assigned or already keep, from today.modules)."""
    views = current_app.view_functions
    return [
        {"label": link.label, "hint": link.hint, "url": url_for(link.endpoint)}
        for link in PRACTICE
        if link.endpoint in views and (link.needs is None or link.needs & given)
    ]


def me_links() -> list[dict]:
    views = current_app.view_functions
    return [{"label": link.label, "hint": link.hint, "url": url_for(link.endpoint)} for link in ME if link.endpoint in views]


def patient_tabs(patient_id: int) -> list[dict]:
    """The tabs of this patient's record that the signed-in user may open."""
    views = current_app.view_functions
    patient = get_db().get(User, patient_id)
    return [
        {"label": link.label, "endpoint": link.endpoint, "url": url_for(link.endpoint, patient_id=patient_id)}
        for link in PATIENT_TABS
        if link.endpoint in views and can_see_patient(current_user, patient, facet=Facet(link.facet))
    ]
