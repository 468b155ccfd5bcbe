"""The welcome tour's pages. A new patient's first sign-in lands here (auth.home_for); Me reopens it."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user

from app.db import get_db
from app.i18n import supported_languages
from app.i18n.forms import LanguageForm
from app.i18n.languages import normalise_language
from app.i18n.services import LanguageInvalid, set_language
from app.models.types import utcnow
from app.onboarding import steps
from app.policy import patient_required

bp = Blueprint("onboarding", __name__)


@bp.get("/welcome")
@patient_required
def resume():
    return redirect(url_for("onboarding.step", step=steps.resume_step(current_user)))


def _render(step: str, *, language_form: LanguageForm | None = None, status: int = 200):
    supported = supported_languages()
    if language_form is None:
        language_form = LanguageForm(languages=supported)
        language_form.language.data = normalise_language(current_user.language, supported)
    return render_template(
        "onboarding/step.html", step=step, number=steps.STEPS.index(step) + 1, total=len(steps.STEPS),
        previous=steps.step_before(step), language_form=language_form,
    ), status


@bp.route("/welcome/<step>", methods=["GET", "POST"])
@patient_required
def step(step: str):
    """Next, back or skip (CSRF is checked for every POST by the app); the language step also saves the choice."""
    if step not in steps.STEPS:
        abort(404)
    if request.method == "GET":
        return _render(step)
    db = get_db()
    action = request.form.get("action", "next")
    if step == "language" and action == "next":
        form = LanguageForm(languages=supported_languages())
        if not form.validate_on_submit():
            return _render(step, language_form=form, status=400)
        try:
            set_language(db, user=current_user, language=form.language.data or "", at=utcnow(),
                         supported=supported_languages())
        except LanguageInvalid as error:
            form.language.errors.append(_(error.message))
            return _render(step, language_form=form, status=400)
        refresh()
    if action == "skip":
        steps.skip(current_user, step)
        following = None
    else:
        following = steps.advance(current_user, step)
    db.add(current_user)
    db.commit()
    if following is None:
        return redirect(url_for("today.index"), 303)
    return redirect(url_for("onboarding.step", step=following), 303)
