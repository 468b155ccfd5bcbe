"""The care team: a physician sees the medical facet of their patients, an external therapist sees only their own
patients, a technician sees schedules, co-therapists share the record; leaving the team ends access at once, and
nobody is left without a treating therapist."""
from datetime import date

from sqlmodel import select

from app.auth import accounts
from app.careteam import services as careteam
from app.models import CareTeamMember, CareTeamRole, Role, User
from tests.conftest import sign_in
from tests.factories import make_course, make_patient, make_therapist, make_user


def _physician(db, email="phys@example.org", name="Dr. Phys"):
    return make_user(db, role=Role.physician, email=email, name=name)


def _seat(db, patient, member, role=CareTeamRole.physician, by=None):
    seat = careteam.add_member(db, patient=patient, member_id=member.id, role=role, by=by or member)
    db.commit()
    return seat


def test_the_physician_sees_measures_safety_tms_and_the_caseload_of_their_patients(client, db, patient, therapist):
    physician = _physician(db)
    _seat(db, patient, physician)
    make_course(db, patient=patient, by=therapist, start=date(2026, 3, 2), weeks=1)
    sign_in(client, physician)
    for url in (f"/patients/{patient.id}/measures", f"/patients/{patient.id}/safety", f"/patients/{patient.id}/tms",
                f"/patients/{patient.id}/care-team", "/patients"):
        assert client.get(url).status_code == 200, url
    caseload = client.get("/patients").text
    assert patient.name in caseload and f'href="/patients/{patient.id}/measures"' in caseload


def test_the_physician_does_not_see_the_therapy_record_or_thought_records_by_default(client, db, patient):
    physician = _physician(db)
    _seat(db, patient, physician)
    sign_in(client, physician)
    assert client.get(f"/patients/{patient.id}").status_code == 403  # the therapist's review
    assert client.get(f"/patients/{patient.id}/homework").status_code == 403
    assert client.get(f"/patients/{patient.id}/thoughts").status_code == 404
    tabs = client.get(f"/patients/{patient.id}/measures").text
    assert "Measures" in tabs and "Care team" in tabs
    assert f'href="/patients/{patient.id}/thoughts"' not in tabs and f'href="/patients/{patient.id}"' not in tabs
    assert "Questionnaire schedule" not in tabs  # the therapist turns questionnaires on


def test_the_treating_therapist_records_the_patients_consent_to_share_thought_records(client, db, patient, therapist):
    physician = _physician(db)
    seat = _seat(db, patient, physician)
    sign_in(client, therapist)
    assert client.post(f"/patients/{patient.id}/care-team/{seat.id}/sharing", data={"allowed": "1"}).status_code == 303
    sign_in(client, physician)
    page = client.get(f"/patients/{patient.id}/thoughts")
    assert page.status_code == 200
    assert f'href="/patients/{patient.id}/thoughts"' in page.text  # the tab appears too


def test_a_physician_off_the_team_sees_nothing_of_the_patient(client, db, patient):
    other = _physician(db, email="other-phys@example.org")
    _seat(db, make_patient(db, therapist=make_therapist(db, email="t2@example.org"), email="p2@example.org"), other)
    sign_in(client, other)
    for url in (f"/patients/{patient.id}/measures", f"/patients/{patient.id}/tms", f"/patients/{patient.id}/care-team"):
        assert client.get(url).status_code == 404, url
    assert patient.name not in client.get("/patients").text


def test_removing_a_member_ends_their_access_on_the_next_request(client, db, patient, admin):
    physician = _physician(db)
    seat = _seat(db, patient, physician)
    sign_in(client, physician)
    assert client.get(f"/patients/{patient.id}/measures").status_code == 200
    with client.application.test_client() as admin_browser:
        sign_in(admin_browser, admin)
        assert admin_browser.post(f"/patients/{patient.id}/care-team/{seat.id}/remove").status_code == 303
    assert client.get(f"/patients/{patient.id}/measures").status_code == 404
    assert db.exec(select(CareTeamMember)).all() == []


def test_deactivating_a_member_signs_out_their_open_sessions(client, db, patient):
    physician = _physician(db)
    _seat(db, patient, physician)
    sign_in(client, physician)
    assert client.get(f"/patients/{patient.id}/measures").status_code == 200
    accounts.deactivate(db, user=db.get(User, physician.id))
    db.commit()
    response = client.get(f"/patients/{patient.id}/measures")
    assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login")


