"""Demo care teams: the clinic's physician sits on every patient's team (Dana lets her physician read her thought
records); Riley, the community therapist's patient, is two weeks into a standard course at the clinic."""
from datetime import time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.careteam import services as careteam
from app.demo import DemoClinic
from app.demo.tms import _course, _mark_past, _monday_weeks_ago
from app.models import CareTeamMember, CareTeamRole, TmsCourse
from app.models.tms import ProtocolKind
from app.tms import protocols

PHYSICIAN_PATIENTS = ("dana", "sam", "jordan", "riley")


def seed_care_team(db: Session, clinic: DemoClinic) -> None:
    physician, staff = clinic.people["physician"], clinic.people["staff"]
    for key in PHYSICIAN_PATIENTS:
        patient = clinic.people[key]
        if db.exec(select(CareTeamMember).where(CareTeamMember.patient_id == patient.id)).first():
            continue
        seat = careteam.add_member(db, patient=patient, member_id=physician.id, role=CareTeamRole.physician, by=staff)
        if key == "dana":
            careteam.set_thought_sharing(db, seat=seat, allowed=True)
    _riley_course(db, clinic)


def _riley_course(db: Session, clinic: DemoClinic) -> None:
    riley, technician = clinic.people["riley"], clinic.people["technician"]
    if db.exec(select(TmsCourse).where(TmsCourse.patient_id == riley.id)).first():
        return
    today = clinic.now.astimezone(ZoneInfo(riley.timezone)).date()
    protocol = protocols.StandardProtocol(frozenset(range(5)), 6, time(14, 0))
    _course(db, riley, clinic.people["physician"], "Acute course", ProtocolKind.standard, protocol,
            {"weekdays": [0, 1, 2, 3, 4], "weeks": 6, "local_time": "14:00"}, _monday_weeks_ago(today, 2))
    _mark_past(db, riley, technician, clinic.now, missed_every=0)
