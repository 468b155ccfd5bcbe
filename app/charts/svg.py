"""A pure line-chart builder: series over dates -> accessible inline SVG markup (title, desc, hidden data table).

Several series share one y range; points are joined in x order; optional vertical markers label events (a
re-rating, a TMS course start). Colours come from CSS classes (chart-series-N) so dark mode and print work, and
each series also has its own dash pattern and point shape so colour is never the only cue.
"""
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from markupsafe import Markup, escape

X = date | datetime

SHAPES = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Point:
    x: X
    y: float


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Marker:
    """A vertical line at `x` with a short label (an event worth seeing against the lines)."""

    x: X
    label: str


@dataclass(frozen=True)
class Frame:
    """Pixel geometry of the plot area inside the SVG viewBox."""

    width: int
    height: int
    left: int = 40
    right: int = 22
    top: int = 14
    bottom: int = 30

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def x_value(x: X) -> float:
    """Dates and datetimes on one numeric axis, in days (pass local dates/datetimes: convert zones at the edge)."""
    if isinstance(x, datetime):
        midnight = datetime.combine(x.date(), datetime.min.time(), x.tzinfo)
        return x.toordinal() + (x - midnight).total_seconds() / 86400
    return float(x.toordinal())


def nice_step(span: float, target_ticks: int = 5) -> float:
    """The 1-2-5 step nearest to giving `target_ticks` gridlines over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return min((magnitude * factor for factor in (1, 2, 5, 10)), key=lambda step: abs(math.log(step / raw)))


def y_ticks(low: float, high: float) -> list[float]:
    step = nice_step(high - low)
    ticks = []
    index = math.ceil(low / step)
    while index * step <= high + 1e-9:
        ticks.append(round(index * step, 6) + 0.0)
        index += 1
    return ticks


def x_ticks(values: Sequence[float], limit: int = 6) -> list[float]:
    """Up to `limit` of the distinct x values, evenly picked, always including the first and last."""
    distinct = sorted(set(values))
    if len(distinct) <= limit:
        return distinct
    picks = {round(i * (len(distinct) - 1) / (limit - 1)) for i in range(limit)}
    return [distinct[i] for i in sorted(picks)]


def _label(x: X) -> str:
    return f"{x.day} {x:%b}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shape(kind: str, cx: float, cy: float) -> str:
    r = 3.5
    if kind == "square":
        return f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"/>'
    if kind == "diamond":
        return f'<polygon points="{cx:.1f},{cy - r - 1:.1f} {cx + r + 1:.1f},{cy:.1f} {cx:.1f},{cy + r + 1:.1f} {cx - r - 1:.1f},{cy:.1f}"/>'
    if kind == "triangle":
        return f'<polygon points="{cx:.1f},{cy - r - 1:.1f} {cx + r + 1:.1f},{cy + r:.1f} {cx - r - 1:.1f},{cy + r:.1f}"/>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}"/>'


def line_chart(
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_range: tuple[float, float],
    y_label: str = "",
    markers: Sequence[Marker] = (),
    marker_ticks: bool = False,
    width: int = 640,
    height: int = 240,
    value_format: Callable[[float], str] = _number,
    x_heading: str | None = None,
    event_heading: str | None = None,
    x_label: Callable[[X], str] = _label,
) -> Markup:
    """Markup for a <figure> holding the SVG line chart, its legend and a visually hidden data table.

    `chart_id` must be unique on the page (it namespaces the title/desc ids). Values outside `y_range` are drawn
    clamped to it and listed as they are in the table.
    """
    x_heading = _("Date") if x_heading is None else x_heading
    event_heading = _("Event") if event_heading is None else event_heading
    low, high = y_range
    if high <= low:
        raise ValueError("y_range must run from low to high")
    frame = Frame(width, height)
    xs = [x_value(p.x) for s in series for p in s.points] + [x_value(m.x) for m in markers]
    x_min, x_max = (min(xs), max(xs)) if xs else (0.0, 1.0)

    def px(x: float) -> float:
        if x_max == x_min:
            return frame.left + frame.plot_width / 2
        return frame.left + (x - x_min) / (x_max - x_min) * frame.plot_width

    def py(y: float) -> float:
        y = max(low, min(high, y))
        return frame.top + (high - y) / (high - low) * frame.plot_height

    cid = escape(chart_id)
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" focusable="false">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        '<g class="chart-grid">',
    ]
    for tick in y_ticks(low, high):
        y = py(tick)
        parts.append(f'<line x1="{frame.left}" x2="{width - frame.right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-y-tick" x="{frame.left - 6}" y="{y + 4:.1f}">{escape(value_format(tick))}</text>')
    labels_by_x: dict[float, X] = {}
    for s in series:
        for p in s.points:
            labels_by_x.setdefault(x_value(p.x), p.x)
    for tick in x_ticks(list(labels_by_x)):
        parts.append(
            f'<text class="chart-x-tick" x="{px(tick):.1f}" y="{height - 8}">{escape(x_label(labels_by_x[tick]))}</text>'
        )
    if y_label:
        parts.append(f'<text class="chart-y-label" x="4" y="{frame.top - 2}">{escape(y_label)}</text>')
    parts.append("</g>")
    if markers:
        parts.append('<g class="chart-markers">')
        bottom = frame.top + frame.plot_height
        for marker in markers:
            x = px(x_value(marker.x))
            if marker_ticks:  # many routine events (TMS visits): short ticks on the axis, labels only in the table
                parts.append(f'<line class="chart-tick" x1="{x:.1f}" x2="{x:.1f}" y1="{bottom - 8}" y2="{bottom}"/>')
                continue
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" y2="{bottom}"/>')
            parts.append(f'<text x="{x + 3:.1f}" y="{frame.top + 10}">{escape(marker.label)}</text>')
        parts.append("</g>")
    for index, s in enumerate(series):
        points = sorted(s.points, key=lambda p: x_value(p.x))
        shape = SHAPES[index % len(SHAPES)]
        parts.append(f'<g class="chart-series chart-series-{index % 6}">')
        if len(points) > 1:
            coords = " ".join(f"{px(x_value(p.x)):.1f},{py(p.y):.1f}" for p in points)
            parts.append(f'<polyline points="{coords}"/>')
        parts.extend(_shape(shape, px(x_value(p.x)), py(p.y)) for p in points)
        parts.append("</g>")
    parts.append("</svg>")

    legend = ['<ul class="chart-legend" aria-hidden="true">']
    for index, s in enumerate(series):
        legend.append(
            f'<li class="chart-series-{index % 6}"><svg viewBox="0 0 24 10" class="chart-swatch">'
            f'<line x1="0" x2="24" y1="5" y2="5"/>{_shape(SHAPES[index % len(SHAPES)], 12, 5)}</svg>{escape(s.name)}</li>'
        )
    legend.append("</ul>")
    return Markup(
        f'<figure class="chart" id="{cid}">' + "".join(parts) + "".join(legend)
        + _data_table(series, markers, title=title, value_format=value_format, x_heading=x_heading,
                      event_heading=event_heading) + "</figure>"
    )


def _data_table(series: Sequence[Series], markers: Sequence[Marker], *, title: str,
                value_format: Callable[[float], str], x_heading: str, event_heading: str) -> str:
    """The chart's numbers for screen readers: one row per x, one column per series (and events, if any)."""
    rows: dict[float, dict] = {}
    for index, s in enumerate(series):
        for p in s.points:
            row = rows.setdefault(x_value(p.x), {"x": p.x, "values": {}, "events": []})
            row["values"][index] = p.y
    for marker in markers:
        rows.setdefault(x_value(marker.x), {"x": marker.x, "values": {}, "events": []})["events"].append(marker.label)
    head = f"<th scope=\"col\">{escape(x_heading)}</th>" + "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    if markers:
        head += f'<th scope="col">{escape(event_heading)}</th>'
    body = []
    for key in sorted(rows):
        row = rows[key]
        x = row["x"]
        when = f"{x:%Y-%m-%d %H:%M}" if isinstance(x, datetime) else f"{x:%Y-%m-%d}"
        cells = "".join(
            f"<td>{escape(value_format(row['values'][i])) if i in row['values'] else ''}</td>" for i in range(len(series))
        )
        if markers:
            cells += f"<td>{escape('; '.join(row['events']))}</td>"
        body.append(f'<tr><th scope="row">{when}</th>{cells}</tr>')
    return (
        f'<table class="visually-hidden"><caption>{escape(title)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
