"""The line chart of jinzang/charts.py: agreement over time on a project's page."""

import datetime

from jinzang.charts import line_chart

DAY = datetime.date(2025, 3, 1)


def test_the_line_runs_from_the_first_date_to_the_last_against_the_total():
    series = [(DAY, 0), (DAY + datetime.timedelta(days=5), 5), (DAY + datetime.timedelta(10), 10)]
    chart = line_chart(series, total=10)
    assert chart.points == "40.0,140.0 315.0,80.0 590.0,20.0"
    assert (chart.first, chart.last, chart.latest, chart.total) == (
        DAY,
        DAY + datetime.timedelta(10),
        10,
        10,
    )
    assert (chart.width, chart.height) == (600, 160)


def test_one_day_is_drawn_from_the_axis():
    assert line_chart([(DAY, 3)], total=6, width=100, height=60).points == "40.0,30.0"


def test_no_point_or_no_total_is_no_chart():
    assert line_chart([], total=10) is None
    assert line_chart([(DAY, 0)], total=0) is None
