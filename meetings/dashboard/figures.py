"""The figures of the staff dashboard (/dashboard/): what matters now, for the part of the
community the user may see, overall and per compound. Every figure is one aggregate query
grouped by compound, so the page costs the same number of queries whatever the data size."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from committees.models import Fund, ResidentRequest, ServiceActivity, Term
from jinzang.charts import bar_chart
from jinzang.db import MonthOf, Quantized
from jinzang.months import add_months, last_months, month_start
from jinzang.templatetags.jinzang import money
from meetings.models import Meeting, Visit
from meetings.projects import tally
from residents.access import Access
from residents.models import Compound

MONTHS = 12


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `months` months, oldest first, ending with this month."""
    return last_months(today, months)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def month_bounds(starts: list[datetime.date], aware: bool) -> list:
    """The bounds of the months of `starts` and the end of the last: dates, or for a
    DateTimeField (`aware`) the local midnights starting those days."""
    bounds = [*starts, add_months(starts[-1], 1)]
    return [local_midnight(b) for b in bounds] if aware else bounds


def by_compound(queryset, compound_path: str, **aggregates) -> dict:
    """`aggregates` of `queryset` grouped by compound (key None: community-wide rows)."""
    rows = queryset.values(compound_path).annotate(**aggregates).order_by()
    return {row[compound_path]: row for row in rows}


def month_aggregates(field: str, starts, value, aware=False) -> tuple[object, dict]:
    """The lower bound of the months of `starts`, and `value(only)` filtered to each month
    as `m0`, `m1`...: each month compares `field` with its bounds, so no date function runs
    row by row."""
    bounds = month_bounds(starts, aware)
    return bounds[0], {
        f"m{i}": value(Q(**{f"{field}__gte": lo, f"{field}__lt": hi}))
        for i, (lo, hi) in enumerate(itertools.pairwise(bounds))
    }


def count_rows(only):
    return Count("pk", filter=only)


def take_months(row: dict, starts) -> dict:
    """The `m0`, `m1`... of an aggregate row, taken out of it, as {first day: value}."""
    return {start: row.pop(f"m{i}") for i, start in enumerate(starts)}


def monthly_by_compound(
    queryset, field: str, compound_path: str, starts, *, aware=False, **extra
) -> dict:
    """For a DateTimeField: one query over the rows since the first month of `starts`,
    grouped by compound, each row with the number of rows in each month (`months`:
    {first day: n}) and the `extra` aggregates. The WHERE clause has a lower bound only:
    with an upper bound, SQLite prefers the date index over the user's scope and reads
    every community's rows (measured 15 ms against 110 ms for one community of a
    100,000-resident sub-district)."""
    since, months = month_aggregates(field, starts, count_rows, aware)
    rows = by_compound(
        queryset.filter(**{f"{field}__gte": since}), compound_path, **months, **extra
    )
    for row in rows.values():
        row["months"] = take_months(row, starts)
    return rows


def by_compound_and_month(queryset, field: str, compound_path: str, starts, value) -> dict:
    """For a DateField: `value` (an aggregate) of the rows since the first month of
    `starts`, grouped by compound and month, as {compound: {first day of the month: value}}.
    At most a row per compound and month comes back; the month is computed natively
    (MonthOf), which on SQLite costs a fifth of a filtered aggregate per month."""
    rows = (
        queryset.filter(**{f"{field}__gte": starts[0]})
        .annotate(month=MonthOf(field))
        .values(compound_path, "month")
        .annotate(value=value)
        .order_by()
        .values_list(compound_path, "month", "value")
    )
    grouped: dict = {}
    for compound, month, total in rows:
        grouped.setdefault(compound, {})[month] = total
    return grouped


def month_series(grouped: dict, starts, zero=0) -> list[tuple[str, object]]:
    """The months of `starts` added up over compounds ({compound: {first day: value}}), as
    [("2026-11", value)] for a chart."""
    return [
        (start.strftime("%Y-%m"), sum((m.get(start) or zero for m in grouped.values()), zero))
        for start in starts
    ]


def monthly(queryset, field: str, starts, aware=False) -> list[tuple[str, object]]:
    """The number of rows of `queryset` in each month of `starts`, in one query."""
    since, months = month_aggregates(field, starts, count_rows, aware)
    totals = queryset.filter(**{f"{field}__gte": since}).order_by().aggregate(**months)
    return month_series({None: take_months(totals, starts)}, starts)


def show_hours(value) -> str:
    """Hours with one decimal and their unit: 5,268.0 h / 5,268.0 小时."""
    return _("%(hours)s h") % {"hours": floatformat(value, "1g")}


@dataclass
class Figure:
    """One figure of the dashboard: its total, per compound, a chart and where to drill down."""

    key: str
    title: str
    total: object
    detail: str = ""
    per_compound: dict = field(default_factory=dict)
    chart: object = None
    url: str = ""
    query: str = ""
    money: bool = False

    def show(self, value) -> str:
        """`value` as the page shows it: yuan, hours with one decimal, or a count."""
        if self.money:
            return money(value)
        if self.key == "volunteers":
            return show_hours(value)
        return localize(value)

    @property
    def column_label(self) -> str:
        """The figure's name over its column, and beside each cell on a phone."""
        if self.key == "requests":
            return _("%(figure)s (open / overdue)") % {"figure": self.title}
        return self.title

    @property
    def shown_total(self) -> str:
        return self.show(self.total)


@dataclass
class TermWarning:
    """An owners' committee whose term ends within 90 days or has ended, or whose election's
    filing is overdue (docs/domain.md, "The three bodies")."""

    term: Term
    ends_on: datetime.date | None = None  # the term's end, else the last day it may run
    days: int = 0  # days to the end (negative: past it), or days the filing is overdue
    election_url: str = ""


