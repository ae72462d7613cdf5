"""The month a page is asked for, and month arithmetic (jinzang/months.py)."""

import datetime

from jinzang.months import add_months, last_months, month_end, month_param, month_start

TODAY = datetime.date(2026, 3, 17)


def test_a_month_is_read_from_the_query_as_its_first_day():
    assert month_param({"month": "2024-02"}, today=TODAY) == datetime.date(2024, 2, 1)
    assert month_param({"when": "2024-2"}, "when", today=TODAY) == datetime.date(2024, 2, 1)


def test_anything_that_is_not_a_month_reads_as_this_month():
    for value in ["", "2024", "2024-13", "2024-00", "2024-02-01", "x-y", "9999-12", "1900-01"]:
        assert month_param({"month": value}, today=TODAY) == datetime.date(2026, 3, 1), value
    assert month_param({}, today=TODAY) == datetime.date(2026, 3, 1)


def test_months_are_added_and_taken_across_the_new_year():
    assert add_months(datetime.date(2025, 12, 31), 1) == datetime.date(2026, 1, 1)
    assert add_months(datetime.date(2026, 1, 15), -1) == datetime.date(2025, 12, 1)
    assert add_months(datetime.date(2026, 1, 15), -13) == datetime.date(2024, 12, 1)
    assert add_months(TODAY, 0) == month_start(TODAY) == datetime.date(2026, 3, 1)


def test_the_last_day_of_a_month_knows_leap_years():
    assert month_end(datetime.date(2024, 2, 10)) == datetime.date(2024, 2, 29)
    assert month_end(datetime.date(2025, 2, 10)) == datetime.date(2025, 2, 28)
    assert month_end(datetime.date(2025, 12, 1)) == datetime.date(2025, 12, 31)


def test_the_last_months_end_with_this_one():
    assert last_months(datetime.date(2026, 2, 3), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
