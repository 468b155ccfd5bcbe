"""Every word on a translated page goes through gettext: the page is rendered in a pseudo-locale and any plain
English left over is reported (tests/support/pseudo_locale.py).

MARKED_PAGES lists (url, element id or None for the whole page, who views it). A page joins the list once its
template is marked; after the template pass every patient page is listed with None (the whole document).
"""
import pytest

from app import i18n
from tests.conftest import sign_in
from tests.support.pseudo_locale import PSEUDO_LOCALE, build_pseudo_catalog, pseudo, untranslated_text

MARKED_PAGES = [
    ("/settings/language", "language-settings", "patient"),
    ("/settings/language", "language-settings", "therapist"),
]
AUTONYMS = ("English", "Español", "Pseudo")
"""Language names are shown in their own language on purpose (a person finds theirs by its own name)."""


@pytest.fixture(scope="session")
def pseudo_translations(tmp_path_factory):
    return build_pseudo_catalog(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def pseudo_app(app, pseudo_translations):
    app.config.update(EXTRA_LANGUAGES={PSEUDO_LOCALE: "Pseudo"}, BABEL_TRANSLATION_DIRECTORIES=str(pseudo_translations))
    i18n.init_app(app)
    return app


@pytest.mark.parametrize("url,within,role", MARKED_PAGES)
def test_marked_pages_have_no_untranslated_text(pseudo_app, client, db, patient, therapist, url, within, role):
    viewer = {"patient": patient, "therapist": therapist}[role]
    viewer.language = PSEUDO_LOCALE
    db.add(viewer)
    db.commit()
    sign_in(client, viewer)
    page = client.get(url)
    assert page.status_code == 200
    assert f'<html lang="{PSEUDO_LOCALE.replace("_", "-")}" ' in page.text
    assert untranslated_text(page.text, within=within, ignore=AUTONYMS) == []


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
