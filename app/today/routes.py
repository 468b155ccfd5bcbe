"""The patient's home screen (Today), the week view and the Practice hub."""
from datetime import timedelta

from flask import Blueprint, g, render_template
from flask_login import current_user

from app.appointments.services import patient_appointments
from app.checkins.services import TodayCheckins, due_questionnaires
from app.db import get_db
from app.homework.kinds import KINDS, entry_url
from app.homework.schedule import load_homework, local_day_bounds, local_today
from app.models import HomeworkKind
from app.models.types import utcnow
from app.policy import patient_required
from app.tms.services import patient_can_confirm
from app.today.agenda import build_agenda
from app.today.hub import me_links, practice_links
from app.today.modules import modules_given
from app.today.page_cache import cached_page, page_key, time_state
from app.today.snapshot import today_snapshot
from app.today.week import build_week

bp = Blueprint("today", __name__)

ON_CHECKINS_CARD = frozenset({HomeworkKind.mood_checkin, HomeworkKind.questionnaire})
"""The check-ins card on Today already offers these; the task lists would repeat them."""


@bp.get("/today")
@patient_required
def index():
    now = utcnow()
    db = get_db()
    patient = current_user._get_current_object()  # the template reads it dozens of times: not through the proxy
    snapshot = today_snapshot(db, patient, local_today(patient, now))
    g.clinic_zone = snapshot.clinic_zone
    homework = snapshot.homework
    agenda = build_agenda(homework, now, shown_elsewhere=ON_CHECKINS_CARD)
    due = due_questionnaires(db, patient=patient, now=now, homework=homework)
    _, today_end = local_day_bounds(agenda.today, homework.tz)
    therapy = snapshot.appointments
    can_confirm = lambda s: patient_can_confirm(s, homework.tz, now)  # noqa: E731
    key = page_key(patient, snapshot, time_state(agenda, due, can_confirm))
    return cached_page(patient, key, lambda: render_template(
        "today/index.html",
        patient=patient,
        agenda=agenda,
        kinds=KINDS,
        entry_url=entry_url,
        can_confirm=can_confirm,
        now=now,
        today=agenda.today,
        today_activities=snapshot.activities,
        checkins=TodayCheckins(snapshot.checkin, due, snapshot.side_effect_session),
        commented=snapshot.commented,
        therapy_today=[a for a in therapy if a.starts_at < today_end],
        therapy_next=next((a for a in therapy if a.starts_at >= today_end), None),
    ))


@bp.get("/week")
@patient_required
def week():
    now = utcnow()
    today = local_today(current_user, now)
    homework = load_homework(get_db(), [current_user], horizon=today - timedelta(days=today.weekday()))[current_user.id]
    week = build_week(homework, now)
    start, _ = local_day_bounds(week[0].day, homework.tz)
    _, end = local_day_bounds(week[-1].day, homework.tz)
    therapy = {}
    for appointment in patient_appointments(get_db(), current_user.id, start=start, end=end):
        therapy.setdefault(appointment.starts_at.astimezone(homework.tz).date(), []).append(appointment)
    return render_template("today/week.html", patient=current_user, week=week, kinds=KINDS, therapy=therapy)


@bp.get("/practice")
@patient_required
def practice():
    return render_template("today/practice.html", practice_links=practice_links(modules_given(get_db(), current_user)))


@bp.get("/me")
@patient_required
def me():
    """Settings in one place: reminders and install, calendar, data, password, the introduction, sign out."""
    return render_template("today/me.html", links=me_links())
