"""The therapist's per-item charts: SUDS before/peak/after and expectancy across practices (CLINICAL.md, Exposure)."""
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.charts.svg import Marker, Point, Series, line_chart
from app.models.exposure import ExposurePractice, PracticeRating, SudsRating


def suds_chart(practices: Sequence[ExposurePractice], ratings: Sequence[SudsRating], *, tz: ZoneInfo,
               chart_id: str = "suds-chart") -> Markup:
    """Does distress come down over repeats? Re-ratings after the first are drawn as markers."""
    local = [(p, p.started_at.astimezone(tz)) for p in practices]
    series = [
        Series(_("Before"), tuple(Point(when, p.suds_before) for p, when in local)),
        Series(_("Peak"), tuple(Point(when, p.suds_peak) for p, when in local)),
        Series(_("After"), tuple(Point(when, p.suds_after) for p, when in local)),
    ]
    markers = [Marker(r.rated_at.astimezone(tz), _("Re-rated %(suds)s", suds=r.suds)) for r in ratings[1:]]
    first, last = (practices[0], practices[-1]) if practices else (None, None)
    if first is None:
        description = _("No practices logged yet.")
    else:
        description = _("%(num)s practices. Peak SUDS went from %(first_peak)s to %(last_peak)s; "
                        "end SUDS from %(first_end)s to %(last_end)s.", num=len(practices),
                        first_peak=first.suds_peak, last_peak=last.suds_peak, first_end=first.suds_after,
                        last_end=last.suds_after)
    return line_chart(series, chart_id=chart_id, title=_("SUDS across practices"), description=description,
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
    description = _("%(num)s practices with a prediction.", num=len(rated))
    if changes:
        description += " " + _("On average the feared outcome felt %(points)s points less likely afterwards.",
                               points=format(sum(changes) / len(changes), ".0f"))
    return line_chart([Series(_("Likelihood before"), before), Series(_("Likelihood after"), after)], chart_id=chart_id,
                      title=_("How likely the feared outcome felt"), description=description, y_range=(0, 100),
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
        _("%(suds)s at the start", suds=suds) if index == 0 else _("%(suds)s at %(minute)s min", suds=suds, minute=minute)
        for index, (minute, suds) in enumerate(points)
    )
    label = _("SUDS during this practice: %(ratings)s", ratings=spoken)
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
