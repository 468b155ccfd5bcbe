"""The therapist's per-item charts: SUDS before/peak/after and expectancy across practices (CLINICAL.md, Exposure)."""
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from app.charts.svg import Marker, Point, Series, line_chart
from app.models.exposure import ExposurePractice, PracticeRating, SudsRating


def suds_chart(practices: Sequence[ExposurePractice], ratings: Sequence[SudsRating], *, tz: ZoneInfo,
               chart_id: str = "suds-chart") -> Markup:
    """Does distress come down over repeats? Re-ratings after the first are drawn as markers."""
    local = [(p, p.started_at.astimezone(tz)) for p in practices]
    series = [
        Series("Before", tuple(Point(when, p.suds_before) for p, when in local)),
        Series("Peak", tuple(Point(when, p.suds_peak) for p, when in local)),
        Series("After", tuple(Point(when, p.suds_after) for p, when in local)),
    ]
    markers = [Marker(r.rated_at.astimezone(tz), f"Re-rated {r.suds}") for r in ratings[1:]]
    first, last = (practices[0], practices[-1]) if practices else (None, None)
    if first is None:
        description = "No practices logged yet."
    else:
        description = (
            f"{len(practices)} practices. Peak SUDS went from {first.suds_peak} to {last.suds_peak}; "
            f"end SUDS from {first.suds_after} to {last.suds_after}."
        )
    return line_chart(series, chart_id=chart_id, title="SUDS across practices", description=description,
                      y_range=(0, 100), y_label="SUDS", markers=markers)


def expectancy_chart(practices: Sequence[ExposurePractice], *, tz: ZoneInfo,
                     chart_id: str = "expectancy-chart") -> Markup | None:
    """How likely the feared outcome felt before each practice and afterwards (expectancy violation)."""
    rated = [p for p in practices if p.likelihood_before is not None or p.likelihood_after is not None]
    if not rated:
        return None
    before = tuple(Point(p.started_at.astimezone(tz), p.likelihood_before) for p in rated if p.likelihood_before is not None)
    after = tuple(Point(p.started_at.astimezone(tz), p.likelihood_after) for p in rated if p.likelihood_after is not None)
    changes = [p.likelihood_before - p.likelihood_after for p in rated
               if p.likelihood_before is not None and p.likelihood_after is not None]
    description = f"{len(rated)} practices with a prediction."
    if changes:
        description += f" On average the feared outcome felt {sum(changes) / len(changes):.0f} points less likely afterwards."
    return line_chart([Series("Likelihood before", before), Series("Likelihood after", after)], chart_id=chart_id,
                      title="How likely the feared outcome felt", description=description, y_range=(0, 100),
                      y_label="%", value_format=lambda v: f"{v:.0f} %")


def expectancy_change(practice: ExposurePractice) -> int | None:
    """Points by which the prediction fell (positive = less likely afterwards), when both were rated."""
    if practice.likelihood_before is None or practice.likelihood_after is None:
        return None
    return practice.likelihood_before - practice.likelihood_after


def curve_points(practice: ExposurePractice, timed: Sequence[PracticeRating]) -> list[tuple[int, int]]:
    """(minute, SUDS) through one practice: the rating before at 0, each the timer asked for, the end rating."""
    return ([(0, practice.suds_before)] + [(r.minute, r.suds) for r in timed]
            + [(practice.duration_minutes, practice.suds_after)])


def practice_curve(practice: ExposurePractice, timed: Sequence[PracticeRating], *, width: int = 120,
                   height: int = 32) -> Markup:
    """A small line of distress within one practice (does it come down before the end?), its numbers in its label."""
    points = curve_points(practice, timed)
    spoken = ", ".join(
        f"{suds} at the start" if index == 0 else f"{suds} at {minute} min" for index, (minute, suds) in enumerate(points)
    )
    label = f"SUDS during this practice: {spoken}"
    span = max(practice.duration_minutes, 1)
    coords = " ".join(f"{2 + minute / span * (width - 4):.1f},{height - 2 - suds / 100 * (height - 4):.1f}"
                      for minute, suds in points)
    dots = "".join(f'<circle cx="{c.split(",")[0]}" cy="{c.split(",")[1]}" r="2" class="spark-dot"/>'
                   for c in coords.split(" "))
    return Markup(
        f'<svg class="sparkline practice-curve" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<polyline points="{coords}" class="spark-line"/>{dots}</svg>'
    )
