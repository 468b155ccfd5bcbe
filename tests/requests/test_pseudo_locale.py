"""Every word on a patient's page goes through gettext: each page is rendered in a pseudo-locale and any plain
English left over is reported (tests/support/pseudo_locale.py).

The pages are not listed by hand: every GET route that patient A (or a visitor who is not signed in) may open,
according to the authorization matrix, is rendered with patient A's real objects (tests/support/world.py), so a new
patient page is checked the day it gets its matrix row. Text that people typed (the world's notes, names, titles)
is plain on purpose: every string stored in the database is allowed.
"""
import calendar
from zoneinfo import available_timezones

import pytest
from sqlalchemy import String, select as sa_select
from sqlmodel import SQLModel

from app import i18n
from app.models import User
from tests.requests.test_authorization_matrix import MATRIX, request_for, request_url
from tests.support.pseudo_locale import PSEUDO_LOCALE, build_pseudo_catalog, pseudo, untranslated_text
from tests.support.world import ROLES, build_world

AUTONYMS = ("English", "Español", "Pseudo")
"""Language names are shown in their own language on purpose (a person finds theirs by its own name)."""
NOT_WORDS = ("PHQ-9", "GAD-7", "PCL-5", "TMS", "SUDS", "DBT", "TIPP", "DEAR MAN", "STOP", "ACCEPTS", "GIVE", "FAST",
             "ABC PLEASE", "IMPROVE", "ICS", "JSON", "PDF", "iPhone", "Android", "OK", "am", "pm")
"""Names that stay as they are in every language (instruments, acronyms, platforms)."""
CALENDAR_WORDS = tuple(calendar.day_name) + tuple(calendar.day_abbr) + tuple(calendar.month_name)[1:] + tuple(
    calendar.month_abbr)[1:]
"""The pseudo-locale borrows World English, whose day and month names are English: dates go through Babel (their
Spanish is checked in test_spanish_pages.py), so here they are not untranslated text."""
ZONE_NAMES = tuple(sorted((zone.replace("_", " ") for zone in available_timezones()), key=len, reverse=True))
"""Time zone identifiers in the time zone picker are names, not sentences."""
NOT_HTML = {"exports.my_data_json", "exports.fhir_code_system", "exports.fhir_questionnaire", "i18n.js_catalog",
            "pwa.manifest", "pwa.service_worker", "pwa.offline_pages", "static", "tms.calendar_feed",
            "auth.healthz", "push.public_key", "pwa.shell"}
"""Routes a patient may GET that answer with data or a file, not a page of words."""


def pages_for(column: int) -> list[str]:
    return sorted(endpoint for (endpoint, method), expected in MATRIX.items()
                  if method == "GET" and expected[column] == 200 and endpoint not in NOT_HTML)


PATIENT_PAGES = pages_for(ROLES.index("patient_a"))
VISITOR_PAGES = pages_for(ROLES.index("anonymous"))


@pytest.fixture(scope="session")
def pseudo_translations(tmp_path_factory):
    return build_pseudo_catalog(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def pseudo_app(app, pseudo_translations):
    app.config.update(EXTRA_LANGUAGES={PSEUDO_LOCALE: "Pseudo"}, BABEL_TRANSLATION_DIRECTORIES=str(pseudo_translations))
    i18n.init_app(app)
    return app


def _is_text(column_type) -> bool:
    """String, Text, and SQLModel's AutoString (a decorator around String)."""
    return isinstance(column_type, String) or isinstance(getattr(column_type, "impl", None), String)


def stored_text(db) -> tuple[str, ...]:
    """Every string in every table: what people typed shows as typed, in any language."""
    found: set[str] = set()
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if _is_text(c.type)]
        if not columns:
            continue
        for row in db.execute(sa_select(*columns)):
            found.update(value for value in row if isinstance(value, str) and value.strip())
    found.update(user.first_name for user in db.execute(sa_select(User)).scalars())
    return tuple(sorted(found, key=len, reverse=True))


def test_the_page_lists_come_from_the_matrix():
    assert {"today.index", "checkins.new", "thoughts.new", "safety.crisis", "safety.plan"} <= set(PATIENT_PAGES)
    assert "therapist.patient" not in PATIENT_PAGES and "auth.login" in VISITOR_PAGES


