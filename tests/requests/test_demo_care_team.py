"""The demo clinic has a care team to show: a physician on every patient's team, a technician, and a community
therapist who sees only their own patient."""
from sqlmodel import select

from app.demo import seed
from app.models import CareTeamMember, Role, TmsCourse, User
from tests.conftest import sign_in


def _user(db, email):
    return db.exec(select(User).where(User.email == email)).one()


def test_demo_care_team_roles_see_what_their_role_allows(client, db):
    seed(db)
    seed(db)  # idempotent
    physician, community = _user(db, "physician@demo.clinic"), _user(db, "community@demo.clinic")
    dana, riley = _user(db, "dana@demo.clinic"), _user(db, "riley@demo.clinic")
    assert _user(db, "technician@demo.clinic").role == Role.technician and community.external
    assert len(db.exec(select(CareTeamMember).where(CareTeamMember.member_id == physician.id)).all()) == 4
    assert db.exec(select(TmsCourse).where(TmsCourse.patient_id == riley.id)).one()

    sign_in(client, physician)
    assert client.get(f"/patients/{dana.id}/measures").status_code == 200
    assert client.get(f"/patients/{dana.id}/thoughts").status_code == 200  # Dana agreed to share
    sam = _user(db, "sam@demo.clinic")
    assert client.get(f"/patients/{sam.id}/thoughts").status_code == 404

    sign_in(client, community)
    caseload = client.get("/patients").text
    assert "Riley Chen" in caseload and "Dana Rivera" not in caseload
    assert client.get(f"/patients/{dana.id}").status_code == 404
