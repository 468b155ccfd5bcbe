"""The patient directory: staff find any patient (even one with no visit yet), open their schedule and see the care
team; a therapist finds only their own patients; bad searches are explained beside the box."""
from datetime import date

from app.careteam import services as careteam
from app.models import CareTeamRole, Role
from tests.factories import make_patient, make_therapist, make_user


def _with(db, user, **demographics):
    for name, value in demographics.items():
        setattr(user, name, value)
    db.add(user)
    db.commit()
    return user


def _new_patient(db, therapist, name="Maria Lopez"):
    maria = make_patient(db, therapist=therapist, email="maria@example.org", name=name)
    return _with(db, maria, family_name="Lopez", given_name="Maria", birth_date=date(1980, 4, 12), mrn="MRN-2048")


def test_staff_find_a_new_patient_with_no_visits_by_name(admin_client, db, therapist):
    maria = _new_patient(db, therapist)
    make_patient(db, therapist=therapist, email="sam@example.org", name="Sam Other")
    db.commit()
    page = admin_client.get("/clinic/patients?q=lopez")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Maria Lopez" in body and "Sam Other" not in body
    assert f'href="/patients/{maria.id}/tms"' in body
    assert "No TMS course yet" in body
    assert therapist.name in body  # the care team


def test_the_care_team_shows_the_physician_too(admin_client, db, therapist, admin):
    maria = _new_patient(db, therapist)
    physician = make_user(db, role=Role.physician, email="phys@example.org", name="Dr. Priya")
    careteam.add_member(db, patient=maria, member_id=physician.id, role=CareTeamRole.physician, by=admin)
    db.commit()
    body = admin_client.get("/clinic/patients?q=lopez").text
    assert "Dr. Priya (physician)" in body and f'href="/patients/{maria.id}/care-team"' in body


def test_staff_find_a_patient_by_date_of_birth_or_mrn(admin_client, db, therapist):
    _new_patient(db, therapist)
    _with(db, make_patient(db, therapist=therapist, email="sam@example.org", name="Sam Other"), birth_date=date(1990, 1, 1))
    db.commit()
    for query in ("04/12/1980", "1980-04-12", "mrn-2048"):
        body = admin_client.get("/clinic/patients", query_string={"q": query}).get_data(as_text=True)
        assert "Maria Lopez" in body and "Sam Other" not in body, query
        assert "12 Apr 1980" in body


def test_name_words_match_legal_names_as_well_as_the_display_name(admin_client, db, therapist):
    _new_patient(db, therapist, name="Mia L.")
    db.commit()
    body = admin_client.get("/clinic/patients?q=maria+lop").get_data(as_text=True)
    assert "Mia L." in body


def test_with_no_search_the_newest_patients_are_listed_first(admin_client, db, therapist):
    make_patient(db, therapist=therapist, email="old@example.org", name="Olive Older")
    db.commit()
    _new_patient(db, therapist)
    db.commit()
    body = admin_client.get("/clinic/patients").get_data(as_text=True)
    assert "Recently added" in body
    assert body.index("Maria Lopez") < body.index("Olive Older")


def test_a_search_that_finds_nobody_says_so(admin_client, db, therapist):
    _new_patient(db, therapist)
    db.commit()
    body = admin_client.get("/clinic/patients?q=zzz").get_data(as_text=True)
    assert "No patient matches" in body


def test_an_impossible_date_is_explained_beside_the_box_and_kept(admin_client, db, therapist):
    page = admin_client.get("/clinic/patients?q=02/30/1980")
    assert page.status_code == 400
    body = page.get_data(as_text=True)
    assert 'id="q-error"' in body and 'value="02/30/1980"' in body


def test_a_therapist_finds_only_their_own_patients(therapist_client, db, therapist):
    other = make_therapist(db, email="other@example.org", name="Dr. Other")
    _new_patient(db, other)
    mine = make_patient(db, therapist=therapist, email="mine@example.org", name="Maria Mine")
    db.commit()
    body = therapist_client.get("/clinic/patients?q=maria").get_data(as_text=True)
    assert "Maria Mine" in body and "Maria Lopez" not in body
    assert f"/patients/{mine.id}/tms" in body


def test_patients_cannot_use_the_directory(patient_client):
    assert patient_client.get("/clinic/patients").status_code == 403


def test_staff_create_the_first_course_from_the_directory_link(admin_client, db, therapist):
    maria = _new_patient(db, therapist)
    db.commit()
    schedule = admin_client.get(f"/patients/{maria.id}/tms")
    assert schedule.status_code == 200 and "New course" in schedule.get_data(as_text=True)
    created = admin_client.post(f"/patients/{maria.id}/tms/courses", data={
        "label": "Acute course", "protocol": "standard", "start_date": "2026-05-04", "weeks": "6",
        "local_time": "09:00", "weekdays": ["0", "1", "2", "3", "4"]})
    assert created.status_code == 303
    body = admin_client.get("/clinic/patients?q=lopez").get_data(as_text=True)
    assert "No TMS course yet" not in body and "Acute course" in body
