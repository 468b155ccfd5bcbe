"""A patient's scores as a FHIR R4 (4.0.1) Bundle an EHR can map, match and import twice without duplicates.

Codes (CLINICAL.md, Measures; app/exports/loinc_forms.py):
- PHQ-9 and GAD-7: QuestionnaireResponse.questionnaire is the LOINC form's canonical ("http://loinc.org/q/44249-1",
  ".../69737-5"); each item's linkId is the LOINC form's ("/44250-9") and each answer the LOINC answer code
  (LA6568-5 ...). The Questionnaire itself travels in the bundle, so item codes resolve without a terminology server.
  Totals are Observations LOINC 44261-6 and 70274-6; PHQ-9 item 9 is its own Observation, LOINC 44260-8.
- PCL-5 (no LOINC form) is the local Questionnaire "<base>/fhir/Questionnaire/pcl5" (served at that URL), answers
  in "<base>/fhir/CodeSystem/answer-score"; its total and the other local measures (clinician totals "ybocs-total",
  "hamd-total", "madrs-total"; daily check-in "daily-mood", "daily-anxiety", "sleep-hours") are codes in
  "<base>/fhir/CodeSystem/measures".
- Every resource carries an `identifier` under "<base>/fhir/identifiers/..."; the Patient carries the clinic's MRN.
`<base>` comes from configuration only (app/public_identity.py), never from the request, so ids are the same
however the app is reached. As a `transaction`, each entry is a conditional create (`ifNoneExist` on its identifier,
or `url` for a Questionnaire): posting the same bundle twice creates nothing new.
"""
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from app.checkins.instruments import (
    CLINICIAN_SCALES, INSTRUMENTS, PHQ9_DIFFICULTY_QUESTION, Instrument, InstrumentCode, difficulty_label,
)
from app.checkins.wording import wording_for
from app.exports.loinc_forms import LOINC, LOINC_FORMS, PHQ9_FORM, PHQ9_ITEM9_CODE, LoincForm
from app.exports.records import PatientRecord
from app.i18n.languages import html_lang
from app.models import ClinicianRating, MoodCheckin, QuestionnaireResponse, User

UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
FHIR_JSON = "application/fhir+json"
BUNDLE_KINDS = ("collection", "transaction")

QUESTIONNAIRE_TITLES = {
    InstrumentCode.PHQ9: "PHQ-9 total score",
    InstrumentCode.GAD7: "GAD-7 total score",
    InstrumentCode.PCL5: "PCL-5 total score",
}

REQUIRED_DEMOGRAPHICS = (
    ("family_name", "legal family name"),
    ("given_name", "legal given name"),
    ("birth_date", "date of birth"),
    ("administrative_gender", "administrative gender"),
    ("mrn", "medical record number (MRN)"),
)
"""What an EHR needs to match the patient (US Core Patient: name, gender, identifier; birth date for matching)."""


