"""A small clinic for access tests: patient A with real objects, patient B, A's therapist, another therapist, an admin."""
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from app.auth import accounts
from app.models import HomeworkKind, TmsSession, TokenPurpose, User
from app.models.types import utcnow
from app.tms import calendar
from tests.factories import make_admin, make_assignment, make_course, make_patient, make_therapist

ROLES = ("anonymous", "patient_a", "patient_b", "therapist_a", "other_therapist", "admin")


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
        return {name: values[name] for name in arguments}


def build_world(db: Session) -> World:
    therapist_a = make_therapist(db, email="ther-a@example.org", name="Dr. A")
    other_therapist = make_therapist(db, email="ther-b@example.org", name="Dr. B")
    patient_a = make_patient(db, therapist=therapist_a, email="pat-a@example.org", name="Alex A")
    patient_b = make_patient(db, therapist=other_therapist, email="pat-b@example.org", name="Blake B")
    admin = make_admin(db, email="admin@example.org", name="Clinic Admin")
    course = make_course(db, patient=patient_a, by=therapist_a, start=date(2026, 3, 2), weeks=1)
    session = db.exec(select(TmsSession).where(TmsSession.course_id == course.id).order_by(TmsSession.scheduled_at)).first()
    assignment = make_assignment(db, patient=patient_a, kind=HomeworkKind.thought_record)
    feed_token = calendar.new_feed_token(db, patient=patient_a, now=utcnow())
    link = accounts.issue_link(db, user=patient_a, purpose=TokenPurpose.password_reset, by=therapist_a, now=utcnow())
    db.commit()
    return World(
        users={"patient_a": patient_a, "patient_b": patient_b, "therapist_a": therapist_a,
               "other_therapist": other_therapist, "admin": admin},
        params={"patient_id": patient_a.id, "user_id": patient_a.id, "assignment_id": assignment.id,
                "course_id": course.id, "session_id": session.id, "token": link.token, "feed_token": feed_token,
                "other_therapist_id": other_therapist.id},
    )
