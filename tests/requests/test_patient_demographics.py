"""Staff record a patient's legal name, birth date, administrative gender and MRN: at invitation or later."""
from datetime import date

import pytest
from sqlmodel import select

from app.models import User
from tests.factories import EHR_DETAILS, make_patient, make_therapist

NEW = {"name": "Nia New", "email": "nia@example.org", "timezone": "America/Chicago"}
DETAILS = {"family_name": "Okafor", "given_name": "Nia", "birth_date": "1990-05-17",
           "administrative_gender": "female", "mrn": "  A-1002  "}


def user(db, email):
    db.expire_all()
    return db.exec(select(User).where(User.email == email)).first()


def test_admin_records_demographics_at_invitation(admin_client, db, therapist):
    response = admin_client.post("/patients/new", data=NEW | DETAILS | {"therapist_id": therapist.id})

    assert response.status_code == 200 and "/invite/" in response.text
    nia = user(db, "nia@example.org")
    assert (nia.family_name, nia.given_name, nia.birth_date, nia.administrative_gender, nia.mrn) == (
        "Okafor", "Nia", date(1990, 5, 17), "female", "A-1002")


def test_therapist_invites_without_demographics_they_stay_empty(therapist_client, db, therapist):
    response = therapist_client.post("/patients/new", data=NEW | {"therapist_id": therapist.id})

    assert response.status_code == 200
    nia = user(db, "nia@example.org")
    assert (nia.family_name, nia.birth_date, nia.administrative_gender, nia.mrn) == (None, None, None, None)


@pytest.mark.parametrize("field, value, message", [
    ("birth_date", "2999-01-01", "be in the future"),
    ("birth_date", "1850-01-01", "plausible"),
    ("birth_date", "17/05/1990", "Enter the date of birth as a date"),
    ("administrative_gender", "robot", "Choose one of the listed options."),
    ("mrn", "9" * 41, "at most 40 characters"),
    ("family_name", "x" * 81, "at most 80 characters"),
])
def test_bad_details_are_shown_beside_the_field_and_nothing_is_created(admin_client, db, therapist, field, value, message):
    response = admin_client.post("/patients/new", data=NEW | DETAILS | {field: value, "therapist_id": therapist.id})

    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert 'value="Okafor"' in response.text or field == "family_name"
    assert user(db, "nia@example.org") is None


def test_an_mrn_another_patient_has_is_refused_clearly(admin_client, db, therapist):
    make_patient(db, therapist=therapist, email="first@example.org", **EHR_DETAILS)

    response = admin_client.post("/patients/new", data=NEW | DETAILS | {"mrn": EHR_DETAILS["mrn"], "therapist_id": therapist.id})

    assert response.status_code == 400
    assert "Another patient already has this medical record number" in response.text
    assert user(db, "nia@example.org") is None


def test_therapist_edits_their_patients_details(therapist_client, db, patient):
    page = therapist_client.get(f"/patients/{patient.id}/details")
    assert page.status_code == 200 and 'type="date"' in page.text

    response = therapist_client.post(f"/patients/{patient.id}/details", data=DETAILS)

    assert response.status_code == 303
    saved = user(db, patient.email)
    assert (saved.family_name, saved.birth_date, saved.mrn) == ("Okafor", date(1990, 5, 17), "A-1002")
    assert 'value="1990-05-17"' in therapist_client.get(f"/patients/{patient.id}/details").text


def test_clearing_details_stores_nothing_rather_than_blanks(admin_client, db, therapist):
    patient = make_patient(db, therapist=therapist, email="c@example.org", **EHR_DETAILS)

    admin_client.post(f"/patients/{patient.id}/details", data={k: "" for k in DETAILS})

    saved = user(db, "c@example.org")
    assert (saved.family_name, saved.birth_date, saved.administrative_gender, saved.mrn) == (None, None, None, None)


def test_editing_keeps_what_was_typed_when_the_mrn_is_taken(admin_client, db, therapist, patient):
    make_patient(db, therapist=therapist, email="first@example.org", **EHR_DETAILS)

    response = admin_client.post(f"/patients/{patient.id}/details", data=DETAILS | {"mrn": EHR_DETAILS["mrn"]})

    assert response.status_code == 400
    assert "Another patient already has this medical record number" in response.text
    assert 'value="Okafor"' in response.text and 'value="1990-05-17"' in response.text
    assert user(db, patient.email).mrn is None


def test_keeping_ones_own_mrn_is_not_a_clash(admin_client, db, therapist):
    patient = make_patient(db, therapist=therapist, email="k@example.org", **EHR_DETAILS)

    response = admin_client.post(f"/patients/{patient.id}/details", data=DETAILS | {"mrn": EHR_DETAILS["mrn"]})

    assert response.status_code == 303


def test_another_therapists_patient_details_are_not_found(therapist_client, db):
    stranger = make_patient(db, therapist=make_therapist(db, email="o@example.org"), email="s@example.org")
    assert therapist_client.get(f"/patients/{stranger.id}/details").status_code == 404
    assert therapist_client.post(f"/patients/{stranger.id}/details", data=DETAILS).status_code == 404


def test_patients_cannot_edit_their_own_ehr_details(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.id}/details").status_code == 403


def test_missing_details_page_links_to_the_form_that_fixes_it(therapist_client, patient):
    page = therapist_client.get(f"/patients/{patient.id}/fhir").get_data(as_text=True)
    assert therapist_client.get(f"/patients/{patient.id}/details").status_code == 200
    assert f'href="/patients/{patient.id}/details"' in page