class MissingDemographics(ValueError):
    """The patient's record lacks what an EHR needs to match them; `missing` names each part for staff."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("FHIR export needs the patient's " + ", ".join(missing) + ".")


def missing_demographics(patient: User) -> list[str]:
    """The labels of required demographics not yet recorded (blank text counts as missing)."""
    return [label for attribute, label in REQUIRED_DEMOGRAPHICS
            if not (str(value).strip() if (value := getattr(patient, attribute)) is not None else "")]


class Systems:
    """The URIs this deployment's local codes, Questionnaires and identifiers live under."""

    def __init__(self, base_url: str, *, mrn_system: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.mrn = mrn_system or f"{self.base}/fhir/NamingSystem/mrn"
        self.measures = f"{self.base}/fhir/CodeSystem/measures"
        self.answer_score = f"{self.base}/fhir/CodeSystem/answer-score"

    def identifier(self, kind: str, value: str) -> dict:
        return {"system": f"{self.base}/fhir/identifiers/{kind}", "value": value}

    def questionnaire(self, code: str) -> str:
        form = LOINC_FORMS.get(code)
        return form.canonical if form else f"{self.base}/fhir/Questionnaire/{code}"

    def full_url(self, kind: str, key: str | int) -> str:
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/{kind}/{key}"))


def instant(value: datetime) -> str:
    """FHIR dateTime/instant: seconds precision with the zone, which FHIR requires whenever a time is given."""
    return value.isoformat(timespec="seconds")


def _survey_category() -> list[dict]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _score(value: int) -> dict:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def _ordinal(score: int) -> list[dict]:
    return [{"url": ORDINAL_VALUE, "valueDecimal": score}]


# Questionnaires


def _loinc_questionnaire(instrument: Instrument, form: LoincForm) -> dict:
    return {
        "resourceType": "Questionnaire",
        "url": form.canonical,
        "identifier": [{"system": LOINC, "value": form.panel}],
        "name": instrument.code.upper(),
        "title": f"{form.panel_display} [{instrument.title}]",
        "status": "active",
        "subjectType": ["Patient"],
        "code": [{"system": LOINC, "code": form.panel, "display": form.panel_display}],
        "item": [
            {
                "linkId": item.link_id,
                "code": [{"system": LOINC, "code": item.code, "display": item.display}],
                "text": text,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": {"system": LOINC, "code": answer.code, "display": answer.display},
                     "extension": _ordinal(score)}
                    for score, answer in form.item_options(number)
                ],
            }
            for number, (item, text) in enumerate(zip(form.items, instrument.items, strict=True), start=1)
        ],
    }


def _local_questionnaire(instrument: Instrument, systems: Systems) -> dict:
    return {
        "resourceType": "Questionnaire",
        "url": systems.questionnaire(instrument.code),
        "name": instrument.code.upper(),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": instrument.timeframe_prompt,
        "item": [
            {
                "linkId": str(number),
                "text": text,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": {"system": systems.answer_score, "code": str(option.value), "display": option.label},
                     "extension": _ordinal(option.value)}
                    for option in instrument.options
                ],
            }
            for number, text in zip(instrument.item_numbers, instrument.items, strict=True)
        ],
    }


def questionnaire_resource(code: str, systems: Systems) -> dict:
    """The Questionnaire a response answers: the LOINC form where there is one, else ours (served at its url)."""
    instrument = INSTRUMENTS[code]
    form = LOINC_FORMS.get(code)
    return _loinc_questionnaire(instrument, form) if form else _local_questionnaire(instrument, systems)


def local_questionnaire_codes() -> list[str]:
    """Instruments whose Questionnaire is ours to publish (no LOINC form)."""
    return [code for code in INSTRUMENTS if code not in LOINC_FORMS]


def code_system_resource(name: str, systems: Systems) -> dict | None:
    """The local CodeSystems ("measures", "answer-score") so their URLs resolve to what the codes mean."""
    if name == "measures":
        concepts = [{"code": f"{code}-total", "display": QUESTIONNAIRE_TITLES[code]} for code in local_questionnaire_codes()]
        concepts += [{"code": f"{scale.code}-total", "display": f"{scale.name} total"} for scale in CLINICIAN_SCALES.values()]
        concepts += [{"code": "daily-mood", "display": "Daily mood (0-10)"},
                     {"code": "daily-anxiety", "display": "Anxiety (0-10)"},
                     {"code": "sleep-hours", "display": "Hours slept"}]
        url, title = systems.measures, "Local measures of the TMS homework companion"
    elif name == "answer-score":
        highest = max(len(INSTRUMENTS[code].options) for code in local_questionnaire_codes())
        concepts = [{"code": str(score), "display": f"Item score {score}"} for score in range(highest)]
        url, title = systems.answer_score, "Item scores of local questionnaires"
    else:
        return None
    return {"resourceType": "CodeSystem", "url": url, "name": name.replace("-", "_"), "title": title,
            "status": "active", "content": "complete", "concept": concepts}


# Patient and responses


