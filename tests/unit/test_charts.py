"""The SVG line-chart builder: accessible markup, scaling, markers, escaping and the data table."""
import re
from datetime import UTC, date, datetime

import pytest

from app.charts.svg import Marker, Point, Series, line_chart, nice_step, x_ticks, x_value, y_ticks


def chart(series, **kwargs):
    defaults = dict(chart_id="c1", title="SUDS across practices", description="Peak came down.", y_range=(0, 100))
    defaults.update(kwargs)
    return str(line_chart(series, **defaults))


def test_svg_has_title_desc_and_labelledby():
    markup = chart([Series("Peak", (Point(date(2026, 1, 1), 70),))])
    assert 'role="img"' in markup
    assert 'aria-labelledby="c1-title c1-desc"' in markup
    assert '<title id="c1-title">SUDS across practices</title>' in markup
    assert '<desc id="c1-desc">Peak came down.</desc>' in markup


def test_data_table_lists_every_point_by_date_and_series():
    markup = chart([
        Series("Before", (Point(date(2026, 1, 1), 50), Point(date(2026, 1, 8), 40))),
        Series("Peak", (Point(date(2026, 1, 8), 60),)),
    ])
    table = markup[markup.index("<table"):]
    assert '<th scope="col">Before</th><th scope="col">Peak</th>' in table
    assert '<tr><th scope="row">2026-01-01</th><td>50</td><td></td></tr>' in table
    assert '<tr><th scope="row">2026-01-08</th><td>40</td><td>60</td></tr>' in table


def test_points_scale_to_plot_area_top_is_high_value():
    markup = chart([Series("A", (Point(date(2026, 1, 1), 0), Point(date(2026, 1, 2), 100)))], width=640, height=240)
    assert re.search(r'<polyline points="40\.0,210\.0 618\.0,14\.0"/>', markup)


def test_out_of_range_value_is_drawn_clamped_but_listed_as_is():
    markup = chart([Series("A", (Point(date(2026, 1, 1), 150), Point(date(2026, 1, 2), 10)))], y_range=(0, 100))
    assert 'cy="14.0"' in markup
    assert "<td>150</td>" in markup


def test_single_point_is_centred():
    markup = chart([Series("A", (Point(date(2026, 1, 1), 50),))], width=640)
    assert 'cx="329.0"' in markup
    assert "<polyline" not in markup


def test_markers_draw_lines_and_join_the_table():
    markup = chart([Series("A", (Point(date(2026, 1, 1), 50), Point(date(2026, 1, 9), 30)))],
                   markers=[Marker(date(2026, 1, 5), "Re-rated 40")])
    assert '<g class="chart-markers">' in markup
    assert '<tr><th scope="row">2026-01-05</th><td></td><td>Re-rated 40</td></tr>' in markup


def test_text_is_escaped():
    markup = chart([Series("<b>x</b>", (Point(date(2026, 1, 1), 1),))], title="a & b", description="<script>")
    assert "<b>x</b>" not in markup and "&lt;b&gt;x&lt;/b&gt;" in markup
    assert "<script>" not in markup and "a &amp; b" in markup


def test_series_get_distinct_classes_and_shapes():
    series = [Series(name, (Point(date(2026, 1, 1), 1),)) for name in ("A", "B", "C")]
    markup = chart(series)
    assert all(f'class="chart-series chart-series-{i}"' in markup for i in range(3))
    assert "<circle" in markup and "<rect" in markup and "<polygon" in markup


def test_datetimes_are_placed_within_the_day():
    morning = datetime(2026, 1, 1, 6, tzinfo=UTC)
    evening = datetime(2026, 1, 1, 18, tzinfo=UTC)
    assert x_value(evening) - x_value(morning) == pytest.approx(0.5)
    assert x_value(date(2026, 1, 2)) - x_value(date(2026, 1, 1)) == 1


def test_empty_series_still_renders_a_frame():
    assert "<svg" in chart([Series("A", ())])


def test_bad_y_range_is_refused():
    with pytest.raises(ValueError):
        chart([], y_range=(5, 5))


@pytest.mark.parametrize("low, high, expected", [(0, 100, [0, 20, 40, 60, 80, 100]), (0, 5, [0, 1, 2, 3, 4, 5]),
                                                 (0, 7, [0, 1, 2, 3, 4, 5, 6, 7]), (0, 27, [0, 5, 10, 15, 20, 25])])
def test_y_ticks_are_round_numbers(low, high, expected):
    assert y_ticks(low, high) == expected


def test_nice_step_is_one_two_or_five():
    assert nice_step(100) == 20 and nice_step(10) == 2 and nice_step(0.5) == 0.1


def test_x_ticks_keep_first_and_last():
    ticks = x_ticks(list(range(30)), limit=6)
    assert ticks[0] == 0 and ticks[-1] == 29 and len(ticks) == 6
