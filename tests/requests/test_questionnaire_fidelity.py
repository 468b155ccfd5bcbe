"""Issue 16, found 7: the PCL-5 names the stressful experience it asks about; the PHQ-9's difficulty question is
asked, stored, shown and exported, and never scored."""
from sqlmodel import select

from app.models import QuestionnaireResponse
from tests.conftest import sign_in
from tests.factories import EHR_DETAILS

PHQ9_ANSWERS = {f"item{n}": "1" for n in range(1, 9)} | {"item9": "0"}
PCL5_ANSWERS = {f"item{n}": "2" for n in range(1, 21)}


def _record_ehr_details(db, patient):
    """The FHIR export needs the details an EHR matches on (issue 20)."""
    for name, value in EHR_DETAILS.items():
        setattr(patient, name, value)
    db.add(patient)
    db.commit()


def test_phq9_asks_the_difficulty_question_and_never_scores_it(patient_client, db):
    page = patient_client.get("/questionnaires/phq9").text
    assert "how difficult have these problems made it" in page and "Extremely difficult" in page

    response = patient_client.post("/questionnaires/phq9", data={**PHQ9_ANSWERS, "difficulty": "3"})

    assert response.status_code == 303
    row = db.exec(select(QuestionnaireResponse)).one()
    assert (row.total, row.difficulty) == (8, 3)
    assert "difficulty" not in row.answers


def test_phq9_difficulty_may_be_skipped_but_not_invented(patient_client, db):
    assert patient_client.post("/questionnaires/phq9", data=PHQ9_ANSWERS).status_code == 303
    bad = patient_client.post("/questionnaires/phq9", data={**PHQ9_ANSWERS, "difficulty": "7"})
    assert bad.status_code == 400 and "Choose one of the four answers" in bad.text
    assert 'value="1" checked' in bad.text  # answers kept
    assert [r.difficulty for r in db.exec(select(QuestionnaireResponse))] == [None]


def test_difficulty_is_shown_to_the_therapist_and_exported(client, db, patient, therapist):
    _record_ehr_details(db, patient)
    sign_in(client, patient)
    client.post("/questionnaires/phq9", data={**PHQ9_ANSWERS, "difficulty": "2"})
    sign_in(client, therapist)
    assert "Very difficult" in client.get(f"/patients/{patient.id}/measures").text
    csv = client.get(f"/patients/{patient.id}/export.csv").text
    assert "difficulty,2,Very difficult (not scored)" in csv
    fhir = client.get(f"/patients/{patient.id}/fhir").text
    assert '"linkId": "difficulty"' in fhir or '"linkId":"difficulty"' in fhir


def test_pcl5_shows_the_experience_the_therapist_named(client, db, patient, therapist):
    sign_in(client, therapist)
    saved = client.post(f"/patients/{patient.id}/measures/experience", data={"experience": "The flood in 2021"})
    assert saved.status_code == 303
    sign_in(client, patient)

    page = client.get("/questionnaires/pcl5").text
    assert "the stressful experience" in page and "The flood in 2021" in page
    assert client.post("/questionnaires/pcl5", data={**PCL5_ANSWERS, "experience": "The flood in 2021"}).status_code == 303
    row = db.exec(select(QuestionnaireResponse)).one()
    assert (row.total, row.experience) == (40, "The flood in 2021")


def test_pcl5_without_a_named_experience_asks_the_patient_to_name_it(patient_client, db):
    page = patient_client.get("/questionnaires/pcl5").text
    assert "Which stressful experience are these questions about?" in page
    missing = patient_client.post("/questionnaires/pcl5", data=PCL5_ANSWERS)
    assert missing.status_code == 400 and "Name the stressful experience" in missing.text
    assert db.exec(select(QuestionnaireResponse)).all() == []


def test_therapist_cannot_save_an_empty_experience(therapist_client, db, patient):
    response = therapist_client.post(f"/patients/{patient.id}/measures/experience", data={"experience": "  "})
    assert response.status_code == 400 and "Name the stressful experience" in response.text



def test_fhir_bundle_with_difficulty_and_experience_still_validates(client, db, patient, therapist):
    from fhir.resources.R4B.bundle import Bundle

    _record_ehr_details(db, patient)
    sign_in(client, therapist)
    client.post(f"/patients/{patient.id}/measures/experience", data={"experience": "The flood in 2021"})
    sign_in(client, patient)
    client.post("/questionnaires/phq9", data={**PHQ9_ANSWERS, "difficulty": "1"})
    client.post("/questionnaires/pcl5", data={**PCL5_ANSWERS, "experience": "The flood in 2021"})
    sign_in(client, therapist)
    data = client.get(f"/patients/{patient.id}/fhir").get_json(force=True)
    Bundle.model_validate(data)
    items = [item["linkId"] for e in data["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
             for item in e["resource"]["item"]]
    assert "difficulty" in items and "experience" in items