def patient_resource(patient: User, systems: Systems) -> dict:
    """Legal name, birth date, gender and the clinic's MRN; refuses (MissingDemographics) when any is missing."""
    missing = missing_demographics(patient)
    if missing:
        raise MissingDemographics(missing)
    return {
        "resourceType": "Patient",
        "identifier": [
            {"use": "usual",
             "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR", "display": "Medical record number"}],
                      "text": "MRN"},
             "system": systems.mrn, "value": patient.mrn.strip()},
            {"use": "secondary", **systems.identifier("patients", str(patient.id))},
        ],
        "active": patient.active,
        "name": [{"use": "official", "family": patient.family_name.strip(), "given": [patient.given_name.strip()]}],
        "telecom": [{"system": "email", "value": patient.email}],
        "gender": str(patient.administrative_gender),
        "birthDate": patient.birth_date.isoformat(),
    }


def _answer_coding(response: QuestionnaireResponse, number: int, systems: Systems) -> dict:
    score = response.answer(number)
    form = LOINC_FORMS.get(response.instrument)
    if form:
        answer = form.answer(number, score)
        return {"system": LOINC, "code": answer.code, "display": answer.display}
    labels = {option.value: option.label for option in INSTRUMENTS[response.instrument].options}
    return {"system": systems.answer_score, "code": str(score), "display": labels[score]}


