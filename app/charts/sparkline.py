"""A tiny inline SVG line for caseload rows (mood over two weeks); the numbers are in its accessible label."""
from collections.abc import Sequence

from markupsafe import Markup, escape


def sparkline(values: Sequence[float | None], *, low: float, high: float, label: str, width: int = 96, height: int = 24) -> Markup:
    """One point per day; gaps (None) break the line. Empty input gives an em dash."""
    if not any(v is not None for v in values):
        return Markup('<span class="muted">—</span>')
    step = width / max(len(values) - 1, 1)
    scale = (height - 4) / (high - low)
    segments, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{index * step:.1f},{height - 2 - (value - low) * scale:.1f}")
    if current:
        segments.append(current)
    paths = "".join(
        f'<polyline points="{" ".join(points)}" class="spark-line"/>' if len(points) > 1
        else f'<circle cx="{points[0].split(",")[0]}" cy="{points[0].split(",")[1]}" r="1.5" class="spark-dot"/>'
        for points in segments
    )
    return Markup(
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{paths}</svg>'
    )
