"""A patient's scores as a FHIR R4 Bundle (type "collection") so a clinic can move them into its EHR.

Codes (CLINICAL.md, Measures):
- PHQ-9: QuestionnaireResponse.questionnaire "http://loinc.org/q/44249-1" (the LOINC panel as canonical, as the
  LOINC FHIR terminology service publishes it); total Observation LOINC 44261-6.
- GAD-7: questionnaire "http://loinc.org/q/69737-5"; total LOINC 70274-6.
- PCL-5: the team knows no LOINC code, so the questionnaire is "<base>/fhir/Questionnaire/pcl5" and its total
  is code "pcl5-total" in the local system "<base>/fhir/CodeSystem/measures".
- Clinician-rated totals (Y-BOCS, HAM-D, MADRS) and the daily check-in (mood, with anxiety and sleep as
  components) also use that local system: "ybocs-total", "hamd-total", "madrs-total", "daily-mood",
  "daily-anxiety", "sleep-hours".
- Answers are valueCoding in the local system "<base>/fhir/CodeSystem/answer-score": code is the item's score
  ("0".."4") and display is the published wording, so both the score and what the patient chose travel.
`<base>` is PUBLIC_BASE_URL (else the request's root). fullUrls are "urn:uuid:" + a UUIDv5 of the row, so
exporting twice gives the same ids and an EHR can recognise a resource it has already imported.
"""
import uuid
from datetime import datetime

from app.checkins.instruments import CLINICIAN_SCALES, INSTRUMENTS, InstrumentCode
from app.checkins.wording import wording_for
from app.exports.records import PatientRecord
from app.i18n.languages import html_lang
from app.models import ClinicianRating, MoodCheckin, QuestionnaireResponse

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FHIR_JSON = "application/fhir+json"

QUESTIONNAIRE_TITLES = {
    InstrumentCode.PHQ9: "PHQ-9 total score",
    InstrumentCode.GAD7: "GAD-7 total score",
    InstrumentCode.PCL5: "PCL-5 total score",
}


class Systems:
    """The URLs this deployment's local codes and identifiers live under, derived from its base URL."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.patient_identifier = f"{self.base}/patients"
        self.measures = f"{self.base}/fhir/CodeSystem/measures"
        self.answer_score = f"{self.base}/fhir/CodeSystem/answer-score"

    def questionnaire(self, code: str) -> str:
        panel = INSTRUMENTS[code].loinc_panel
        return f"{LOINC}/q/{panel}" if panel else f"{self.base}/fhir/Questionnaire/{code}"

    def full_url(self, kind: str, row_id: int) -> str:
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/{kind}/{row_id}"))


def instant(value: datetime) -> str:
    """FHIR dateTime/instant: seconds precision with the zone, which FHIR requires whenever a time is given."""
    return value.isoformat(timespec="seconds")


def _survey_category() -> list[dict]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _score(value: int) -> dict:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def patient_resource(record: PatientRecord, systems: Systems) -> dict:
    patient = record.patient
    return {
        "resourceType": "Patient",
        "identifier": [{"system": systems.patient_identifier, "value": str(patient.id)}],
        "active": patient.active,
        "name": [{"text": patient.name}],
        "telecom": [{"system": "email", "value": patient.email}],
    }


def questionnaire_response(response: QuestionnaireResponse, subject: dict, systems: Systems) -> dict:
    """Item texts and answer labels in the wording the patient answered (its `language`); codes are the same."""
    instrument = wording_for(INSTRUMENTS[response.instrument], response.language).instrument
    labels = {option.value: option.label for option in instrument.options}
    return {
        "resourceType": "QuestionnaireResponse",
        "language": html_lang(response.language),
        "questionnaire": systems.questionnaire(response.instrument),
        "status": "completed",
        "subject": subject,
        "authored": instant(response.submitted_at),
        "item": [
            {
                "linkId": str(number),
                "text": text,
                "answer": [{"valueCoding": {
                    "system": systems.answer_score,
                    "code": str(response.answer(number)),
                    "display": labels[response.answer(number)],
                }}],
            }
            for number, text in zip(instrument.item_numbers, instrument.items, strict=True)
        ],
    }


def total_code(code: str, systems: Systems) -> dict:
    loinc_total = INSTRUMENTS[code].loinc_total
    coding = {"system": LOINC, "code": loinc_total} if loinc_total else {"system": systems.measures, "code": f"{code}-total"}
    return {"coding": [coding], "text": QUESTIONNAIRE_TITLES[code]}


def total_observation(response: QuestionnaireResponse, subject: dict, response_url: str, systems: Systems) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": _survey_category(),
        "code": total_code(response.instrument, systems),
        "subject": subject,
        "effectiveDateTime": instant(response.submitted_at),
        "valueQuantity": _score(response.total),
        "interpretation": [{"text": response.band}],
        "derivedFrom": [{"reference": response_url}],
    }


def clinician_observation(rating: ClinicianRating, subject: dict, systems: Systems) -> dict:
    """Only the total and its date: the app never stores a clinician scale's items (CLINICAL.md)."""
    scale = CLINICIAN_SCALES[rating.scale]
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": _survey_category(),
        "code": {"coding": [{"system": systems.measures, "code": f"{rating.scale}-total", "display": scale.name}],
                 "text": f"{scale.name} total"},
        "subject": subject,
        "effectiveDateTime": rating.rated_on.isoformat(),
        "valueQuantity": _score(rating.total),
    }


def checkin_observation(checkin: MoodCheckin, subject: dict, systems: Systems) -> dict:
    """Mood 0-10 as the value; anxiety 0-10 and sleep hours, when given, as components of the same check-in."""
    components = []
    if checkin.anxiety is not None:
        components.append({"code": {"coding": [{"system": systems.measures, "code": "daily-anxiety"}],
                                    "text": "Anxiety (0-10)"},
                           "valueInteger": checkin.anxiety})
    if checkin.sleep_hours is not None:
        components.append({"code": {"coding": [{"system": systems.measures, "code": "sleep-hours"}],
                                    "text": "Hours slept"},
                           "valueQuantity": {"value": checkin.sleep_hours, "unit": "h", "system": UCUM, "code": "h"}})
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": _survey_category(),
        "code": {"coding": [{"system": systems.measures, "code": "daily-mood"}], "text": "Daily mood (0-10)"},
        "subject": subject,
        "effectiveDateTime": instant(checkin.recorded_at),
        "valueInteger": checkin.mood,
    }
    if checkin.note.strip():
        observation["note"] = [{"text": checkin.note}]
    if components:
        observation["component"] = components
    return observation


def patient_bundle(record: PatientRecord, *, base_url: str, now: datetime) -> dict:
    """Patient, then each questionnaire with its total, clinician totals and daily check-ins, in time order."""
    systems = Systems(base_url)
    patient_url = systems.full_url("patients", record.patient.id)
    subject = {"reference": patient_url, "display": record.patient.name}
    entries = [(patient_url, patient_resource(record, systems))]
    for response in record.responses:
        response_url = systems.full_url("questionnaire_responses", response.id)
        entries.append((response_url, questionnaire_response(response, subject, systems)))
        entries.append((systems.full_url("questionnaire_totals", response.id),
                        total_observation(response, subject, response_url, systems)))
    for rating in record.clinician_ratings:
        entries.append((systems.full_url("clinician_ratings", rating.id), clinician_observation(rating, subject, systems)))
    for checkin in record.checkins:
        entries.append((systems.full_url("mood_checkins", checkin.id), checkin_observation(checkin, subject, systems)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(now),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }

