"""A patient's legal name, birth date, administrative gender and MRN: checked, then recorded by staff.

All optional in the app (a patient can start homework without them); a FHIR export refuses until they are there
(app/exports/fhir.py). The MRN is the clinic's own number, so it is kept as typed (trimmed) and must be unique.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.models import User
from app.models.users import AdministrativeGender
from app.validation import Collector, FieldError, text

OLDEST_BIRTH_YEAR = 1900
"""A birth date before this is a typing slip, not a patient."""

GENDER_LABELS = {
    AdministrativeGender.female: "Female",
    AdministrativeGender.male: "Male",
    AdministrativeGender.other: "Other",
    AdministrativeGender.unknown: "Unknown",
}
"""FHIR administrative gender, as recorded for matching in the EHR (not the patient's gender identity)."""

MRN_TAKEN = "Another patient already has this medical record number. Check the number in the EHR."


@dataclass(frozen=True)
class Demographics:
    family_name: str | None
    given_name: str | None
    birth_date: date | None
    administrative_gender: AdministrativeGender | None
    mrn: str | None


def birth_date(value: str | None, *, today: date, field: str = "birth_date") -> date | None:
    """An ISO date (what a date input sends) in the past and after 1900; blank is None."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        raise FieldError(field, "Enter the date of birth as a date, like 1984-07-23.") from None
    if parsed > today:
        raise FieldError(field, "A date of birth can't be in the future.")
    if parsed.year < OLDEST_BIRTH_YEAR:
        raise FieldError(field, f"Check the year: a date of birth before {OLDEST_BIRTH_YEAR} isn't plausible.")
    return parsed


def gender(value: str | None, *, field: str = "administrative_gender") -> AdministrativeGender | None:
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        return AdministrativeGender(raw)
    except ValueError:
        raise FieldError(field, "Choose one of the listed options.") from None


def parse_demographics(form: Mapping, *, today: date) -> Demographics:
    """Every field's problem at once (FormInvalid), or the cleaned values; blank fields become None."""
    collect = Collector()
    family = collect.check(text, form.get("family_name"), field="family_name", label="Legal family name", limit=80)
    given = collect.check(text, form.get("given_name"), field="given_name", label="Legal given name", limit=80)
    born = collect.check(birth_date, form.get("birth_date"), today=today)
    sex = collect.check(gender, form.get("administrative_gender"))
    mrn = collect.check(text, form.get("mrn"), field="mrn", label="Medical record number", limit=40)
    collect.raise_if_any()
    return Demographics(family or None, given or None, born, sex, mrn or None)


def mrn_in_use(db: Session, mrn: str | None, *, patient_id: int | None = None) -> bool:
    if not mrn:
        return False
    query = select(User.id).where(User.mrn == mrn)
    if patient_id is not None:
        query = query.where(User.id != patient_id)
    return db.exec(query).first() is not None


def record_demographics(db: Session, *, patient: User, details: Demographics) -> None:
    """Store the details on the patient and flush; a number another patient holds is a FieldError on `mrn`."""
    if mrn_in_use(db, details.mrn, patient_id=patient.id):
        raise FieldError("mrn", MRN_TAKEN)
    patient.family_name, patient.given_name = details.family_name, details.given_name
    patient.birth_date, patient.administrative_gender = details.birth_date, details.administrative_gender
    patient.mrn = details.mrn
    db.add(patient)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise FieldError("mrn", MRN_TAKEN) from None
