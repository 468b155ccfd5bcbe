"""The patient's Practice hub and the therapist's per-patient tabs: each module adds one entry here."""
from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user

from app.db import get_db
from app.i18n.markers import N_
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
    Link(N_("Daily check-in"), N_("Mood, anxiety and sleep in a few taps"), "checkins.new"),
    Link(N_("Thought record"), N_("Untangle a difficult moment"), "thoughts.new", frozenset({"thought_record"})),
    Link(N_("Activities"), N_("Plan, do and rate activities"), "activation.plan", frozenset({"activity_plan"})),
    Link(N_("Exposure practice"), N_("Log a practice from your ladder"), "exposure.practice", frozenset({"exposure_practice"})),
    Link(N_("DBT skills"), N_("Skill cards and practice log"), "dbt.skills", frozenset({"dbt_skill", "diary_card"})),
    Link(N_("Diary card"), N_("Today's urges, emotions and skills"), "dbt.diary", frozenset({"diary_card"})),
    Link(N_("Questionnaires"), N_("Weekly check on how you've been"), "checkins.questionnaires"),  # PHQ-9 is for everyone
    Link(N_("Safety plan"), N_("Your steps for hard moments"), "safety.plan"),
)

ME = (
    Link(N_("Reminders"), N_("Notifications on this phone, quiet hours"), "push.settings"),
    Link(N_("Language"), N_("English, Español"), "i18n.language"),
    Link(N_("TMS in my calendar"), N_("Subscribe from your phone's calendar"), "tms.calendar_settings"),
    Link(N_("My data"), N_("Download everything you've entered"), "exports.my_data"),
    Link(N_("Password"), N_("Change your password"), "auth.change_password"),
)

PATIENT_TABS = (
    Link(N_("Overview"), "", "therapist.patient"),
    Link(N_("TMS"), "", "tms.patient_sessions", facet="schedule"),
    Link(N_("Appointments"), "", "appointments.patient_appointments"),
    Link(N_("Plan"), "", "plan.show", facet="plan"),
    Link(N_("Homework"), "", "homework.patient_assignments"),
    Link(N_("Thought records"), "", "thoughts.therapist_list", facet="thoughts"),
    Link(N_("Activities"), "", "activation.therapist_plan"),
    Link(N_("Exposure"), "", "exposure.therapist_hierarchies"),
    Link(N_("DBT"), "", "dbt.therapist_diary"),
    Link(N_("Measures"), "", "checkins.therapist_measures", facet="medical"),
    Link(N_("Safety"), "", "safety.therapist_patient", facet="medical"),
    Link(N_("Care team"), "", "careteam.show", facet="schedule"),
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
