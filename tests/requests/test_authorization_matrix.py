"""Who may do what, for every route in the URL map, checked with real objects owned by patient A.

A route missing from MATRIX fails test_every_route_has_an_entry, so nothing ships unchecked. Adding a route is
one line: its (endpoint, method) and the expected result for
(anonymous, patient A, patient B, A's therapist, another therapist, admin).
LOGIN means a redirect to the sign-in page; 302 any other redirect.

The care team's roles (A's physician, a physician on B's team, a TMS technician, an external therapist who treats
only patient C) are derived from each row by care_team_expectation, with CARE_TEAM_OVERRIDES where a route treats
them differently, so a new row needs no extra columns.
"""
from base64 import urlsafe_b64encode
from io import BytesIO
from pathlib import Path

import pytest
from flask import url_for

from app.push.vapid import generate_vapid_keys
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD
from tests.support.world import CARE_TEAM_ROLES, QUERY_PARAMETERS, ROLES, build_world

LOGIN = "login"

PATIENT_OWN = (LOGIN, 200, 200, 403, 403, 403)  # a patient's own pages: each patient sees their own
CLINICAL = (LOGIN, 403, 403, 200, 404, 403)  # A's clinical record: only A's therapist
SCHEDULING = (LOGIN, 403, 403, 200, 404, 200)  # A's TMS schedule: A's therapist and clinic staff
ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
EVERYONE = (200, 200, 200, 200, 200, 200)

