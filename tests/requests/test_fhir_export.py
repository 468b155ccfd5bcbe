"""FHIR export as a receiving EHR uses it: LOINC-mapped items, a matchable Patient, no duplicates on re-import.

Validated three ways: HL7's R4 (4.0.1) JSON schema, R4 models (fhirclient, generated from 4.0.1) and R4B models
(fhir.resources 8.x), so neither our builder nor one library's leniency can hide a structural mistake.
"""
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle as R4BBundle
from fhirclient.models.bundle import Bundle as R4Bundle

from app.exports.loinc_forms import GAD7_FORM, PHQ9_FORM
from app.models import ClinicianRating, MoodCheckin, QuestionnaireResponse
from tests.conftest import sign_in
from tests.factories import EHR_DETAILS, make_patient, make_therapist
from tests.support.fake_fhir import FakeFhirServer

SCHEMA = Path(__file__).resolve().parent.parent / "support" / "fhir_r4" / "fhir.schema.json.gz"
AT = datetime(2026, 3, 2, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def r4_schema():
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return jsonschema.Draft6Validator(schema)


@pytest.fixture
def ehr_patient(db, therapist):
    return make_patient(db, therapist=therapist, email="ehr@example.org", name="Pat Example", **EHR_DETAILS)


def add(db, row):
    db.add(row)
    db.commit()
    return row


def seed_scores(db, patient):
    """PHQ-9 (item 9 = 2), GAD-7 (every answer 2, so item 2 shows LOINC's own code), PCL-5, MADRS and a check-in."""
    phq9 = add(db, QuestionnaireResponse(patient_id=patient.id, instrument="phq9", total=17, band="moderately severe",
                                         answers={str(n): 2 for n in range(1, 9)} | {"9": 1}, safety_flag=True,
                                         submitted_at=AT))
    add(db, QuestionnaireResponse(patient_id=patient.id, instrument="gad7", answers={str(n): 2 for n in range(1, 8)},
                                  total=14, band="moderate", submitted_at=AT))
    add(db, QuestionnaireResponse(patient_id=patient.id, instrument="pcl5", answers={str(n): 1 for n in range(1, 21)},
                                  total=20, band="below threshold", submitted_at=AT))
    add(db, ClinicianRating(patient_id=patient.id, scale="madrs", total=24, rated_on=AT.date(),
                            entered_by_id=patient.therapist_id))
    add(db, MoodCheckin(patient_id=patient.id, mood=6, anxiety=3, sleep_hours=7.5, note="ok", recorded_at=AT))
    return phq9


def export(client, patient, kind="collection"):
    response = client.get(f"/patients/{patient.id}/fhir" + ("?type=transaction" if kind == "transaction" else ""))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return response.get_json(force=True)


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("kind", ["collection", "transaction"])
def test_bundle_is_valid_r4_by_the_json_schema_and_r4_and_r4b_models(therapist_client, db, ehr_patient, r4_schema, kind):
    seed_scores(db, ehr_patient)

    bundle = export(therapist_client, ehr_patient, kind)

    errors = sorted(r4_schema.iter_errors(bundle), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]
    assert R4Bundle(bundle, strict=True).type == kind
    assert R4BBundle.model_validate(bundle).type == kind


@pytest.mark.parametrize("code, form", [("phq9", PHQ9_FORM), ("gad7", GAD7_FORM)])
def test_every_phq9_and_gad7_item_carries_its_loinc_code_and_loinc_answer_code(therapist_client, db, ehr_patient,
                                                                                code, form):
    seed_scores(db, ehr_patient)

    bundle = export(therapist_client, ehr_patient)

    response = next(r for r in resources(bundle, "QuestionnaireResponse") if r["questionnaire"] == form.canonical)
    questionnaire = next(q for q in resources(bundle, "Questionnaire") if q["url"] == form.canonical)
    assert questionnaire["code"] == [{"system": "http://loinc.org", "code": form.panel, "display": form.panel_display}]
    items = {item["linkId"]: item for item in questionnaire["item"]}
    assert [i["linkId"] for i in response["item"]] == [f"/{item.code}" for item in form.items]
    for answered in response["item"]:
        defined = items[answered["linkId"]]
        assert defined["code"][0]["system"] == "http://loinc.org"
        assert defined["code"][0]["code"] == answered["linkId"].removeprefix("/")
        coding = answered["answer"][0]["valueCoding"]
        assert coding["system"] == "http://loinc.org" and coding["code"].startswith("LA")
        assert coding in [option["valueCoding"] for option in defined["answerOption"]]


def test_answer_codes_are_the_loinc_forms_including_gad7_item_2(therapist_client, db, ehr_patient):
    seed_scores(db, ehr_patient)

    bundle = export(therapist_client, ehr_patient)

    by_form = {r["questionnaire"]: r for r in resources(bundle, "QuestionnaireResponse")}
    phq9 = [i["answer"][0]["valueCoding"]["code"] for i in by_form["http://loinc.org/q/44249-1"]["item"]]
    gad7 = [i["answer"][0]["valueCoding"]["code"] for i in by_form["http://loinc.org/q/69737-5"]["item"]]
    assert phq9 == ["LA6570-1"] * 8 + ["LA6569-3"]
    assert gad7 == ["LA6570-1", "LA18938-3"] + ["LA6570-1"] * 5
    phq9_questionnaire = next(q for q in resources(bundle, "Questionnaire") if q["url"].endswith("44249-1"))
    scores = [(o["valueCoding"]["code"], o["extension"][0]["valueDecimal"])
              for o in phq9_questionnaire["item"][0]["answerOption"]]
    assert scores == [("LA6568-5", 0), ("LA6569-3", 1), ("LA6570-1", 2), ("LA6571-9", 3)]


def test_totals_and_phq9_item_9_are_observations_with_loinc_codes(therapist_client, db, ehr_patient):
    phq9 = seed_scores(db, ehr_patient)

    bundle = export(therapist_client, ehr_patient)

    phq9_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
                    and e["resource"]["identifier"]["value"] == str(phq9.id))
    observations = resources(bundle, "Observation")
    by_code = {o["code"]["coding"][0]["code"]: o for o in observations}
    assert by_code["44261-6"]["valueQuantity"]["value"] == 17
    assert by_code["70274-6"]["valueQuantity"]["value"] == 14
    item9 = by_code["44260-8"]
    assert item9["code"]["coding"][0]["system"] == "http://loinc.org"
    assert item9["valueCodeableConcept"]["coding"][0] == {"system": "http://loinc.org", "code": "LA6569-3",
                                                          "display": "Several days"}
    assert item9["derivedFrom"] == [{"reference": phq9_url}]
    assert {"pcl5-total", "madrs-total", "daily-mood"} <= set(by_code)
    assert all(o["identifier"][0]["value"] for o in observations)


