"""A small clinic for access tests: patient A with real objects, patient B, A's therapist, another therapist, an admin;
and the care team's roles: A's physician, a physician on B's team only, a TMS technician, and an external therapist
who treats patient C only.

Patient A owns one of everything a route takes as a URL parameter (and a little data behind each tab), all made
through the features' own services, so a page that leaks or crashes on real rows shows up in the matrix.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.activation import services as activation
from app.activation.ideas import LifeArea
from app.activation.planning import PlanInput
from app.auth import accounts
from app.checkins import services as checkins
from app.checkins.entries import CheckinValues, SideEffectValues
from app.checkins.instruments import INSTRUMENTS
from app.dbt import services as dbt
from app.exposure import services as exposure
from app.exposure.rules import PracticeInput
from app.homework.schedule import local_today
from app.careteam import services as careteam
from app.models import CareTeamRole, ClinicClosure, HomeworkKind, Role, SafetyEventSource, TmsSession, TokenPurpose, User
from app.models.exposure import RitualResisted
from app.models.types import utcnow
from app.safety import services as safety
from app.thoughts import services as thoughts
from app.thoughts.columns import EmotionRating, ThoughtRecordInput
from app.tms import calendar
from tests.factories import EHR_DETAILS, make_admin, make_assignment, make_course, make_patient, make_therapist, make_user

ROLES = ("anonymous", "patient_a", "patient_b", "therapist_a", "other_therapist", "admin")
CARE_TEAM_ROLES = ("physician_a", "other_physician", "technician", "external_therapist")
QUERY_PARAMETERS = {"checkins.side_effects": ("session_id",)}  # not in the URL rule, but a reference to A's object


@dataclass
class World:
    users: dict[str, User]
    params: dict[str, object] = field(default_factory=dict)

    def url_values(self, endpoint: str, arguments: set[str]) -> dict[str, object]:
        """URL parameters for `endpoint`, all pointing at patient A's objects."""
        values = dict(self.params)
        if endpoint == "tms.calendar_feed":
            values["token"] = self.params["feed_token"]
        if endpoint == "static":
            values["filename"] = "css/app.css"
        if endpoint == "exports.fhir_questionnaire":
            values["code"] = "pcl5"
        if endpoint == "exports.fhir_code_system":
            values["name"] = "measures"
        return {name: values[name] for name in arguments | set(QUERY_PARAMETERS.get(endpoint, ()))}


def _thought_record(db: Session, patient: User, therapist: User, at: datetime):
    entry = ThoughtRecordInput(
        situation="Friend cancelled dinner", automatic_thoughts="Nobody wants to see me", belief_before=80,
        emotions=(EmotionRating("Lonely", 80, 40),), evidence_for="She cancelled",
        evidence_against="She offered another day", balanced_thought="She is ill and still wants to meet",
        belief_balanced=70, traps=("mind-reading",),
    )
    record = thoughts.save_record(db, patient=patient, entry=entry, complete=True, at=at)
    thoughts.add_comment(db, record=record, author=therapist, body="Good evidence against.", at=at)
    return record


def _exposure(db: Session, patient: User, at: datetime):
    hierarchy = exposure.create_hierarchy(db, patient=patient, title="Contamination")
    item = exposure.add_item(db, hierarchy=hierarchy, kind="erp", description="Touch the door handle",
                             ritual="Wash hands", suds=40, by=patient, at=at)
    practice = PracticeInput(
        started_at=at - timedelta(minutes=20), duration_minutes=20, suds_before=40, suds_peak=60, suds_after=25,
        ritual_resisted=RitualResisted.fully, feared_outcome="I'll get ill", likelihood_before=80,
        what_happened="Nothing", likelihood_after=30, notes="",
    )
    exposure.log_practice(db, patient=patient, item=item, entry=practice, entry_token="world-practice", at=at)
    return hierarchy, item


