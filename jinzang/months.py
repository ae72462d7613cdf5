"""Months: the month a page is asked for (`?month=YYYY-MM`), and month arithmetic.

A month is named by its first day (a `datetime.date`), as the pages pass it around.
"""

import calendar
import datetime

from django.utils import timezone


def month_param(query, name: str = "month", *, today: datetime.date | None = None):
    """The first day of the month `query[name]` asks for (`2024-03`), or of this month when
    it asks for none or for one that is not a month. The year is kept between 1901 and
    9998, so that the month before and the month after are months too."""
    try:
        year, month = (int(part) for part in query.get(name, "").split("-"))
        if 1900 < year < 9999:
            return datetime.date(year, month, 1)
    except ValueError:
        pass
    return month_start(today or timezone.localdate())


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day` (before, if negative)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_months(today: datetime.date, months: int) -> list[datetime.date]:
    """The first days of the last `months` months, oldest first, ending with this month."""
    return [add_months(today, -n) for n in reversed(range(months))]
