"""The patient's week at a glance: each day's TMS visits and homework with status (computed from loaded data)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.homework import timing
from app.homework.schedule import OccurrenceView, PatientHomework
from app.models import TmsSession


@dataclass(frozen=True)
class Day:
    day: date
    is_today: bool
    sessions: list[TmsSession]
    homework: list[OccurrenceView]


def build_week(homework: PatientHomework, now: datetime) -> list[Day]:
    """Monday to Sunday of the current local week."""
    today = now.astimezone(homework.tz).date()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    views = homework.views(through=sunday, now=now, since=monday)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append(
            Day(
                day=day,
                is_today=day == today,
                sessions=[
                    s for s in homework.sessions
                    if s.scheduled_at.astimezone(homework.tz).date() == day and s.status != timing.SessionStatus.CANCELLED
                ],
                homework=[v for v in views if v.occurrence.local_date == day],
            )
        )
    return days
