"""Crisis and safety-plan phone numbers are numbers someone can dial (issue 19, finding 10), checked with
`phonenumbers` for the clinic's region; a mistyped one is refused beside its field with what was typed kept."""
import pytest
from sqlmodel import select

from app.models.safety import SafetyPlan
from app.sites.services import default_site
from app.validation import FieldError, parse_phone

CLINIC = {"clinic_phone": "(212) 555-0100", "after_hours_phone": "", "crisis_line_label": "988 Lifeline",
          "crisis_line_number": "988", "crisis_line_text": "741741", "emergency_number": "911"}


@pytest.mark.parametrize("field,bad", [("clinic_phone", "555-01"), ("crisis_line_number", "98"),
                                       ("emergency_number", "call us"), ("after_hours_phone", "+1 212"),
                                       ("clinic_phone", "911")])
def test_a_crisis_number_that_cannot_be_dialled_is_refused_beside_its_field(admin_client, db, field, bad):
    response = admin_client.post("/admin/clinic", data={**CLINIC, field: bad})
    assert response.status_code == 400 and "a phone number we can dial" in response.text
    assert _site(db).clinic_phone == ""  # nothing of the refused form was saved


def _site(db):
    """The crisis numbers belong to the site (issue 22); a single-site clinic has the default one."""
    db.expire_all()
    return default_site(db)


def test_valid_crisis_numbers_are_saved_as_typed(admin_client, db):
    assert admin_client.post("/admin/clinic", data={**CLINIC, "after_hours_phone": "+44 20 7946 0960"}).status_code == 303
    saved = _site(db)
    assert (saved.clinic_phone, saved.after_hours_phone, saved.crisis_line_text) == ("(212) 555-0100", "+44 20 7946 0960", "741741")


def test_the_clinic_region_decides_what_a_local_number_means(app, admin_client, db):
    app.config["PHONE_REGION"] = "GB"
    response = admin_client.post("/admin/clinic", data={**CLINIC, "clinic_phone": "020 7946 0960",
                                                        "crisis_line_number": "116 123", "crisis_line_text": "85258",
                                                        "emergency_number": "999"})
    assert response.status_code == 303 and _site(db).emergency_number == "999"


def test_a_mistyped_number_in_the_safety_plan_is_refused_with_the_text_kept(patient_client, db):
    response = patient_client.post("/safety/plan", data={"help_contacts": "Mum 212 555 01\nSam (212) 555-0142",
                                                         "warning_signs": "Not sleeping"})
    assert response.status_code == 400 and "212 555 01" in response.text and "Not sleeping" in response.text
    assert db.exec(select(SafetyPlan)).first() is None


def test_safety_plan_contacts_with_real_numbers_and_other_text_are_saved(patient_client, db):
    text = "Mum (212) 555-0142\nSam +44 20 7946 0960\nCall after 2026-11-30, about 3 times"
    assert patient_client.post("/safety/plan", data={"help_contacts": text, "professionals": "Clinic 988"}).status_code == 303
    assert db.exec(select(SafetyPlan)).one().help_contacts == text


def test_parse_phone_is_one_validator_for_every_number():
    assert parse_phone("988", field="n", label="it", short_ok=True) == "988"
    with pytest.raises(FieldError):
        parse_phone("988", field="n", label="it")  # a clinic's own line is a full number
    assert parse_phone("", field="n", label="it") == ""
    with pytest.raises(FieldError):
        parse_phone("", field="n", label="it", required=True)
