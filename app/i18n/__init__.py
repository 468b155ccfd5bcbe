"""Flask-Babel wiring: which language and time zone a request is rendered in.

Signed-in people get the language stored on their account; anyone else (sign-in, invite and reset pages) gets
the best match for their browser's Accept-Language among the languages we ship; anything unknown is English.
Outside a request (the clock process) text is English unless wrapped in `force_locale` (see app/push/language.py).
"""
from functools import lru_cache
from pathlib import Path

import pytz
from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from app.extensions import babel
from app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, english_name, html_lang, normalise_language


def supported_languages() -> dict[str, str]:
    """The shipped languages plus any the configuration adds (the pseudo-locale test harness adds one)."""
    return {**LANGUAGES, **current_app.config.get("EXTRA_LANGUAGES", {})}


def language_of(user) -> str:
    """A person's shipped language: an unknown or empty stored code is English (never an error)."""
    supported = supported_languages() if has_app_context() else LANGUAGES
    return normalise_language(getattr(user, "language", None), supported)


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    supported = supported_languages()
    if current_user.is_authenticated:
        return normalise_language(getattr(current_user, "language", None), supported)
    best = request.accept_languages.best_match(list(supported))
    return normalise_language(best, supported)


def select_timezone() -> str:
    """The signed-in person's zone (Babel's dates then agree with the rest of the page), else the clinic's.

    Flask-Babel converts with pytz, whose zone list can lag the system's tzdata: a zone it lacks falls back to the
    clinic's zone, then UTC, rather than failing the page.
    """
    candidates = [current_app.config.get("CLINIC_TIMEZONE", "UTC"), "UTC"]
    if has_request_context() and current_user.is_authenticated:
        candidates.insert(0, current_user.timezone)
    return next(zone for zone in candidates if zone in pytz_zones())


@lru_cache(maxsize=1)
def pytz_zones() -> frozenset[str]:
    return frozenset(pytz.all_timezones_set)


def vary_on_accept_language(response):
    """Anonymous pages depend on Accept-Language: say so, so no shared cache serves one visitor's language to another."""
    if request.endpoint != "static" and not current_user.is_authenticated:
        response.vary.add("Accept-Language")
    return response


def current_language() -> str:
    """The code of the language this request renders in ("en" outside a request)."""
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(app.root_path).parent / "translations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    with app.app_context():
        babel.domain_instance.cache.clear()  # the extension outlives an app (tests): never another app's catalogs
    app.after_request(vary_on_accept_language)
    app.jinja_env.globals.update(
        html_lang=lambda: html_lang(current_language()),
        current_language=current_language,
        language_names=supported_languages,
    )
    app.jinja_env.filters["language_english_name"] = english_name
    app.jinja_env.filters["translated"] = translated


def translated(text):
    """Built-in library text (marked N_ where it is defined) in the reader's language; anything else as it is.

    Plain gettext, not Jinja's `_`: the result is escaped like any other value, so text people typed stays text.
    """
    return gettext(text) if isinstance(text, str) and text else text