def test_an_external_therapist_sees_their_patients_and_nothing_of_the_clinic(client, db, patient):
    outside = make_therapist(db, email="outside@example.org", name="Olu Outside")
    outside.external = True
    db.add(outside)
    own = make_patient(db, therapist=outside, email="own@example.org", name="Omar Own")
    db.commit()
    sign_in(client, outside)
    caseload = client.get("/patients").text
    assert "Omar Own" in caseload and patient.name not in caseload
    assert client.get(f"/patients/{own.id}").status_code == 200
    assert client.get(f"/patients/{own.id}/tms").status_code == 200
    assert client.get(f"/patients/{patient.id}").status_code == 404
    for clinic_page in ("/clinic/today", "/clinic/patients", "/activity-ideas", "/skills/clinic/new", "/patients/new",
                        "/clinic/side-effects", "/admin"):
        assert client.get(clinic_page).status_code == 403, clinic_page
    assert "At the clinic" not in caseload and "Find a patient" not in caseload and "Invite a patient" not in caseload


def test_a_technician_works_the_schedule_of_any_patient_but_sees_no_clinical_record(client, db, patient, therapist):
    technician = make_user(db, role=Role.technician, email="tech@example.org", name="Tess Tech")
    sign_in(client, technician)
    assert client.get("/").headers["Location"].endswith("/clinic/today")
    for url in ("/clinic/today", "/clinic/patients", f"/patients/{patient.id}/tms", f"/patients/{patient.id}/care-team",
                "/clinic/side-effects"):
        assert client.get(url).status_code == 200, url
    for url in (f"/patients/{patient.id}", f"/patients/{patient.id}/measures", "/admin", "/patients/new"):
        assert client.get(url).status_code == 403, url


def test_a_co_therapist_shares_the_whole_record(client, db, patient):
    co = make_therapist(db, email="co@example.org", name="Dr. Co")
    _seat(db, patient, co, CareTeamRole.co_therapist)
    sign_in(client, co)
    assert patient.name in client.get("/patients").text
    for url in (f"/patients/{patient.id}", f"/patients/{patient.id}/thoughts", f"/patients/{patient.id}/homework"):
        assert client.get(url).status_code == 200, url


def test_admin_builds_the_care_team_with_reasons_beside_the_field(admin_client, db, patient, therapist):
    physician = _physician(db)
    second = _physician(db, email="second@example.org", name="Dr. Second")
    assert admin_client.post(f"/patients/{patient.id}/care-team",
                             data={"role": "physician", "member_id": physician.id}).status_code == 303
    refused = admin_client.post(f"/patients/{patient.id}/care-team", data={"role": "physician", "member_id": second.id})
    assert refused.status_code == 400 and "already has a physician" in refused.text
    wrong_kind = admin_client.post(f"/patients/{patient.id}/care-team",
                                   data={"role": "co_therapist", "member_id": physician.id})
    assert wrong_kind.status_code == 400 and "Choose an active therapist" in wrong_kind.text
    treating = admin_client.post(f"/patients/{patient.id}/care-team", data={"role": "co_therapist", "member_id": therapist.id})
    assert treating.status_code == 400 and "already the treating therapist" in treating.text
    page = admin_client.get(f"/patients/{patient.id}/care-team").text
    assert "Dr. Phys" in page and therapist.name in page


def test_a_therapist_with_patients_cannot_be_deactivated_until_they_are_reassigned(admin_client, db, patient, therapist):
    refused = admin_client.post(f"/admin/users/{therapist.id}/active", data={"active": "0"})
    assert refused.status_code == 409 and "still has 1 patient" in refused.text
    assert db.get(User, therapist.id).active
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    assert admin_client.post(f"/admin/patients/{patient.id}/therapist", data={"therapist_id": other.id}).status_code == 303
    admin_client.post(f"/admin/users/{therapist.id}/active", data={"active": "0"})
    db.expire_all()
    assert not db.get(User, therapist.id).active


def test_admin_adds_a_physician_and_an_external_therapist(admin_client, db):
    made = admin_client.post("/admin/staff/new", data={"name": "Dr. New", "email": "new@example.org",
                                                      "role": "physician", "timezone": "America/New_York"})
    assert made.status_code == 200
    outside = admin_client.post("/admin/staff/new", data={"name": "Olu", "email": "olu@example.org", "role": "therapist",
                                                         "external": "y", "timezone": "America/New_York"})
    assert outside.status_code == 200
    refused = admin_client.post("/admin/staff/new", data={"name": "Tech", "email": "tech@example.org",
                                                         "role": "technician", "external": "y", "timezone": "America/New_York"})
    assert refused.status_code == 400 and "Only a therapist can work from outside the clinic" in refused.text
    people = {u.email: u for u in db.exec(select(User))}
    assert people["new@example.org"].role == Role.physician and people["olu@example.org"].external
    assert "tech@example.org" not in people