def test_patient_has_legal_name_birth_date_gender_and_the_clinics_mrn(app, therapist_client, db, ehr_patient):
    app.config["MRN_SYSTEM"] = "urn:oid:2.16.840.1.113883.3.999.1"

    patient = resources(export(therapist_client, ehr_patient), "Patient")[0]

    assert patient["name"] == [{"use": "official", "family": "Example", "given": ["Pat"]}]
    assert patient["birthDate"] == "1984-07-23" and patient["gender"] == "female"
    mrn = patient["identifier"][0]
    assert mrn["type"]["coding"][0]["code"] == "MR"
    assert (mrn["system"], mrn["value"]) == ("urn:oid:2.16.840.1.113883.3.999.1", "MRN-0001")


def test_export_is_refused_with_what_is_missing_when_demographics_are_not_recorded(therapist_client, patient):
    response = therapist_client.get(f"/patients/{patient.id}/fhir?type=transaction")

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    for label in ("legal family name", "date of birth", "administrative gender", "medical record number"):
        assert label in page
    assert f"/patients/{patient.id}/details" in page
    assert response.mimetype == "text/html"


def test_unknown_bundle_type_is_not_found(therapist_client, ehr_patient):
    assert therapist_client.get(f"/patients/{ehr_patient.id}/fhir?type=batch").status_code == 404


