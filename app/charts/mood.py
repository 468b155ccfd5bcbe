"""Daily mood with TMS visits marked: one chart for the therapist's review and the patient's own Progress page."""
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from app.charts.svg import Marker, Point, Series, line_chart


def mood_chart(checkins: Sequence, visits: Sequence[datetime], tz: ZoneInfo, *, chart_id: str = "mood-chart",
               title: str, series_name: str, y_label: str, describe: Callable[[Sequence[Point], int], str],
               marker_label: str, **words) -> Markup | None:
    """Each day's mean mood (check-ins: anything with `recorded_at` and `mood`); None without check-ins.

    The words come from the page (the patient's Progress page and the therapist's review word it differently);
    `words` go to line_chart (x_heading, event_heading, x_label) for a page in the reader's language."""
    if not checkins:
        return None
    days = defaultdict(list)
    for c in checkins:
        days[c.recorded_at.astimezone(tz).date()].append(c.mood)
    points = tuple(Point(d, round(sum(v) / len(v), 1)) for d, v in sorted(days.items()))
    markers = [Marker(at.astimezone(tz).date(), marker_label) for at in visits]
    return line_chart([Series(series_name, points)], chart_id=chart_id, title=title,
                      description=describe(points, len(markers)), y_range=(0, 10), y_label=y_label, markers=markers,
                      marker_ticks=True, **words)
