"""Export downloads: CSV and FHIR for the treating therapist, and the patient's own "download all my data".

Every download carries `Cache-Control: no-store` (health data must not linger in shared caches) and an
attachment filename without the patient's name, so a downloads folder does not list who is in treatment.
"""
import json

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from app.audit import note_access
from app.db import get_db
from app.exports import csv_export, fhir
from app.therapist.caseload import build_caseload
from app.exports.my_data import my_data as build_my_data
from app.exports.records import load_patient_record
from app.homework.schedule import load_homework, local_today
from app.models.types import utcnow
from app.policy import fresh_login_required, get_patient_for, patient_required, therapist_required

bp = Blueprint("exports", __name__)


def _download(body: str, *, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _base_url() -> str:
    """The deployment's public address (identifiers and local code systems hang off it), else this request's."""
    return current_app.config["PUBLIC_BASE_URL"] or request.url_root.rstrip("/")


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
    db = get_db()
    patient = get_patient_for(db, current_user, patient_id)
    now = utcnow()
    bundle = fhir.patient_bundle(load_patient_record(db, patient), base_url=_base_url(), now=now)
    return _download(json.dumps(bundle, ensure_ascii=False, indent=2), mimetype=fhir.FHIR_JSON,
                     filename=f"patient-{patient.id}-{local_today(patient, now)}.fhir.json")


@bp.get("/my-data")
@patient_required
def my_data():
    return render_template("exports/my_data.html")


@bp.get("/my-data.json")
@patient_required
@fresh_login_required
def my_data_json():
    now = utcnow()
    document = build_my_data(load_patient_record(get_db(), current_user), now=now)
    return _download(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                     filename=f"my-data-{local_today(current_user, now)}.json")