@pytest.fixture
def world_in_pseudo(pseudo_app, db):
    world = build_world(db)
    patient = world.users["patient_a"]
    patient.language = PSEUDO_LOCALE
    db.add(patient)
    db.commit()
    return world


@pytest.mark.parametrize("endpoint", PATIENT_PAGES)
def test_every_patient_page_is_translated(pseudo_app, world_in_pseudo, db, client, endpoint):
    page = request_for(pseudo_app, world_in_pseudo, endpoint, "GET", "patient_a", client)  # as the matrix signs in
    assert page.status_code == 200
    assert f'<html lang="{PSEUDO_LOCALE.replace("_", "-")}" ' in page.text
    assert untranslated_text(page.text, ignore=allowed(pseudo_app, db)) == []


def allowed(app, db) -> tuple[str, ...]:
    everything = stored_text(db) + (app.config["CLINIC_NAME"],) + ZONE_NAMES + AUTONYMS + NOT_WORDS + CALENDAR_WORDS
    return tuple(sorted(set(everything), key=len, reverse=True))  # longest first: a name inside a longer one stays whole


@pytest.mark.parametrize("endpoint", VISITOR_PAGES)
def test_every_page_before_sign_in_is_translated(pseudo_app, world_in_pseudo, db, client, endpoint):
    page = client.get(request_url(pseudo_app, world_in_pseudo, endpoint, "GET"),
                      headers={"Accept-Language": "en-001"})
    assert page.status_code == 200
    assert untranslated_text(page.text, ignore=allowed(pseudo_app, db)) == []


def test_the_harness_reports_text_that_was_never_marked():
    html = """<main id="m"><h1>Śáṽé</h1><p>Forgot to mark this</p><input type="submit" value="Send">
              <img alt="A picture"><script>var notText = "x";</script><p>Ŕéɱíñđéŕ 19:00</p>
              <p>Ŕéɱíñđéŕ at 19:00</p></main><p>Outside</p>"""
    assert untranslated_text(html, within="m") == ["Forgot to mark this", "Send", "A picture", "Ŕéɱíñđéŕ at 19:00"]
    assert "Outside" in untranslated_text(html)
    assert untranslated_text("<p>Pat Example</p>", ignore=("Pat Example",)) == []


def test_pseudo_translation_keeps_markup_and_placeholders_working():
    assert pseudo('Open <a href="/today">%(name)s</a> &amp; {count} now') == 'Óþéñ <a href="/today">%(name)s</a> &amp; {count} ñóŵ'


def test_in_the_pseudo_locale_marked_strings_are_accented_and_unmarked_ones_are_reported(pseudo_app):
    from flask import render_template_string
    from flask_babel import force_locale

    with pseudo_app.test_request_context(), force_locale(PSEUDO_LOCALE):
        html = render_template_string('<main id="x"><h1>{{ _("Language") }}</h1><p>Typed straight in</p></main>')
    assert "<h1>Ļáñĝúáĝé</h1>" in html
    assert untranslated_text(html, within="x") == ["Typed straight in"]


STAFF_DAILY_PAGES = (("therapist.patients", "therapist_a"), ("therapist.patient", "therapist_a"),
                     ("tms.clinic_today", "technician"), ("appointments.day_list", "therapist_a"))
"""The pages a therapist and a technician open every day. Staff pages may stay English-first (issue 21), so their
Spanish is not required, but every word on them goes through gettext like a patient page's."""


@pytest.mark.parametrize("endpoint,role", STAFF_DAILY_PAGES)
def test_the_staff_pages_used_every_day_are_fully_marked(pseudo_app, db, client, endpoint, role):
    world = build_world(db)
    staff = world.users[role]
    staff.language = PSEUDO_LOCALE
    db.add(staff)
    db.commit()
    page = request_for(pseudo_app, world, endpoint, "GET", role, client)
    assert page.status_code == 200
    assert f'<html lang="{PSEUDO_LOCALE.replace("_", "-")}" ' in page.text
    leftovers = untranslated_text(page.text, ignore=allowed(pseudo_app, db))
    assert leftovers == [], "\n".join(leftovers)
