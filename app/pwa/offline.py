"""What a patient's phone keeps for offline use: Today, the week, every patient form and their recent entries.

The service worker asks for the list (/offline-pages.json) after an online visit and stores each page in a cache
named for the person; pages it may keep are marked with `X-Offline-Page: <user id>`, so a page of another person,
a staff page or a sign-in redirect is never stored. Staff pages are never cached.
"""
from flask import Flask, Response, request, url_for
from flask_login import current_user
from sqlmodel import Session, col, select

from app.checkins.instruments import INSTRUMENTS
from app.exposure.services import hierarchies_of, items_of
from app.models import Activity, ActivityStatus, RecordStatus, ThoughtRecord, User
from app.models.exposure import ItemStatus

RECENT = 10
"""How many recent thought records and planned activities are kept for offline reading and recording."""

OFFLINE_ENDPOINTS = frozenset({
    "today.index", "today.week", "today.practice", "today.me", "progress.index",
    "checkins.new", "checkins.side_effects", "checkins.questionnaires", "checkins.questionnaire",
    "thoughts.new", "thoughts.history", "thoughts.detail",
    "activation.plan", "activation.new", "activation.record",
    "exposure.practice", "exposure.practice_item", "exposure.hierarchies",
    "dbt.skills", "dbt.diary",
    "safety.crisis", "safety.plan", "safety.not_safe",
})


def offline_urls(db: Session, patient: User) -> list[str]:
    """The pages to keep on this patient's phone, most needed first (the crisis screen and Today lead)."""
    urls = [url_for("safety.crisis"), url_for("safety.not_safe"), url_for("safety.plan"), url_for("today.index"),
            url_for("today.week"), url_for("today.practice"), url_for("progress.index"), url_for("today.me"),
            url_for("checkins.new"),
            url_for("checkins.side_effects"), url_for("checkins.questionnaires")]
    urls += [url_for("checkins.questionnaire", code=code) for code in INSTRUMENTS]
    urls += [url_for("thoughts.new"), url_for("thoughts.history")]
    records = db.exec(select(ThoughtRecord.id).where(ThoughtRecord.patient_id == patient.id,
                                                     ThoughtRecord.status == RecordStatus.complete)
                      .order_by(col(ThoughtRecord.id).desc()).limit(RECENT))
    urls += [url_for("thoughts.detail", record_id=record_id) for record_id in records]
    urls += [url_for("activation.plan"), url_for("activation.new")]
    planned = db.exec(select(Activity.id).where(Activity.patient_id == patient.id,
                                                Activity.status == ActivityStatus.planned)
                      .order_by(col(Activity.id).desc()).limit(RECENT))
    urls += [url_for("activation.record", activity_id=activity_id) for activity_id in planned]
    urls += [url_for("exposure.practice"), url_for("exposure.hierarchies")]
    for hierarchy in hierarchies_of(db, patient):
        urls += [url_for("exposure.practice_item", item_id=item.id)
                 for item in items_of(db, hierarchy) if item.status == ItemStatus.active]
    urls += [url_for("dbt.skills"), url_for("dbt.diary")]
    return urls


def mark_offline_pages(response: Response) -> Response:
    """Tell the service worker which responses it may keep, and for whom."""
    if (request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html"
            and request.endpoint in OFFLINE_ENDPOINTS and current_user.is_authenticated and current_user.is_patient):
        response.headers["X-Offline-Page"] = str(current_user.id)
    return response


def init_app(app: Flask) -> None:
    app.after_request(mark_offline_pages)