def questionnaire_response(response: QuestionnaireResponse, subject: dict, systems: Systems) -> dict:
    """Item texts in the wording the patient answered (its `language`); linkIds and codes are the same."""
    instrument = wording_for(INSTRUMENTS[response.instrument], response.language).instrument
    form = LOINC_FORMS.get(response.instrument)
    closing = []
    if response.difficulty is not None:
        closing.append({"linkId": "difficulty", "text": PHQ9_DIFFICULTY_QUESTION + " (not scored)", "answer": [
            {"valueCoding": {"system": systems.answer_score, "code": str(response.difficulty),
                             "display": difficulty_label(response.difficulty)}}]})
    if response.experience:
        closing.insert(0, {"linkId": "experience", "text": "The stressful experience", "answer": [
            {"valueString": response.experience}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "language": html_lang(response.language),
        "identifier": systems.identifier("questionnaire-responses", str(response.id)),
        "questionnaire": systems.questionnaire(response.instrument),
        "status": "completed",
        "subject": subject,
        "authored": instant(response.submitted_at),
        "item": [
            {
                "linkId": form.items[number - 1].link_id if form else str(number),
                "text": text,
                "answer": [{"valueCoding": _answer_coding(response, number, systems)}],
            }
            for number, text in zip(instrument.item_numbers, instrument.items, strict=True)
        ] + closing,
    }


def total_code(code: str, systems: Systems) -> dict:
    form = LOINC_FORMS.get(code)
    coding = ({"system": LOINC, "code": form.total_code, "display": form.total_display} if form
              else {"system": systems.measures, "code": f"{code}-total"})
    return {"coding": [coding], "text": QUESTIONNAIRE_TITLES[code]}


def total_observation(response: QuestionnaireResponse, subject: dict, response_url: str, systems: Systems) -> dict:
    return {
        "resourceType": "Observation",
        "identifier": [systems.identifier("observations", f"questionnaire-total-{response.id}")],
        "status": "final",
        "category": _survey_category(),
        "code": total_code(response.instrument, systems),
        "subject": subject,
        "effectiveDateTime": instant(response.submitted_at),
        "valueQuantity": _score(response.total),
        "interpretation": [{"text": response.band}],
        "derivedFrom": [{"reference": response_url}],
    }


def phq9_item9_observation(response: QuestionnaireResponse, subject: dict, response_url: str,
                           systems: Systems) -> dict:
    """PHQ-9 item 9 on its own (LOINC 44260-8): any answer above "Not at all" is a safety event (CLINICAL.md)."""
    item = PHQ9_FORM.items[-1]
    return {
        "resourceType": "Observation",
        "identifier": [systems.identifier("observations", f"phq9-item9-{response.id}")],
        "status": "final",
        "category": _survey_category(),
        "code": {"coding": [{"system": LOINC, "code": PHQ9_ITEM9_CODE, "display": item.display}],
                 "text": "PHQ-9 item 9"},
        "subject": subject,
        "effectiveDateTime": instant(response.submitted_at),
        "valueCodeableConcept": {"coding": [_answer_coding(response, 9, systems)]},
        "derivedFrom": [{"reference": response_url}],
    }


def clinician_observation(rating: ClinicianRating, subject: dict, systems: Systems) -> dict:
    """Only the total and its date: the app never stores a clinician scale's items (CLINICAL.md)."""
    scale = CLINICIAN_SCALES[rating.scale]
    return {
        "resourceType": "Observation",
        "identifier": [systems.identifier("observations", f"clinician-rating-{rating.id}")],
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
        "identifier": [systems.identifier("observations", f"mood-checkin-{checkin.id}")],
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


# The bundle


@dataclass(frozen=True)
class Entry:
    full_url: str
    resource: dict
    match: str
    """The search a receiving server runs before creating it (ifNoneExist)."""


def _token(system: str, value: str) -> str:
    return quote(system, safe=":/") + "|" + quote(value, safe="")


def _identifier_match(identifier: dict) -> str:
    return "identifier=" + _token(identifier["system"], identifier["value"])


def _entry(full_url: str, resource: dict) -> Entry:
    identifier = resource.get("identifier")
    if resource["resourceType"] == "Questionnaire":
        match = "url=" + quote(resource["url"], safe=":/")
    else:
        match = _identifier_match(identifier[0] if isinstance(identifier, list) else identifier)
    return Entry(full_url, resource, match)


def bundle_entries(record: PatientRecord, systems: Systems) -> list[Entry]:
    """Patient, the Questionnaires answered, then each response with its total (and PHQ-9 item 9), clinician
    totals and daily check-ins, in time order. Raises MissingDemographics before building anything else."""
    patient = record.patient
    patient_url = systems.full_url("patients", patient.id)
    entries = [_entry(patient_url, patient_resource(patient, systems))]
    subject = {"reference": patient_url}
    for code in sorted({response.instrument for response in record.responses}):
        entries.append(_entry(systems.full_url("questionnaires", code), questionnaire_resource(code, systems)))
    for response in record.responses:
        response_url = systems.full_url("questionnaire_responses", response.id)
        entries.append(_entry(response_url, questionnaire_response(response, subject, systems)))
        entries.append(_entry(systems.full_url("questionnaire_totals", response.id),
                              total_observation(response, subject, response_url, systems)))
        if response.instrument == InstrumentCode.PHQ9:
            entries.append(_entry(systems.full_url("phq9_item9", response.id),
                                  phq9_item9_observation(response, subject, response_url, systems)))
    for rating in record.clinician_ratings:
        entries.append(_entry(systems.full_url("clinician_ratings", rating.id),
                              clinician_observation(rating, subject, systems)))
    for checkin in record.checkins:
        entries.append(_entry(systems.full_url("mood_checkins", checkin.id), checkin_observation(checkin, subject, systems)))
    return entries


def patient_bundle(record: PatientRecord, *, systems: Systems, now: datetime, kind: str = "collection") -> dict:
    """The record as a `collection` (to store or read) or a `transaction` of conditional creates (to POST)."""
    if kind not in BUNDLE_KINDS:
        raise ValueError(f"bundle kind must be one of {BUNDLE_KINDS}")
    entries = bundle_entries(record, systems)
    bundle = {
        "resourceType": "Bundle",
        "identifier": systems.identifier("bundles", f"patient-{record.patient.id}-{kind}-{instant(now)}"),
        "type": kind,
        "timestamp": instant(now),
        "entry": [],
    }
    for entry in entries:
        item = {"fullUrl": entry.full_url, "resource": entry.resource}
        if kind == "transaction":
            item["request"] = {"method": "POST", "url": entry.resource["resourceType"], "ifNoneExist": entry.match}
        bundle["entry"].append(item)
    return bundle
