"""Export downloads: CSV and FHIR for the treating therapist, and the patient's own "download all my data".

Every download carries `Cache-Control: no-store` (health data must not linger in shared caches) and an
attachment filename without the patient's name, so a downloads folder does not list who is in treatment.
"""
import json

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from app.audit import note_access
from app.db import get_db
from app.exports import csv_export, fhir
from app.therapist.caseload import build_caseload
from app.exports.my_data import my_data as build_my_data
from app.exports.summary import by_month, summary_lines
from app.exports.records import load_patient_record
from app.homework.schedule import load_homework, local_today
from app.models.types import utcnow
from app.policy import fresh_login_required, get_patient_for, patient_required, therapist_required
from app.public_identity import mrn_system, public_base

bp = Blueprint("exports", __name__)


def _download(body: str, *, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _systems() -> fhir.Systems:
    """Identifiers and local code systems hang off configuration, never this request's Host header."""
    config = current_app.config
    return fhir.Systems(public_base(config), mrn_system=mrn_system(config))


def _fhir_json(resource: dict) -> Response:
    """A public definition (Questionnaire, CodeSystem) at its canonical URL: cacheable, no patient data."""
    response = Response(json.dumps(resource, ensure_ascii=False, indent=2), mimetype=fhir.FHIR_JSON)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/patients/<int:patient_id>/export.csv")
@therapist_required
def patient_csv(patient_id: int):
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    now = utcnow()
    today = local_today(patient, now)
    views = load_homework(db, [patient])[patient.id].views(through=today, now=now)
    body = csv_export.patient_csv(load_patient_record(db, patient), csv_export.decided_occurrences(views))
    return _download(body, mimetype="text/csv", filename=f"patient-{patient.id}-{today}.csv")


@bp.get("/caseload.csv")
@therapist_required
def caseload_csv():
    """Every own patient in one file; each patient is written to the audit log as accessed."""
    now = utcnow()
    summaries = sorted(build_caseload(get_db(), current_user, now, include_inactive=True), key=lambda r: r.patient.name)
    for summary in summaries:
        note_access(current_user, summary.patient.id)
    return _download(csv_export.caseload_csv(summaries), mimetype="text/csv",
                     filename=f"caseload-{now.date()}.csv")


@bp.get("/patients/<int:patient_id>/fhir")
@therapist_required
def patient_fhir(patient_id: int):
    """`?type=transaction` gives conditional creates to POST to a FHIR server; the default is a `collection`."""
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    kind = request.args.get("type", "collection")
    if kind not in fhir.BUNDLE_KINDS:
        abort(404)
    now = utcnow()
    try:
        bundle = fhir.patient_bundle(load_patient_record(db, patient), systems=_systems(), now=now, kind=kind)
    except fhir.MissingDemographics as missing:
        return render_template("exports/fhir_missing.html", patient=patient, missing=missing.missing), 409
    suffix = ".transaction" if kind == "transaction" else ""
    return _download(json.dumps(bundle, ensure_ascii=False, indent=2), mimetype=fhir.FHIR_JSON,
                     filename=f"patient-{patient.id}-{local_today(patient, now)}{suffix}.fhir.json")


@bp.get("/fhir/Questionnaire/<code>")
def fhir_questionnaire(code: str):
    """Our own questionnaires (PCL-5) at their canonical URL, so the link in every response resolves."""
    if code not in fhir.local_questionnaire_codes():
        abort(404)
    return _fhir_json(fhir.questionnaire_resource(code, _systems()))


@bp.get("/fhir/CodeSystem/<name>")
def fhir_code_system(name: str):
    """The local code systems (measures, answer scores) at their canonical URL."""
    resource = fhir.code_system_resource(name, _systems()) or abort(404)
    return _fhir_json(resource)


@bp.get("/my-data")
@patient_required
def my_data():
    return render_template("exports/my_data.html")


@bp.get("/my-data/summary")
@patient_required
@fresh_login_required
def my_data_summary():
    """The patient's entries month by month, to read or print (the same print styles as the therapist's review)."""
    now = utcnow()
    record = load_patient_record(get_db(), current_user)
    return render_template("exports/my_summary.html", months=by_month(summary_lines(record, now=now)),
                           tz=current_user.timezone, printed_on=local_today(current_user, now))


@bp.get("/my-data.json")
@patient_required
@fresh_login_required
def my_data_json():
    now = utcnow()
    document = build_my_data(load_patient_record(get_db(), current_user), now=now)
    return _download(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                     filename=f"my-data-{local_today(current_user, now)}.json")
