"""The language settings page, and the JSON catalog that static JavaScript reads its strings from."""
from pathlib import Path

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, get_translations, gettext, refresh
from flask_login import current_user, login_required

from app.db import get_db
from app.i18n import supported_languages
from app.i18n.forms import LanguageForm
from app.i18n.js_catalog import load_js_msgids, messages_for
from app.i18n.languages import html_lang, normalise_language
from app.i18n.services import LanguageInvalid, set_language
from app.models.types import utcnow

bp = Blueprint("i18n", __name__)


@bp.route("/settings/language", methods=["GET", "POST"])
@login_required
def language():
    """Everyone chooses their own language; the page answers in the new language at once."""
    supported = supported_languages()
    form = LanguageForm(languages=supported)
    if request.method == "GET":
        form.language.data = normalise_language(current_user.language, supported)
    elif form.validate_on_submit():
        db = get_db()
        try:
            set_language(db, user=current_user, language=form.language.data or "", at=utcnow(), supported=supported)
        except LanguageInvalid as error:
            form.language.errors.append(gettext(error.message))
        else:
            db.commit()
            refresh()
            flash(gettext("Language saved."), "success")
            return redirect(url_for("i18n.language"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("i18n/language.html", form=form), status


@bp.get("/i18n/<code>.json")
def js_catalog(code: str):
    """{"lang": "es", "messages": {msgid: msgstr}} for the JS strings; an unknown code gets English (no messages).

    Public like the sign-in page it serves; it holds only the app's own interface wording.
    """
    language = normalise_language(code, supported_languages())
    pot = Path(current_app.config.get("JS_MESSAGES_TEMPLATE") or Path(current_app.root_path).parent / "translations" / "js.pot")
    with force_locale(language):
        messages = messages_for(get_translations(), load_js_msgids(pot))
    response = jsonify({"lang": html_lang(language), "messages": messages})
    response.headers["Cache-Control"] = "no-cache"
    return response
