"""Jinja filters and globals that turn UTC instants into the viewer's local, human wording."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from app.models.types import utcnow


def to_local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def localtime(instant: datetime | None, tz: str, fmt: str = "%a %d %b, %H:%M") -> str:
    return "" if instant is None else to_local(instant, tz).strftime(fmt)


def hhmm(instant: datetime | None, tz: str) -> str:
    return localtime(instant, tz, "%H:%M")


def localdate(instant: datetime, tz: str) -> str:
    return longdate(to_local(instant, tz).date())


def when(instant: datetime, tz: str, today: date) -> str:
    """"14:30" for today, "Thu 26 Nov, 09:00" otherwise."""
    local = to_local(instant, tz)
    return f"{local:%H:%M}" if local.date() == today else f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def longdate(value: date | datetime) -> str:
    return f"{value:%A} {value.day} {value:%B}"


def now_local(tz: str) -> datetime:
    return to_local(utcnow(), tz)


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime)
    app.add_template_filter(hhmm)
    app.add_template_filter(longdate)
    app.add_template_filter(localdate)
    app.add_template_filter(when)
    app.add_template_global(now_local)

    from app.policy import may_invite_patients, may_see
    from app.today.hub import patient_tabs

    app.add_template_global(patient_tabs)
    app.add_template_global(may_see)
    app.add_template_global(may_invite_patients)