def build_world(db: Session) -> World:
    now = utcnow()
    therapist_a = make_therapist(db, email="ther-a@example.org", name="Dr. A")
    other_therapist = make_therapist(db, email="ther-b@example.org", name="Dr. B")
    patient_a = make_patient(db, therapist=therapist_a, email="pat-a@example.org", name="Alex A", **EHR_DETAILS)
    patient_b = make_patient(db, therapist=other_therapist, email="pat-b@example.org", name="Blake B")
    admin = make_admin(db, email="admin@example.org", name="Clinic Admin")
    course = make_course(db, patient=patient_a, by=therapist_a, start=date(2026, 3, 2), weeks=1)
    sessions = select(TmsSession).where(TmsSession.course_id == course.id).order_by(TmsSession.scheduled_at)
    session = db.exec(sessions).first()
    assignment = make_assignment(db, patient=patient_a, kind=HomeworkKind.thought_record)
    feed_token = calendar.new_feed_token(db, patient=patient_a, now=now)
    link = accounts.issue_link(db, user=patient_a, purpose=TokenPurpose.password_reset, by=therapist_a, now=now)

    record = _thought_record(db, patient_a, therapist_a, now)
    activity = activation.plan_activity(
        db, patient=patient_a, by=patient_a, at=now,
        plan=PlanInput(title="Walk round the park", life_area=LifeArea.HEALTH_BODY,
                       planned_date=local_today(patient_a, now), planned_time=None),
    )
    activation.add_idea(db, life_area=LifeArea.LEISURE_FUN.value, text="Bake bread", by=therapist_a, at=now)
    hierarchy, item = _exposure(db, patient_a, now)
    target = dbt.add_target(db, patient=patient_a, label="Urge to skip meals", by=therapist_a, at=now)
    dbt.log_skill_use(db, patient=patient_a, card=dbt.find_card(db, "tipp"), helped=5, note=None, at=now)
    checkins.create_checkin(db, patient=patient_a, values=CheckinValues(mood=6, anxiety=3, sleep_hours=7.0, note=""),
                            at=now)
    checkins.create_side_effect_check(db, patient=patient_a, session=session, at=now,
                                      values=SideEffectValues(headache=2, scalp_discomfort=1, note="Mild"))
    checkins.submit_questionnaire(db, patient=patient_a, instrument=INSTRUMENTS["phq9"], at=now,
                                  answers={number: 1 for number in range(1, 9)} | {9: 0})
    event = safety.record_safety_event(db, patient=patient_a, source=SafetyEventSource.patient_button, at=now)
    closure = ClinicClosure(site_id=patient_a.site_id, day=date(2030, 12, 25), label="Christmas Day")
    db.add(closure)
    physician_a = make_user(db, role=Role.physician, email="phys-a@example.org", name="Dr. Physician A")
    other_physician = make_user(db, role=Role.physician, email="phys-b@example.org", name="Dr. Physician B")
    technician = make_user(db, role=Role.technician, email="tech@example.org", name="Tess Technician")
    external = make_therapist(db, email="ext@example.org", name="Eve External")
    external.external = True
    make_patient(db, therapist=external, email="pat-c@example.org", name="Casey C")
    physician_seat = careteam.add_member(db, patient=patient_a, member_id=physician_a.id, role=CareTeamRole.physician,
                                         by=admin)
    careteam.add_member(db, patient=patient_b, member_id=other_physician.id, role=CareTeamRole.physician, by=admin)
    db.commit()
    return World(
        users={"patient_a": patient_a, "patient_b": patient_b, "therapist_a": therapist_a,
               "other_therapist": other_therapist, "admin": admin, "physician_a": physician_a,
               "other_physician": other_physician, "technician": technician, "external_therapist": external},
        params={"patient_id": patient_a.id, "user_id": patient_a.id, "assignment_id": assignment.id,
                "course_id": course.id, "session_id": session.id, "token": link.token, "feed_token": feed_token,
                "other_therapist_id": other_therapist.id, "record_id": record.id, "activity_id": activity.id,
                "hierarchy_id": hierarchy.id, "hierarchy_version": hierarchy.version, "item_id": item.id,
                "target_id": target.id, "event_id": event.id, "seat_id": physician_seat.id,
                "code": "phq9", "slug": "tipp", "closure_id": closure.id},
    )
