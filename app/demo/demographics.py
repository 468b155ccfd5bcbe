"""Demo details for the EHR: Dana and Sam can be exported to FHIR; Jordan has none, to show what staff see then."""
from datetime import date

from sqlmodel import Session

from app.admin.demographics import Demographics, record_demographics
from app.models.users import AdministrativeGender

DEMO_DETAILS = {
    "dana": Demographics("Rivera", "Dana", date(1987, 4, 12), AdministrativeGender.female, "DEMO-100231"),
    "sam": Demographics("Okafor", "Samuel", date(1979, 11, 3), AdministrativeGender.male, "DEMO-100232"),
}


def seed_demographics(db: Session, clinic) -> None:
    """Idempotent: a patient who already has an MRN keeps what staff recorded."""
    for key, details in DEMO_DETAILS.items():
        patient = clinic.people[key]
        if patient.mrn is None:
            record_demographics(db, patient=patient, details=details)