def fetch_as(app, user, base_url: str, url: str) -> dict:
    """GET `url` signed in as `user`, reaching the app at `base_url` (its own cookie jar, as a browser has)."""
    from sqlmodel import Session

    from app.security import device_sessions

    client = app.test_client()
    with app.app_context(), Session(app.extensions["engine"]) as db:
        key = device_sessions.start(db, user=user, at=datetime.now(UTC))
        db.commit()
    with client.session_transaction(base_url=base_url) as session:
        session["_user_id"], session["_fresh"] = f"{user.get_id()}:{key}", True
        session["fresh_at"] = session["last_seen"] = int(datetime.now(UTC).timestamp())
    response = client.get(url, base_url=base_url)
    assert response.status_code == 200
    return response.get_json(force=True)


def test_ids_are_the_same_whether_the_app_is_reached_as_localhost_or_127_0_0_1(app, therapist, db, ehr_patient):
    app.config["PUBLIC_BASE_URL"] = ""
    seed_scores(db, ehr_patient)
    url = f"/patients/{ehr_patient.id}/fhir?type=transaction"

    via_localhost = fetch_as(app, therapist, "http://localhost", url)
    via_ip = fetch_as(app, therapist, "http://127.0.0.1:5000", url)

    def ids(bundle):
        return [(e["fullUrl"], e["request"]["ifNoneExist"], json.dumps(e["resource"], sort_keys=True))
                for e in bundle["entry"]]
    assert ids(via_localhost) == ids(via_ip)
    fallback = f"https://install-{app.config['INSTANCE_ID']}.invalid"
    assert resources(via_ip, "Observation")[0]["identifier"][0]["system"].startswith(fallback)
    assert "localhost" not in json.dumps(via_ip) and "127.0.0.1" not in json.dumps(via_ip)


def test_identifiers_hang_off_the_public_base_url(app, therapist_client, db, ehr_patient):
    app.config["PUBLIC_BASE_URL"] = "https://clinic.example.org"
    seed_scores(db, ehr_patient)

    bundle = export(therapist_client, ehr_patient)

    patient = resources(bundle, "Patient")[0]
    assert patient["identifier"][0]["system"] == "https://clinic.example.org/fhir/NamingSystem/mrn"
    assert patient["identifier"][1] == {"use": "secondary", "system": "https://clinic.example.org/fhir/identifiers/patients",
                                        "value": str(ehr_patient.id)}
    pcl5 = next(r for r in resources(bundle, "QuestionnaireResponse") if "pcl5" in r["questionnaire"])
    assert pcl5["questionnaire"] == "https://clinic.example.org/fhir/Questionnaire/pcl5"
    assert pcl5["identifier"]["system"] == "https://clinic.example.org/fhir/identifiers/questionnaire-responses"


