"""The web app manifest, the service worker at the site root, its app-shell list and the offline page."""
from flask import Blueprint, current_app, jsonify, render_template, send_from_directory, url_for

from flask_login import current_user

from app.db import get_db
from app.policy import patient_required
from app.pwa.offline import offline_urls
from app.pwa.static_files import static_url, static_version
from app.safety.services import clinic_settings

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#1f6f5c"
BACKGROUND_COLOUR = "#f6f7f4"
SHELL_FILES = (
    "css/app.css", "js/app.js", "js/i18n.js", "js/outbox.js", "js/sliders.js", "js/exposure.js", "js/thoughts.js", "js/push.js",
    "js/form-errors.js", "js/safety-offline.js",
    "icons/icon-192.png", "icons/icon-512.png", "icons/maskable-512.png", "icons/apple-touch-icon.png",
)


@bp.get("/manifest.webmanifest")
def manifest():
    name = current_app.config["CLINIC_NAME"]
    response = jsonify({
        "name": f"{name} · Homework companion",
        "short_name": "Homework",
        "description": "Your TMS and therapy homework: check-ins, practice logs and your safety plan.",
        "id": "/today",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static_url("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """Served from the root so its scope is the whole app; no-cache so an update is seen on the next visit."""
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="application/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/app-shell.json")
def shell():
    """What the service worker precaches on install: versioned static files and the offline page."""
    response = jsonify({
        "version": static_version(),
        "urls": [static_url(name) for name in SHELL_FILES] + [url_for("pwa.offline")],
    })
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline-pages.json")
@patient_required
def offline_pages():
    """The pages this patient's phone keeps for offline use (app/pwa/offline.py); the worker fetches each."""
    response = jsonify({"user": current_user.id, "urls": offline_urls(get_db(), current_user)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/offline")
def offline():
    """The fallback for pages not available offline: nothing personal, only the crisis numbers (precached)."""
    return render_template("pwa/offline.html", settings=clinic_settings(get_db()))