def committee_warnings(user, today: datetime.date) -> dict:
    """Terms past their end or near it, and overdue filings, in one query."""
    terms = (
        Term.objects.visible_to(user)
        .needing_attention(today)
        .select_related("body", "filing")
        .order_by("body__name", "number")
    )
    ending, overdue = [], []
    for term in terms:
        url = reverse("committees:election", args=[term.election_pk]) if term.election_pk else ""
        if term.is_ending:
            end = term.ends_on or term.latest_end
            ending.append(TermWarning(term, end, (end - today).days, url))
        if term.filing_overdue:
            days = (today - term.filing.due_on).days
            overdue.append(TermWarning(term, term.filing.due_on, days, url))
    return {"ending": ending, "filings_overdue": overdue}


def dashboard(user, today: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for `user`."""
    today = today or timezone.localdate()
    now = timezone.now()
    month = month_start(today)
    starts = month_starts(today)
    compounds = list(Compound.objects.visible_to(user).order_by("name"))

    requests = ResidentRequest.objects.visible_to(user)
    open_requests = requests.open().with_timing(now)
    req = by_compound(
        open_requests,
        "compound_id",
        n_open=Count("pk"),
        n_overdue=Count("pk", filter=Q(is_overdue=True)),
    )
    figures = [
        Figure(
            key="requests",
            title=_("Open requests"),
            total=sum(r["n_open"] for r in req.values()),
            detail=_("%(n)s overdue") % {"n": sum(r["n_overdue"] for r in req.values())},
            per_compound={k: f"{r['n_open']} / {r['n_overdue']}" for k, r in req.items()},
            chart=bar_chart(
                monthly(requests, "received_at", starts, aware=True),
                caption=_("Requests received per month"),
            ),
            url="requests:list",
        )
    ]

    meetings = monthly_by_compound(
        Meeting.objects.visible_to(user),
        "starts_at",
        "body__compound_id",
        starts,
        aware=True,
        now=Count(
            "pk",
            filter=Q(
                starts_at__gte=local_midnight(month),
                starts_at__lt=local_midnight(today + datetime.timedelta(days=1)),
            ),
        ),
    )
    figures.append(
        Figure(
            key="meetings",
            title=_("Meetings this month"),
            total=sum(r["now"] for r in meetings.values()),
            per_compound={k: r["now"] for k, r in meetings.items() if r["now"]},
            chart=bar_chart(
                month_series({k: r["months"] for k, r in meetings.items()}, starts),
                caption=_("Meetings per month"),
            ),
            url="meetings:meeting_list",
            query=f"?date_from={month:%Y-%m-%d}",
        )
    )

    visits = by_compound_and_month(
        Visit.objects.visible_to(user), "visited_on", "compound_id", starts, Count("pk")
    )
    visits_now = {k: months[month] for k, months in visits.items() if month in months}
    figures.append(
        Figure(
            key="visits",
            title=_("Visits this month"),
            total=sum(visits_now.values()),
            per_compound=visits_now,
            chart=bar_chart(month_series(visits, starts), caption=_("Visits per month")),
            url="visits:visit_list",
            query=f"?since={month:%Y-%m-%d}",
        )
    )
    # Teams serve their whole community (VolunteerTeam.visible_to): filter on the community
    # directly rather than through a subquery over every activity. Each activity carries
    # the sum of its participants' hours (hours_total). The months reach back past the
    # first of January, so the same rows give this year's hours.
    activities = ServiceActivity.objects.filter(Access.of(user).community_q("team__community"))
    zero_hours = Decimal("0.0")
    hours = by_compound_and_month(
        activities,
        "date",
        "compound_id",
        starts,
        Quantized(Sum("hours_total"), max_digits=9, decimal_places=1),
    )
    hours_year = {
        k: total
        for k, months in hours.items()
        if (total := sum((v for m, v in months.items() if m.year == today.year), zero_hours))
    }
    figures.append(
        Figure(
            key="volunteers",
            title=_("Volunteer hours this year"),
            total=sum(hours_year.values(), zero_hours),
            per_compound=hours_year,
            chart=bar_chart(
                month_series(hours, starts, zero_hours),
                caption=_("Volunteer hours per month"),
                show=show_hours,
            ),
            url="volunteers:list",
        )
    )

    funds = list(
        Fund.objects.visible_to(user)
        .with_balance()
        .values_list("compound_id", "compound__name", "balance")
    )
    balances: dict = {}
    for compound_id, _name, balance in funds:
        balances[compound_id] = balances.get(compound_id, Decimal("0.00")) + balance
    figures.append(
        Figure(
            key="funds",
            title=_("Fund balances"),
            total=sum(balances.values(), Decimal("0.00")),
            money=True,
            per_compound=balances,
            chart=bar_chart(
                [(name, max(balance, Decimal(0)), money(balance)) for _id, name, balance in funds],
                caption=_("Balance of each fund"),
            ),
            url="funds:list",
        )
    )

    # Each cell is formatted here, once: a sub-district has some 90 compounds, and the
    # template's filters and lookups on 450 cells cost more than every query of the page.
    zero = {f.key: f.show(0) for f in figures}

    def cells(key):
        return [
            (f.column_label, f.show(f.per_compound[key]) if key in f.per_compound else zero[f.key])
            for f in figures
        ]

    rows = [(c, cells(c.pk)) for c in compounds]
    if any(None in f.per_compound for f in figures):
        rows.append((None, cells(None)))
    return {
        "today": today,
        "committees": committee_warnings(user, today),
        "rows": rows,
        "month": month,
        "compounds": compounds,
        "figures": figures,
        "projects": tally.active_projects(user),
    }
