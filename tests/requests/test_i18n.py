"""Languages through the client: who gets which language, changing it, bad codes, catalogs, questionnaires."""
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from flask_babel import force_locale, gettext
from sqlmodel import select

from app import i18n
from app.i18n.languages import LANGUAGES
from app.models import QuestionnaireResponse, SafetyEvent, User
from tests.conftest import sign_in
from tests.factories import EHR_DETAILS

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PHQ9_ANSWERS = {f"item{n}": "1" for n in range(1, 9)} | {"item9": "0"}
GAD7_ANSWERS = {f"item{n}": "2" for n in range(1, 8)}


def speaks(db, user: User, language: str) -> User:
    user.language = language
    db.add(user)
    db.commit()
    db.refresh(user)
    return user


def stored(db, model):
    db.expire_all()
    return db.exec(select(model).order_by(model.id)).all()


# Which language a page is in.


def test_a_signed_in_person_gets_their_own_language_whatever_the_browser_says(client, db, patient):
    sign_in(client, speaks(db, patient, "es"))
    page = client.get("/settings/language", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="es" ' in page.text and "Guardar idioma" in page.text


def test_english_speakers_see_english(patient_client):
    page = patient_client.get("/settings/language", headers={"Accept-Language": "es"})
    assert '<html lang="en" ' in page.text and "Save language" in page.text


@pytest.mark.parametrize(
    "header,lang",
    [("es-MX,es;q=0.9", "es"), ("es", "es"), ("de-DE,de;q=0.8", "en"), ("", "en"), ("!!;q=abc,,", "en"),
     ("fr;q=0.9,es;q=0.5", "es")],
)
def test_sign_in_page_follows_the_browser_until_someone_signs_in(client, header, lang):
    page = client.get("/login", headers={"Accept-Language": header} if header else {})
    assert page.status_code == 200
    assert f'<html lang="{lang}" ' in page.text


def test_anonymous_pages_say_they_vary_by_accept_language(client):
    assert "Accept-Language" in client.get("/login").headers.get("Vary", "")


def test_babel_dates_use_the_persons_zone_and_an_unknown_zone_never_fails_the_page(app, db, patient):
    from datetime import UTC, datetime

    from flask_babel import format_datetime

    speaks(db, patient, "es")
    patient.timezone = "America/Denver"
    with app.test_request_context():
        from flask_login import login_user

        login_user(patient)
        assert format_datetime(datetime(2026, 3, 2, 18, 30, tzinfo=UTC), "HH:mm") == "11:30"
        from flask_babel import refresh

        patient.timezone = "Not/AZone"
        refresh()
        assert format_datetime(datetime(2026, 3, 2, 18, 30, tzinfo=UTC), "HH:mm") == "13:30"  # the clinic's zone


def test_an_unknown_language_stored_on_an_account_shows_english_without_an_error(client, db, patient):
    sign_in(client, speaks(db, patient, "tlh"))
    page = client.get("/today")
    assert page.status_code == 200 and '<html lang="en" ' in page.text


# Choosing a language.


def test_choosing_spanish_saves_it_and_answers_in_spanish_at_once(patient_client, db, patient):
    response = patient_client.post("/settings/language", data={"language": "es"})
    assert response.status_code == 303 and response.headers["Location"] == "/settings/language"
    db.refresh(patient)
    assert patient.language == "es"
    page = patient_client.get("/settings/language")
    assert "Idioma guardado." in page.text
    assert re.search(r'<input checked[^>]*value="es"', page.text)


@pytest.mark.parametrize("bad", ["klingon", "es-MX", "", "<script>"])
def test_a_language_we_do_not_ship_is_refused_beside_the_field(patient_client, db, patient, bad):
    response = patient_client.post("/settings/language", data={"language": bad})
    assert response.status_code == 400
    assert "Please choose one of the languages shown." in response.text and 'class="error"' in response.text
    db.refresh(patient)
    assert patient.language == "en"


def test_staff_set_the_language_when_inviting_a_patient(admin_client, db, therapist):
    response = admin_client.post("/patients/new", data={
        "name": "Lucía Morales", "email": "lucia@example.org", "timezone": "America/Denver",
        "therapist_id": str(therapist.id), "language": "es"})
    assert response.status_code == 200 and "/invite/" in response.text
    (lucia,) = db.exec(select(User).where(User.email == "lucia@example.org")).all()
    assert lucia.language == "es"


def test_an_invitation_in_an_unknown_language_comes_back_with_the_error_and_the_typing_kept(admin_client, db, therapist):
    response = admin_client.post("/patients/new", data={
        "name": "Lucía Morales", "email": "lucia@example.org", "timezone": "America/Denver",
        "therapist_id": str(therapist.id), "language": "xx"})
    assert response.status_code == 400
    assert "Choose one of the languages shown." in response.text and "lucia@example.org" in response.text
    assert db.exec(select(User).where(User.email == "lucia@example.org")).first() is None


def test_the_invitation_page_follows_the_browser(client):
    page = client.get("/invite/not-a-real-token", headers={"Accept-Language": "es-US"})
    assert '<html lang="es" ' in page.text


# Catalogs.


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_every_shipped_language_has_a_compiled_catalog_that_matches_its_source():
    for code in LANGUAGES:
        if code == "en":
            continue
        po_path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        mo_path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo"
        assert mo_path.is_file(), f"{mo_path} is missing: run `make translations`"
        with po_path.open("rb") as handle:
            source = {_key(m.id): _key(m.string) for m in read_po(handle, locale=code)
                      if m.id and _translated(m.string) and not m.fuzzy}
        with mo_path.open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        # pybabel writes an untranslated plural (a staff-only string, English-first) with its English forms.
        compiled = {k: v for k, v in compiled.items() if k in source or not _english_fallback(k, v)}
        assert compiled == source, f"{mo_path} is out of date with {po_path}: run `make translations`"


def _translated(string) -> bool:
    return bool(string) and (not isinstance(string, tuple) or all(string))


def _english_fallback(msgid, string) -> bool:
    return isinstance(msgid, tuple) and isinstance(string, tuple) and set(string) <= set(msgid)


def test_every_catalog_holds_every_string_of_the_template():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for code in set(LANGUAGES) - {"en"}:
        with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = {m.id for m in read_po(handle, locale=code) if m.id}
        assert template <= catalog, f"{code}: run `make translations` (pybabel update)"


STAFF_SOURCES = (
    "templates/layouts/staff.html", "templates/therapist/", "templates/clinic/", "templates/admin/",
    "templates/tms/clinic_today.html", "templates/tms/course_record.html", "templates/tms/patient_sessions.html",
    "templates/tms/record_form.html", "templates/careteam/", "templates/directory/", "templates/sites/",
    "templates/appointments/", "templates/plan/", "templates/coordination/", "templates/exposure/therapist_",
    "templates/thoughts/therapist_", "templates/dbt/therapist_", "templates/checkins/therapist_",
    "templates/checkins/side_effects_report.html", "templates/safety/therapist_", "templates/safety/clinic_",
    "templates/safety/_staff_banner.html", "templates/safety/_caseload_alerts.html",
    "app/therapist/", "app/admin/", "app/careteam/", "app/directory/", "app/coordination/", "app/plan/",
    "app/appointments/routes.py", "app/exposure/charts.py", "app/safety/summary.py", "app/dbt/grid_words.py",
)
"""Files (or folders, or file-name prefixes) only the care team reads. Issue 21 lets staff pages stay English-first:
a string found only here may have no Spanish yet (gettext shows the English). A string that also appears anywhere
else (a patient page, patient JS, Python behind a patient page) must be in Spanish. Shared modules keep their staff
wording in a module of its own (app/safety/summary.py, app/dbt/grid_words.py) so it can be listed here."""


def staff_only(message) -> bool:
    """Every place the .pot says the string comes from (`#: path:line`) is a staff source."""
    return bool(message.locations) and all(path.startswith(STAFF_SOURCES) for path, _line in message.locations)


def test_the_staff_source_list_names_real_files():
    for source in STAFF_SOURCES:
        folder, _sep, prefix = source.rpartition("/")
        assert any(p.name.startswith(prefix) for p in (ROOT / folder).iterdir()), source


def test_spanish_is_complete_for_every_marked_string():
    """Every string a patient may read is in Spanish; strings only staff pages use may fall back to English."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        exempt = {_key(m.id) for m in read_po(handle) if m.id and staff_only(m)}
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        untranslated = [m.id for m in read_po(handle, locale="es") if m.id and (not m.string or m.fuzzy
                        or (isinstance(m.string, tuple) and not all(m.string))) and _key(m.id) not in exempt]
    assert untranslated == []


def test_every_marked_string_is_in_the_template(tmp_path):
    """A string marked in code or a template but not extracted yet fails here: run `make translations`."""
    out = tmp_path / "fresh.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "I18n.gettext", "-o", str(out), "."], cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as fresh, (TRANSLATIONS / "messages.pot").open("rb") as shipped:
        assert {m.id for m in read_po(fresh) if m.id} <= {m.id for m in read_po(shipped) if m.id}


def _catalog_dir(tmp_path: Path, language: str, messages: dict[str, str]) -> Path:
    catalog = Catalog(locale=language)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = tmp_path / "translations" / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return tmp_path / "translations"


def test_a_catalog_missing_a_string_or_with_an_empty_one_shows_english_never_blank(app, tmp_path):
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(_catalog_dir(tmp_path, "es", {"Save language": ""}))
    i18n.init_app(app)
    with app.test_request_context(), force_locale("es"):
        assert gettext("Save language") == "Save language"
        assert gettext("Language") == "Language"


def test_js_catalog_serves_only_translated_js_strings(app, client, tmp_path):
    pot = tmp_path / "js.pot"
    template = Catalog()
    for msgid in ("Saved on this phone — will sync", "Send now", "Not translated yet"):
        template.add(msgid)
    with pot.open("wb") as handle:
        write_po(handle, template)
    directory = _catalog_dir(tmp_path, "es", {"Saved on this phone — will sync": "Guardado en este teléfono — se enviará",
                                               "Send now": "Enviar ahora", "Not translated yet": ""})
    app.config.update(JS_MESSAGES_TEMPLATE=str(pot), BABEL_TRANSLATION_DIRECTORIES=str(directory))
    i18n.init_app(app)
    body = client.get("/i18n/es.json").get_json()
    assert body == {"lang": "es", "messages": {"Saved on this phone — will sync": "Guardado en este teléfono — se enviará",
                                               "Send now": "Enviar ahora"}}


@pytest.mark.parametrize("code", ["klingon", "xx-YY", "EN"])
def test_js_catalog_for_an_unknown_language_is_english(client, code):
    response = client.get(f"/i18n/{code}.json")
    assert response.status_code == 200 and response.get_json() == {"lang": "en", "messages": {}}


def test_shipped_js_catalog_answers_for_spanish(client):
    body = client.get("/i18n/es-MX.json").get_json()
    assert body["lang"] == "es" and isinstance(body["messages"], dict)


# Questionnaires in validated wording, and what the therapist sees.


def test_a_spanish_speaker_answers_the_spanish_phq9_and_it_is_stored_as_spanish(client, db, patient):
    sign_in(client, speaks(db, patient, "es"))
    page = client.get("/questionnaires/phq9")
    assert "Poco interés o placer en hacer cosas" in page.text and "Ningún día" in page.text
    assert "Little interest" not in page.text and "tested version" not in page.text
    assert client.post("/questionnaires/phq9", data=PHQ9_ANSWERS).status_code == 303
    (row,) = stored(db, QuestionnaireResponse)
    assert (row.language, row.total, row.band) == ("es", 8, "mild")


def test_gad7_has_no_validated_spanish_here_so_it_is_english_with_a_note_and_stored_as_english(client, db, patient):
    sign_in(client, speaks(db, patient, "es"))
    page = client.get("/questionnaires/gad7")
    assert "Feeling nervous, anxious, or on edge" in page.text
    assert "Este cuestionario todavía no tiene una versión validada en tu idioma" in page.text
    client.post("/questionnaires/gad7", data=GAD7_ANSWERS)
    (row,) = stored(db, QuestionnaireResponse)
    assert (row.instrument, row.language, row.total) == ("gad7", "en", 14)


def test_spanish_phq9_item9_still_raises_the_safety_event_first(client, db, patient):
    sign_in(client, speaks(db, patient, "es"))
    response = client.post("/questionnaires/phq9", data={"item9": "2"})
    assert response.status_code == 400
    assert len(stored(db, SafetyEvent)) == 1


def test_the_therapist_sees_which_answers_were_given_in_spanish(client, db, patient, therapist):
    for name, value in EHR_DETAILS.items():  # the FHIR export needs what an EHR matches on
        setattr(patient, name, value)
    sign_in(client, speaks(db, patient, "es"))
    client.post("/questionnaires/phq9", data=PHQ9_ANSWERS)
    client.post("/questionnaires/gad7", data=GAD7_ANSWERS)
    sign_in(client, therapist)
    measures = client.get(f"/patients/{patient.id}/measures").text
    assert measures.count("answered in Spanish") == 1
    rows = list(csv.reader(io.StringIO(client.get(f"/patients/{patient.id}/export.csv").text.lstrip("\ufeff"))))
    language_rows = [r for r in rows if "language" in r]
    assert len(language_rows) == 1 and language_rows[0][-2:] == ["es", "answered in Spanish"]
    bundle = client.get(f"/patients/{patient.id}/fhir").get_json()
    responses = {r["resource"]["language"]: r["resource"] for r in bundle["entry"]
                 if r["resource"]["resourceType"] == "QuestionnaireResponse"}
    assert set(responses) == {"es", "en"}
    assert responses["es"]["item"][0]["text"] == "Poco interés o placer en hacer cosas"
