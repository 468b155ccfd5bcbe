"""Pure rules behind the EHR export and calendar: the install's public name, doctor's warning, demographics."""
from datetime import date

import pytest

from app.admin.demographics import parse_demographics
from app.checkins.instruments import GAD7, PHQ9
from app.config import _instance_id
from app.safety.doctor import public_base_url
from app.exports.fhir import missing_demographics
from app.exports.loinc_forms import GAD7_FORM, PHQ9_FORM
from app.models import User
from app.public_identity import mrn_system, public_base, uid_domain
from app.validation import FormInvalid

TODAY = date(2026, 3, 2)


def test_public_base_is_the_configured_url_else_a_fixed_per_install_fallback():
    assert public_base({"PUBLIC_BASE_URL": "https://clinic.example/", "INSTANCE_ID": "ab12"}) == "https://clinic.example"
    assert public_base({"PUBLIC_BASE_URL": "", "INSTANCE_ID": "ab12"}) == "https://install-ab12.invalid"
    assert uid_domain({"PUBLIC_BASE_URL": "https://clinic.example:8443/app", "INSTANCE_ID": "x"}) == "clinic.example"
    assert uid_domain({"PUBLIC_BASE_URL": "", "INSTANCE_ID": "ab12"}) == "install-ab12.invalid"
    assert mrn_system({"PUBLIC_BASE_URL": "", "INSTANCE_ID": "ab12", "MRN_SYSTEM": "urn:oid:1.2.3"}) == "urn:oid:1.2.3"


def test_instance_id_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("INSTANCE_ID", raising=False)
    first = _instance_id(tmp_path)
    assert first == _instance_id(tmp_path) and len(first) == 16
    monkeypatch.setenv("INSTANCE_ID", "Clinic-7")
    assert _instance_id(tmp_path) == "clinic-7"


def test_doctor_warns_only_when_public_base_url_is_unset():
    unset = public_base_url({"PUBLIC_BASE_URL": "", "INSTANCE_ID": "ab12"})
    assert not unset.ok and unset.required and "https://install-ab12.invalid" in unset.detail
    assert public_base_url({"PUBLIC_BASE_URL": "https://clinic.example", "INSTANCE_ID": "ab12"}).ok


def test_loinc_forms_have_one_distinct_code_per_item_of_the_instrument():
    for form, instrument in ((PHQ9_FORM, PHQ9), (GAD7_FORM, GAD7)):
        codes = [item.code for item in form.items]
        assert len(codes) == len(set(codes)) == len(instrument.items)
        assert all(item.link_id == "/" + item.code for item in form.items)
    assert PHQ9_FORM.items[8].code == "44260-8" and PHQ9_FORM.total_code == "44261-6"
    assert GAD7_FORM.total_code == "70274-6"
    assert [PHQ9_FORM.answer(1, s).code for s in range(4)] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert GAD7_FORM.answer(2, 2).code == "LA18938-3" and GAD7_FORM.answer(3, 2).code == "LA6570-1"


def test_missing_demographics_names_each_part_and_treats_blank_as_missing():
    patient = User(email="p@example.org", name="P", role="patient", family_name="  ", given_name="Pat",
                   birth_date=date(1980, 1, 1), mrn="M1")
    assert missing_demographics(patient) == ["legal family name", "administrative gender"]


def test_demographics_report_every_problem_at_once():
    with pytest.raises(FormInvalid) as problems:
        parse_demographics({"birth_date": "2026-03-03", "administrative_gender": "x", "mrn": "9" * 41}, today=TODAY)
    assert set(problems.value.errors) == {"birth_date", "administrative_gender", "mrn"}


def test_demographics_accept_today_and_blank_fields():
    details = parse_demographics({"birth_date": "2026-03-02", "family_name": " Smith ", "mrn": ""}, today=TODAY)
    assert (details.birth_date, details.family_name, details.mrn, details.given_name) == (TODAY, "Smith", None, None)