def test_posting_the_transaction_twice_creates_each_resource_once(therapist_client, db, ehr_patient):
    seed_scores(db, ehr_patient)
    bundle = export(therapist_client, ehr_patient, "transaction")
    assert all(e["request"]["method"] == "POST" and e["request"]["ifNoneExist"] for e in bundle["entry"])
    expected = {}
    for entry in bundle["entry"]:
        expected[entry["resource"]["resourceType"]] = expected.get(entry["resource"]["resourceType"], 0) + 1

    with FakeFhirServer() as server:
        first = httpx.post(server.url, json=bundle, headers={"Content-Type": "application/fhir+json"})
        again = httpx.post(server.url, json=export(therapist_client, ehr_patient, "transaction"),
                           headers={"Content-Type": "application/fhir+json"})

    assert first.status_code == again.status_code == 200
    assert [e["response"]["status"] for e in first.json()["entry"]] == ["201 Created"] * len(bundle["entry"])
    assert [e["response"]["status"] for e in again.json()["entry"]] == ["200 OK"] * len(bundle["entry"])
    assert {kind: server.count(kind) for kind in expected} == expected
    assert expected["Patient"] == 1 and expected["Observation"] == 6 and expected["QuestionnaireResponse"] == 3
    stored_total = next(o for o in server.resources["Observation"] if o["code"]["coding"][0]["code"] == "44261-6")
    assert stored_total["subject"]["reference"] == "Patient/" + server.resources["Patient"][0]["id"]


def test_a_later_export_with_a_new_score_adds_only_that_score(therapist_client, db, ehr_patient):
    seed_scores(db, ehr_patient)
    with FakeFhirServer() as server:
        httpx.post(server.url, json=export(therapist_client, ehr_patient, "transaction"),
                   headers={"Content-Type": "application/fhir+json"})
        add(db, MoodCheckin(patient_id=ehr_patient.id, mood=7, note="", recorded_at=AT.replace(day=3)))
        second = httpx.post(server.url, json=export(therapist_client, ehr_patient, "transaction"),
                            headers={"Content-Type": "application/fhir+json"})

    statuses = [e["response"]["status"] for e in second.json()["entry"]]
    assert statuses.count("201 Created") == 1
    assert server.count("Observation") == 7


def test_the_local_pcl5_questionnaire_resolves_at_its_canonical_url(app, client, db, ehr_patient, therapist_client):
    app.config["PUBLIC_BASE_URL"] = "http://localhost"
    seed_scores(db, ehr_patient)
    bundle = export(therapist_client, ehr_patient)
    canonical = next(r["questionnaire"] for r in resources(bundle, "QuestionnaireResponse") if "pcl5" in r["questionnaire"])

    served = client.get(canonical.removeprefix("http://localhost"))

    assert served.status_code == 200 and served.mimetype == "application/fhir+json"
    questionnaire = served.get_json(force=True)
    assert questionnaire["url"] == canonical
    assert questionnaire == next(q for q in resources(bundle, "Questionnaire") if q["url"] == canonical)
    assert len(questionnaire["item"]) == 20
    measures = client.get("/fhir/CodeSystem/measures").get_json(force=True)
    assert "pcl5-total" in {c["code"] for c in measures["concept"]}
    assert client.get("/fhir/Questionnaire/phq9").status_code == 404
    assert client.get("/fhir/CodeSystem/nope").status_code == 404


def test_another_therapists_patient_cannot_be_exported_as_a_transaction(therapist_client, db):
    other = make_therapist(db, email="other@example.org")
    stranger = make_patient(db, therapist=other, email="s@example.org", **(EHR_DETAILS | {"mrn": "MRN-9"}))
    assert therapist_client.get(f"/patients/{stranger.id}/fhir?type=transaction").status_code == 404


def test_demo_clinic_exports_dana_and_explains_what_jordan_is_missing(client, db):
    from app.demo import seed
    from app.models import User
    from sqlmodel import select

    seed(db)
    seed(db)
    therapist = db.exec(select(User).where(User.email == "therapist@demo.clinic")).one()
    dana = db.exec(select(User).where(User.email == "dana@demo.clinic")).one()
    jordan = db.exec(select(User).where(User.email == "jordan@demo.clinic")).one()
    sign_in(client, therapist)

    bundle = export(client, dana, "transaction")

    assert resources(bundle, "Patient")[0]["identifier"][0]["value"] == "DEMO-100231"
    assert len(resources(bundle, "QuestionnaireResponse")) > 0
    assert client.get(f"/patients/{jordan.id}/fhir").status_code == 409
