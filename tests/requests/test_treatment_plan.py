"""The shared treatment plan: the whole care team reads and edits it, each save is a version with who and when,
and clinic administration (not on the care team) never sees it."""
from sqlmodel import select

from app.careteam import services as careteam
from app.models import CareTeamRole, Role, TreatmentPlan
from tests.conftest import sign_in
from tests.factories import make_user

PLAN = {"goals": "Get back to my choir", "focus": ["depression"], "phase": "acute", "modalities": ["tms", "activation"],
        "homework_minutes": "20"}


def versions(db, patient):
    db.expire_all()
    return db.exec(select(TreatmentPlan).where(TreatmentPlan.patient_id == patient.id).order_by(TreatmentPlan.version)).all()


def test_the_therapist_writes_the_plan_and_the_physician_changes_the_phase(client, db, patient, therapist, admin):
    physician = make_user(db, role=Role.physician, email="phys@example.org", name="Dr. Phys")
    careteam.add_member(db, patient=patient, member_id=physician.id, role=CareTeamRole.physician, by=admin)
    db.commit()
    sign_in(client, therapist)
    assert client.post(f"/patients/{patient.id}/plan", data=PLAN).status_code == 303
    assert client.post(f"/patients/{patient.id}/plan", data=PLAN).status_code == 303  # unchanged: no new version
    sign_in(client, physician)
    page = client.get(f"/patients/{patient.id}/plan").text
    assert "Get back to my choir" in page and "Behavioural activation" in page
    assert client.post(f"/patients/{patient.id}/plan", data=PLAN | {"phase": "taper"}).status_code == 303

    first, second = versions(db, patient)
    assert (first.version, first.edited_by_id, first.phase) == (1, therapist.id, "acute")
    assert (second.version, second.edited_by_id, second.phase, second.modalities) == (2, physician.id, "taper",
                                                                                        ["tms", "activation"])
    history = client.get(f"/patients/{patient.id}/plan").text
    assert "Version 2" in history and "Dr. Phys: changed phase" in history and "Dr. Ada Byron: created" in history


def test_a_bad_plan_is_refused_beside_its_fields_with_the_words_kept(client, db, patient, therapist):
    sign_in(client, therapist)
    response = client.post(f"/patients/{patient.id}/plan", data=PLAN | {"focus": [], "homework_minutes": "999"})
    assert response.status_code == 400
    assert 'id="focus-error"' in response.text and 'id="homework_minutes-error"' in response.text
    assert "Get back to my choir" in response.text and 'value="999"' in response.text
    assert versions(db, patient) == []


def test_clinic_administration_and_other_physicians_never_see_the_plan(client, db, patient, admin):
    stranger = make_user(db, role=Role.physician, email="other@example.org", name="Dr. Other")
    sign_in(client, admin)
    assert client.get(f"/patients/{patient.id}/plan").status_code == 403
    sign_in(client, stranger)
    assert client.get(f"/patients/{patient.id}/plan").status_code == 404
    assert client.post(f"/patients/{patient.id}/plan", data=PLAN).status_code == 404
    assert versions(db, patient) == []