MATRIX: dict[tuple[str, str], tuple] = {
    ("activation.ideas", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("activation.ideas", "POST"): (LOGIN, 403, 403, 303, 303, 403),
    ("activation.new", "GET"): PATIENT_OWN,
    ("activation.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("activation.plan", "GET"): PATIENT_OWN,
    ("activation.record", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("activation.record", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("activation.replan", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("activation.therapist_add", "POST"): (LOGIN, 403, 403, 400, 404, 403),
    ("activation.therapist_plan", "GET"): CLINICAL,
    ("admin.audit_log", "GET"): ADMIN_ONLY,
    ("admin.index", "GET"): ADMIN_ONLY,
    ("admin.issue_link", "POST"): (LOGIN, 403, 403, 200, 404, 200),
    ("admin.new_patient", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("admin.new_patient", "POST"): (LOGIN, 403, 403, 400, 400, 400),
    ("admin.new_staff", "GET"): ADMIN_ONLY,
    ("admin.new_staff", "POST"): (LOGIN, 403, 403, 403, 403, 400),
    ("admin.patient_details", "GET"): SCHEDULING,
    ("admin.patient_details", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("admin.reassign", "GET"): ADMIN_ONLY,
    ("admin.reassign", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("admin.set_active", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("admin.set_safety_contact", "POST"): (LOGIN, 403, 403, 403, 403, 404),  # user_id is patient A: not staff
    ("appointments.cancel", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("appointments.create", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("appointments.day_list", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("appointments.move", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("appointments.patient_appointments", "GET"): CLINICAL,
    ("auth.change_password", "GET"): SIGNED_IN,
    ("auth.change_password", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("auth.healthz", "GET"): EVERYONE,
    ("auth.invite", "GET"): EVERYONE,
    ("auth.invite", "POST"): (400, 400, 400, 400, 400, 400),
    ("auth.login", "GET"): (200, 302, 302, 302, 302, 302),
    ("auth.login", "POST"): (400, 302, 302, 302, 302, 302),
    ("auth.logout", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("auth.reauth", "GET"): SIGNED_IN,
    ("auth.reauth", "POST"): (LOGIN, 400, 400, 400, 400, 400),
    ("auth.reset", "GET"): EVERYONE,
    ("auth.reset", "POST"): (400, 400, 400, 400, 400, 400),
    ("auth.root", "GET"): (LOGIN, 302, 302, 302, 302, 302),
    ("auth.sign_out_everywhere", "POST"): (LOGIN, 303, 303, 303, 303, 303),
    ("careteam.add", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("careteam.remove", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("careteam.sharing", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("careteam.show", "GET"): SCHEDULING,
    ("checkins.new", "GET"): PATIENT_OWN,
    ("checkins.new", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("checkins.questionnaire", "GET"): PATIENT_OWN,
    ("checkins.questionnaire", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("checkins.questionnaires", "GET"): PATIENT_OWN,
    ("checkins.side_effects", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("checkins.side_effects", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("checkins.side_effects_report", "GET"): ADMIN_ONLY,
    ("checkins.therapist_measures", "GET"): CLINICAL,
    ("coordination.weekly", "GET"): (LOGIN, 403, 403, 403, 403, 403),  # the physician's page: see the overrides
    ("clinic.add_closure", "POST"): (LOGIN, 403, 403, 303, 303, 303),
    ("clinic.add_holidays", "POST"): (LOGIN, 403, 403, 303, 303, 303),
    ("clinic.closures_page", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("clinic.remove_closure", "POST"): (LOGIN, 403, 403, 303, 303, 303),
    ("clinic.save_time", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("checkins.therapist_experience", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("checkins.therapist_rating", "POST"): (LOGIN, 403, 403, 400, 404, 403),
    ("checkins.therapist_schedule", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("dbt.add_target", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("dbt.assign_card", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("dbt.card", "GET"): PATIENT_OWN,
    ("dbt.card", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("dbt.diary", "GET"): PATIENT_OWN,
    ("dbt.diary", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("dbt.new_card", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("dbt.new_card", "POST"): (LOGIN, 403, 403, 400, 400, 403),
    ("dbt.remove_target", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("dbt.skills", "GET"): PATIENT_OWN,
    ("dbt.therapist_diary", "GET"): CLINICAL,
    ("history.delete_activity", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("history.delete_checkin", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("history.delete_diary", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("history.delete_practice", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("history.edit_checkin", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("history.edit_checkin", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("history.edit_practice", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("history.edit_practice", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("directory.patients", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("exports.caseload_csv", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("exports.my_data", "GET"): PATIENT_OWN,
    ("exports.my_data_json", "GET"): PATIENT_OWN,
    ("exports.patient_csv", "GET"): CLINICAL,
    ("exports.fhir_code_system", "GET"): EVERYONE,
    ("exports.fhir_questionnaire", "GET"): EVERYONE,
    ("exports.my_data_summary", "GET"): PATIENT_OWN,
    ("exports.patient_fhir", "GET"): CLINICAL,
    # Exposure serves patient and therapist from one view: the wrong kind of URL for your role is a 404.
    ("exposure.add_item", "POST"): (LOGIN, 303, 404, 404, 404, 403),
    ("exposure.create_hierarchy", "POST"): (LOGIN, 303, 303, 404, 404, 403),
    ("exposure.hierarchies", "GET"): (LOGIN, 200, 200, 404, 404, 403),
    ("exposure.hierarchy", "GET"): (LOGIN, 200, 404, 404, 404, 403),
    ("exposure.practice", "GET"): PATIENT_OWN,
    ("exposure.practice_item", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("exposure.practice_item", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("exposure.reorder", "POST"): (LOGIN, 303, 404, 404, 404, 403),
    ("exposure.listen_recording", "GET"): CLINICAL,  # the session recording A sent: their therapists play it
    ("exposure.remove_recording", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("exposure.rerate", "POST"): (LOGIN, 303, 404, 404, 404, 403),
    ("exposure.send_recording", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("exposure.set_status", "POST"): (LOGIN, 303, 404, 404, 404, 403),
    ("exposure.therapist_add_item", "POST"): (LOGIN, 404, 404, 303, 404, 403),
    ("exposure.therapist_create_hierarchy", "POST"): (LOGIN, 404, 404, 303, 404, 403),
    ("exposure.therapist_hierarchies", "GET"): (LOGIN, 404, 404, 200, 404, 403),
    ("exposure.therapist_hierarchy", "GET"): (LOGIN, 404, 404, 200, 404, 403),
    ("exposure.therapist_item", "GET"): CLINICAL,
    ("exposure.therapist_reorder", "POST"): (LOGIN, 404, 404, 303, 404, 403),
    ("exposure.therapist_rerate", "POST"): (LOGIN, 404, 404, 303, 404, 403),
    ("exposure.therapist_set_status", "POST"): (LOGIN, 404, 404, 303, 404, 403),
    ("homework.create", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.edit", "GET"): CLINICAL,
    ("homework.edit", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.end", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("homework.patient_assignments", "GET"): CLINICAL,
    ("i18n.js_catalog", "GET"): EVERYONE,
    ("i18n.language", "GET"): SIGNED_IN,
    ("i18n.language", "POST"): (LOGIN, 303, 303, 303, 303, 303),
    ("onboarding.resume", "GET"): (LOGIN, 302, 302, 403, 403, 403),
    ("onboarding.step", "GET"): PATIENT_OWN,
    ("onboarding.step", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("plan.save", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("plan.show", "GET"): CLINICAL,
    ("push.public_key", "GET"): SIGNED_IN,
    ("push.send_test", "POST"): (LOGIN, 303, 303, 303, 303, 403),
    ("push.settings", "GET"): (LOGIN, 200, 200, 200, 200, 403),
    ("push.settings", "POST"): (LOGIN, 303, 303, 303, 303, 403),
    ("push.subscribe", "POST"): (LOGIN, 201, 201, 201, 201, 403),
    ("push.unsubscribe", "DELETE"): (LOGIN, 204, 204, 204, 204, 403),
    ("pwa.manifest", "GET"): EVERYONE,
    ("pwa.offline", "GET"): EVERYONE,
    ("pwa.service_worker", "GET"): EVERYONE,
    ("pwa.shell", "GET"): EVERYONE,
    ("safety.acknowledge", "POST"): (LOGIN, 403, 403, 303, 404, 404),  # staff who are safety contacts may too
    ("safety.clinic_settings", "GET"): ADMIN_ONLY,
    ("safety.clinic_settings", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("safety.crisis", "GET"): PATIENT_OWN,
    ("safety.crisis_seen", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("safety.threshold", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("safety.urgent", "GET"): PATIENT_OWN,
    ("safety.not_safe", "GET"): PATIENT_OWN,
    ("safety.plan", "GET"): PATIENT_OWN,
    ("safety.plan", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("safety.report", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("safety.therapist_patient", "GET"): (LOGIN, 403, 403, 200, 404, 404),  # and the clinic's safety contacts
    ("safety.therapist_plan", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("static", "GET"): EVERYONE,
    ("therapist.add_therapy_session", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("therapist.progress_scores", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("therapist.patient", "GET"): CLINICAL,
    ("therapist.patients", "GET"): (LOGIN, 403, 403, 200, 200, 403),
    ("thoughts.comment", "POST"): (LOGIN, 403, 403, 303, 404, 403),
    ("thoughts.detail", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("thoughts.edit", "GET"): (LOGIN, 200, 404, 403, 403, 403),
    ("thoughts.edit", "POST"): (LOGIN, 400, 404, 403, 403, 403),
    ("thoughts.history", "GET"): PATIENT_OWN,
    ("thoughts.new", "GET"): PATIENT_OWN,
    ("thoughts.new", "POST"): (LOGIN, 400, 400, 403, 403, 403),
    ("thoughts.therapist_detail", "GET"): CLINICAL,
    ("thoughts.therapist_list", "GET"): CLINICAL,
    ("tms.add_session", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms_record.course_record", "GET"): SCHEDULING,
    ("tms_record.record_form", "GET"): ADMIN_ONLY,
    ("tms_record.save_prescription", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("tms_record.save_record", "POST"): (LOGIN, 403, 403, 403, 403, 400),  # A's visit is not delivered yet
    ("tms.calendar_create", "POST"): PATIENT_OWN,
    ("tms.calendar_feed", "GET"): EVERYONE,
    ("tms.calendar_title", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("tms.calendar_revoke", "POST"): (LOGIN, 303, 303, 403, 403, 403),
    ("tms.calendar_settings", "GET"): PATIENT_OWN,
    ("tms.clinic_today", "GET"): (LOGIN, 403, 403, 200, 200, 200),
    ("tms.confirm", "POST"): (LOGIN, 303, 404, 403, 403, 403),
    ("tms.book_makeup", "POST"): (LOGIN, 403, 403, 400, 404, 400),
    ("tms.create_course", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.extend_course", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.patient_sessions", "GET"): SCHEDULING,
    ("tms.reschedule", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("tms.set_status", "POST"): (LOGIN, 403, 403, 303, 404, 303),
    ("today.index", "GET"): PATIENT_OWN,
    ("pwa.offline_pages", "GET"): PATIENT_OWN,
    ("today.me", "GET"): PATIENT_OWN,
    ("today.practice", "GET"): PATIENT_OWN,
    ("today.week", "GET"): PATIENT_OWN,
    ("sites.create", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("sites.delete", "POST"): (LOGIN, 403, 403, 403, 403, 409),  # the site has patients: refused with a reason
    ("sites.edit", "GET"): ADMIN_ONLY,
    ("sites.index", "GET"): ADMIN_ONLY,
    ("sites.move_patient", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("sites.network", "GET"): ADMIN_ONLY,
    ("sites.staff", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("sites.switch_site", "POST"): (LOGIN, 403, 403, 303, 303, 303),
    ("sites.update", "POST"): (LOGIN, 403, 403, 403, 403, 303),
    ("progress.index", "GET"): PATIENT_OWN,
}

NOT_THEIRS = {"physician_a": 403, "other_physician": 403, "technician": 403, "external_therapist": 403}
CLINIC_ONLY = {"external_therapist": 403}  # clinic-wide pages an outside therapist never sees
PHYSICIAN_READS = {"physician_a": 200, "other_physician": 404}  # the medical facet, on A's care team only
CARE_TEAM_OVERRIDES: dict[tuple[str, str], dict[str, object]] = {
    ("activation.ideas", "GET"): CLINIC_ONLY,
    ("activation.ideas", "POST"): CLINIC_ONLY,
    ("admin.issue_link", "POST"): {"physician_a": 403, "other_physician": 403, "technician": 403},
    ("admin.new_patient", "GET"): NOT_THEIRS,
    ("admin.new_patient", "POST"): NOT_THEIRS,
    ("careteam.sharing", "POST"): {"physician_a": 403, "other_physician": 403, "technician": 403},
    ("checkins.side_effects_report", "GET"): {"physician_a": 200, "other_physician": 200, "technician": 200},
    ("checkins.therapist_measures", "GET"): PHYSICIAN_READS,
    ("checkins.therapist_rating", "POST"): {"physician_a": 400, "other_physician": 404},
    ("dbt.new_card", "GET"): CLINIC_ONLY,
    ("dbt.new_card", "POST"): CLINIC_ONLY,
    ("clinic.add_closure", "POST"): CLINIC_ONLY,
    ("coordination.weekly", "GET"): {"physician_a": 200, "other_physician": 200},
    ("plan.save", "POST"): {"physician_a": 303, "other_physician": 404},  # the whole care team edits the plan
    ("plan.show", "GET"): PHYSICIAN_READS,
    ("clinic.add_holidays", "POST"): CLINIC_ONLY,
    ("clinic.closures_page", "GET"): CLINIC_ONLY,
    ("clinic.remove_closure", "POST"): CLINIC_ONLY,
    ("directory.patients", "GET"): CLINIC_ONLY,
    ("safety.acknowledge", "POST"): {"physician_a": 303, "other_physician": 404},
    ("safety.therapist_patient", "GET"): PHYSICIAN_READS,
    ("therapist.patients", "GET"): {"physician_a": 200, "other_physician": 200},
    ("thoughts.therapist_detail", "GET"): {"physician_a": 404, "other_physician": 404},  # not shared by A
    ("thoughts.therapist_list", "GET"): {"physician_a": 404, "other_physician": 404},
    ("tms.clinic_today", "GET"): CLINIC_ONLY,
    # The TMS record: the TMS team and A's physician record it; therapists read it, an outside therapist never.
    ("tms_record.course_record", "GET"): CLINIC_ONLY,
    ("tms_record.record_form", "GET"): {"technician": 200} | PHYSICIAN_READS,
    ("tms_record.save_prescription", "POST"): {"technician": 303, "physician_a": 303, "other_physician": 404},
    ("tms_record.save_record", "POST"): {"technician": 400, "physician_a": 400, "other_physician": 404},
    ("sites.switch_site", "POST"): CLINIC_ONLY,
}


def care_team_expectation(endpoint: str, method: str, role: str):
    """A care-team role's expected result, from the row's six columns unless the route overrides it.

    A technician is like clinic administration on pages therapists share, and never on administration's own.
    An external therapist is a therapist who is not A's. A physician is like A's therapist on pages therapists and
    clinic staff share (the TMS schedule), else the role may not use the page; a physician off A's team then sees
    what a therapist off A's team sees.
    """
    override = CARE_TEAM_OVERRIDES.get((endpoint, method), {})
    if role in override:
        return override[role]
    _anonymous, _patient_a, _patient_b, therapist_a, other_therapist, admin = MATRIX[(endpoint, method)]
    if role == "technician":
        return admin if therapist_a != 403 else 403
    if role == "external_therapist":
        return other_therapist
    physician = therapist_a if 403 not in (therapist_a, admin) else 403
    if role == "other_physician" and physician == therapist_a:
        return other_therapist
    return physician


# A valid body for actions whose permitted callers should succeed, so "allowed" means the action really happens.
# {placeholders} in keys and values are filled from the world's objects.
LADDER_ITEM = {"kind": "erp", "description": "Touch the bin lid", "ritual": "Wash hands", "suds": "60"}
PRACTICE = {"entry_token": "matrix-practice", "started_at": "", "duration_minutes": "20", "suds_before": "40",
            "suds_peak": "65", "suds_after": "30", "ritual_resisted": "fully", "feared_outcome": "I'll get ill",
            "likelihood_before": "80", "what_happened": "Nothing", "likelihood_after": "30", "notes": ""}
PAYLOADS: dict[str, dict] = {
    "activation.ideas": {"life_area": "relationships", "text": "Phone a cousin"},
    "activation.record": {"outcome": "done", "pleasure": "6", "mastery": "5"},
    "appointments.create": {"date": "2031-03-04", "time": "14:00", "weeks": "2", "minutes": "50"},
    "appointments.move": {"date": "2031-03-05", "time": "15:00"},
    "plan.save": {"goals": "Enjoy cooking again", "focus": ["depression"], "phase": "acute", "modalities": ["tms"],
                  "homework_minutes": "20"},
    "admin.patient_details": {"family_name": "Example", "given_name": "Alex", "birth_date": "1980-02-29",
                              "administrative_gender": "other", "mrn": "MRN-A"},
    "admin.reassign": {"therapist_id": "{other_therapist_id}"},
    "careteam.add": {"role": "co_therapist", "member_id": "{other_therapist_id}"},
    "careteam.sharing": {"allowed": "1"},
    "admin.set_active": {"active": "0"},
    "checkins.new": {"mood": "6"},
    "checkins.side_effects": {"headache": "1", "scalp_discomfort": "0"},
    "checkins.therapist_schedule": {"code": "gad7", "enabled": "1", "weekday": "2"},
    "checkins.therapist_experience": {"experience": "The car accident in 2019"},
    "dbt.add_target": {"label": "Urge to shout"},
    "dbt.assign_card": {"slug": "tipp", "days": "7"},
    "dbt.card": {"helped": "5"},
    "dbt.diary": {"urge-self_harm": "0", "urge-suicide": "0", "urge-substance_use": "1", "emotion-sadness": "2",
                  "emotion-joy": "3", "skills_used": "4", "notes": ""},
    "exposure.add_item": LADDER_ITEM,
    "history.edit_checkin": {"mood": "5", "note": "Corrected"},
    "history.edit_practice": {"duration_minutes": "25", "suds_before": "40", "suds_peak": "60", "suds_after": "20",
                              "ritual_resisted": "fully", "notes": ""},
    "therapist.progress_scores": {"shown": "1"},
    "exposure.create_hierarchy": {"title": "Heights"},
    "exposure.practice_item": PRACTICE,
    "exposure.reorder": {"order": "{item_id}", "version": "{hierarchy_version}"},
    "exposure.rerate": {"suds": "35"},
    "exposure.set_status": {"status": "mastered"},
    "exposure.therapist_add_item": LADDER_ITEM,
    "exposure.therapist_create_hierarchy": {"title": "Heights"},
    "exposure.therapist_reorder": {"order": "{item_id}", "version": "{hierarchy_version}"},
    "exposure.therapist_rerate": {"suds": "35"},
    "exposure.therapist_set_status": {"status": "mastered"},
    "i18n.language": {"language": "es"},
    "onboarding.step": {"action": "next", "language": "es"},
    "homework.create": {"kind": "thought_record", "title": "Thought record", "instructions": "",
                        "start_date": "2026-03-02", "timing_kind": "post_tms", "window_hours": "4"},
    "homework.edit": {"title": "Evening record", "instructions": "", "timing_kind": "daily", "local_time": "19:00",
                      "window_hours": "4"},
    "safety.acknowledge": {"ack{event_id}-action_taken": "Phoned; safe with partner tonight."},
    "safety.clinic_settings": {"clinic_phone": "(212) 555-0100", "after_hours_phone": "", "crisis_line_label": "988 Lifeline",
                               "crisis_line_number": "988", "crisis_line_text": "988", "emergency_number": "911"},
    "safety.plan": {"warning_signs": "Not sleeping"},
    "safety.threshold": {"suicide_urge_threshold": "5"},
    "safety.therapist_plan": {"warning_signs": "Not sleeping"},
    "therapist.add_therapy_session": {"held_on": "2026-03-03"},
    "thoughts.comment": {"body": "Good evidence against."},
    "tms.add_session": {"date": "2026-03-14", "time": "10:00"},
    "tms.create_course": {"label": "Second course", "protocol": "standard", "start_date": "2026-05-04", "weeks": "1",
                          "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]},
    "tms.calendar_title": {"event_title": "neutral"},
    "tms.reschedule": {"date": "2026-03-02", "time": "15:30"},
    "tms.book_makeup": {"date": "2026-03-20", "time": "10:00"},
    "tms.extend_course": {"sessions": "2"},
    "clinic.add_closure": {"first_day": "2031-12-24", "label": "Winter break"},
    "clinic.add_holidays": {"year": "2031"},
    "clinic.save_time": {"timezone": "America/New_York", "opens_at": "07:00", "closes_at": "19:00",
                         "holiday_country": "US", "holiday_region": ""},
    "tms.set_status": {"status": "completed"},
    "tms_record.save_prescription": {"target": "Left DLPFC", "pattern": "10hz", "intensity_pct": "120",
                                     "pulses": "3000"},
    "tms_record.save_record": {"target": "Left DLPFC", "coil": "Figure-8", "motor_threshold_pct": "55",
                               "motor_threshold_measured_on": "2026-03-02", "intensity_pct": "120", "pattern": "10hz",
                               "pulses": "3000", "duration_minutes": "37", "duration_seconds": "30"},
    "sites.create": {"name": "Matrix site", "address": "", "timezone": "America/Chicago"},
    "sites.move_patient": {"site_id": "{site_id}"},
    "sites.staff": {"user_id": "{other_therapist_id}", "assigned": "1"},
    "sites.switch_site": {"site_id": "{site_id}"},
    "sites.update": {"name": "Main site", "address": "1 Main St", "timezone": "America/New_York"},
}
# Endpoints that take a file (multipart): made fresh for each request, as a file can be read once.
FILE_PAYLOADS = {"exposure.send_recording": lambda: {
    "seconds": "60", "audio": (BytesIO(b"\x1a\x45\xdf\xa3" + bytes(64)), "session-recording", "audio/webm")}}
# Endpoints that take JSON (@accepts_json): a browser push subscription, as static/js/push.js sends it.
PUSH_ENDPOINT = "http://127.0.0.1:9/push/matrix"
JSON_PAYLOADS: dict[str, dict] = {
    "push.subscribe": {"endpoint": PUSH_ENDPOINT,
                       "keys": {"p256dh": urlsafe_b64encode(b"\x04" + bytes(range(1, 65))).decode().rstrip("="),
                                "auth": urlsafe_b64encode(bytes(range(16))).decode().rstrip("=")}},
    "push.unsubscribe": {"endpoint": PUSH_ENDPOINT},
}
# Behind a fresh sign-in (password typed in the last few minutes): checked as someone who just signed in.
FRESH_SIGN_IN = {"auth.change_password", "exports.my_data_json", "exports.my_data_summary"}
# Server set-up a route needs before it can answer at all (else 503 for everyone).
SERVER_SETUP = {"push.public_key": lambda app: generate_vapid_keys(Path(app.instance_path))}


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def payload_for(endpoint: str, world) -> dict:
    """The route's valid body, with {placeholders} filled from the world's objects."""
    return {k.format(**world.params): (v.format(**world.params) if isinstance(v, str) else v)
            for k, v in PAYLOADS.get(endpoint, {}).items()}


def request_url(app, world, endpoint: str, method: str) -> str:
    """The endpoint's URL with its parameters filled from patient A's objects."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
    with app.test_request_context():
        return url_for(endpoint, **world.url_values(endpoint, set(rule.arguments)))


def request_for(app, world, endpoint: str, method: str, role: str, client):
    """Send `method` to `endpoint` as `role`, with the route's payload if it has one."""
    url = request_url(app, world, endpoint, method)
    if endpoint in SERVER_SETUP:
        SERVER_SETUP[endpoint](app)
    if role != "anonymous" and endpoint in FRESH_SIGN_IN:
        signed_in = client.post("/login", data={"email": world.users[role].email, "password": TEST_PASSWORD})
        assert signed_in.status_code == 302
    elif role != "anonymous":
        sign_in(client, world.users[role])
    if endpoint in JSON_PAYLOADS:
        return client.open(url, method=method, json=JSON_PAYLOADS[endpoint])
    if endpoint in FILE_PAYLOADS:
        return client.open(url, method=method, data=FILE_PAYLOADS[endpoint](), content_type="multipart/form-data")
    return client.open(url, method=method, data=payload_for(endpoint, world) if method != "GET" else None)


def test_every_route_has_an_entry(app):
    routes = app_routes(app)
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes with no authorization entry in MATRIX: {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"
    assert not CARE_TEAM_OVERRIDES.keys() - routes, "CARE_TEAM_OVERRIDES for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES + CARE_TEAM_ROLES)
@pytest.mark.parametrize("endpoint,method", sorted(MATRIX))
def test_access(app, db, client, endpoint, method, role):
    world = build_world(db)
    if role in ROLES:
        expected = MATRIX[(endpoint, method)][ROLES.index(role)]
    else:
        expected = care_team_expectation(endpoint, method, role)
    with request_for(app, world, endpoint, method, role, client) as response:
        if expected == LOGIN:
            assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login")
        else:
            assert response.status_code == expected
            if expected == 302:
                assert not response.headers["Location"].startswith("/login")


# A second site (issue 22): patient A moves to a site where none of the clinic's staff work. Every route that takes
# one of A's objects and that clinic administration or a technician could use at A's old site is then closed to them.
PATIENT_OBJECTS = {"patient_id", "user_id", "assignment_id", "course_id", "session_id", "record_id", "activity_id",
                   "hierarchy_id", "item_id", "target_id", "event_id", "seat_id"}
SITE_SCOPED = ("admin", "technician")


def _routes_on_patient_a(app, role: str) -> list[tuple[str, str]]:
    found = []
    for endpoint, method in sorted(MATRIX):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
        arguments = set(rule.arguments) | set(QUERY_PARAMETERS.get(endpoint, ()))
        expected = MATRIX[(endpoint, method)][ROLES.index("admin")] if role == "admin" \
            else care_team_expectation(endpoint, method, role)
        if arguments & PATIENT_OBJECTS and expected not in (LOGIN, 403, 404):
            found.append((endpoint, method))
    return found


@pytest.mark.parametrize("role", SITE_SCOPED)
def test_another_sites_patient_is_closed_to_clinic_staff(app, db, client, role):
    from app.sites.services import assign_patient, create_site

    world = build_world(db)
    patient_a = world.users["patient_a"]
    far = create_site(db, name="Los Angeles", timezone="America/Los_Angeles")
    assign_patient(db, patient=patient_a, site=far)
    world.users[role].safety_contact = True  # a safety contact too: still only their own sites' patients
    db.add(world.users[role])
    db.commit()
    routes = _routes_on_patient_a(app, role)
    assert len(routes) >= 10  # the schedule, care team, details, accounts... (a guard against an empty check)
    opened = {}
    for endpoint, method in routes:
        with request_for(app, world, endpoint, method, role, client) as response:
            if response.status_code not in (403, 404):
                opened[(endpoint, method)] = response.status_code
    assert opened == {}


def test_staff_at_both_sites_see_the_patient_there(app, db, client):
    """The same routes open again once the administrator is assigned to the patient's new site."""
    from app.sites.services import assign_patient, assign_staff, create_site

    world = build_world(db)
    far = create_site(db, name="Los Angeles", timezone="America/Los_Angeles")
    assign_patient(db, patient=world.users["patient_a"], site=far)
    assign_staff(db, staff=world.users["admin"], site=far)
    db.commit()
    with request_for(app, world, "tms.patient_sessions", "GET", "admin", client) as response:
        assert response.status_code == 200
