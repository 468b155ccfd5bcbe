"""Daily mood with TMS visits marked: one chart for the therapist's review and the patient's own Progress page."""
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup

from app.charts.svg import Marker, Point, Series, line_chart


def _describe(points: Sequence[Point], visits: int) -> str:
    return _("Daily mood from %(first_day)s to %(last_day)s: first %(first)s, latest %(latest)s. "
             "Ticks on the bottom axis mark the %(visits)s TMS sessions.", first_day=f"{points[0].x:%d %b}",
             last_day=f"{points[-1].x:%d %b}", first=points[0].y, latest=points[-1].y, visits=visits)


def mood_chart(checkins: Sequence, visits: Sequence[datetime], tz: ZoneInfo, *, chart_id: str = "mood-chart",
               title: str | None = None, series_name: str | None = None, y_label: str | None = None,
               describe: Callable[[Sequence[Point], int], str] = _describe, marker_label: str | None = None,
               ) -> Markup | None:
    """Each day's mean mood (check-ins: anything with `recorded_at` and `mood`); None without check-ins.

    Unset words are the therapist's review wording, in the reader's language."""
    if not checkins:
        return None
    title = _("Daily mood with TMS sessions") if title is None else title
    series_name = _("Mood (0-10)") if series_name is None else series_name
    y_label = _("Mood") if y_label is None else y_label
    marker_label = _("TMS session") if marker_label is None else marker_label
    days = defaultdict(list)
    for c in checkins:
        days[c.recorded_at.astimezone(tz).date()].append(c.mood)
    points = tuple(Point(d, round(sum(v) / len(v), 1)) for d, v in sorted(days.items()))
    markers = [Marker(at.astimezone(tz).date(), marker_label) for at in visits]
    return line_chart([Series(series_name, points)], chart_id=chart_id, title=title,
                      description=describe(points, len(markers)), y_range=(0, 10), y_label=y_label, markers=markers,
                      marker_ticks=True)
