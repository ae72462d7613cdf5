"""The figures of the staff dashboard (/dashboard/): what matters now, for the part of the
community the user may see, overall and per compound. Every figure is one aggregate query
grouped by compound, so the page costs the same number of queries whatever the data size."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Fund, ResidentRequest, ServiceHours
from jinzang.charts import bar_chart
from jinzang.db import Quantized
from residents.models import Access, Compound, Household

from .models import ConsentRecord, Meeting, Project, Visit

MONTHS = 12


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `months` months, oldest first, ending with this month."""
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return starts[::-1]


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def monthly(queryset, field: str, starts: list[datetime.date], value=None, aware=False):
    """`value` (default: the number of rows) of `queryset` in each month of `starts`, as
    [(label, value)], months without rows as 0, in one query over the rows since the first
    month, with no date function called row by row:

    - a DateField is grouped by its day (at most a year of days come back), and the days
      are added up by month here;
    - a DateTimeField (`aware`) gets one aggregate per month, filtered by comparing it with
      the local midnights that bound the month.

    `value(only)` builds the aggregate from a filter (`only`, None for a DateField)."""
    value = value or (lambda only: Count("pk", filter=only))
    end = next_month(starts[-1])
    if aware:
        bounds = [local_midnight(b) for b in [*starts, end]]
        aggregates = {
            f"m{i}": value(Q(**{f"{field}__gte": lo, f"{field}__lt": hi}))
            for i, (lo, hi) in enumerate(itertools.pairwise(bounds))
        }
        totals = queryset.filter(**{f"{field}__gte": bounds[0]}).order_by().aggregate(**aggregates)
        return [(start.strftime("%Y-%m"), totals[f"m{i}"] or 0) for i, start in enumerate(starts)]
    # No upper bound in the query: with one, SQLite prefers the date index over the user's
    # scope and reads every community's rows of the year (measured 15 ms against 110 ms
    # for one community of a 100,000-resident sub-district). Later days are dropped here.
    rows = (
        queryset.filter(**{f"{field}__gte": starts[0]})
        .order_by()
        .values(field)
        .annotate(n=value(None))
        .values_list(field, "n")
    )
    totals: dict[datetime.date, object] = {}
    for day, n in rows:
        if day < end:
            key = day.replace(day=1)
            totals[key] = totals.get(key, 0) + (n or 0)
    return [(start.strftime("%Y-%m"), totals.get(start, 0)) for start in starts]


def by_compound(queryset, compound_path: str, **aggregates) -> dict:
    """`aggregates` of `queryset` grouped by compound (key None: community-wide rows)."""
    rows = queryset.values(compound_path).annotate(**aggregates).order_by()
    return {row[compound_path]: row for row in rows}


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


@dataclass
class ProjectProgress:
    project: Project
    households: int
    agree: int

    @property
    def share(self):
        return Fraction(self.agree, self.households) if self.households else Fraction(0)


def active_projects(user, limit: int = 8) -> list[ProjectProgress]:
    """Projects collecting consent, with households covered and households agreeing."""
    covered = (
        Household.objects.filter(unit__projects=OuterRef("pk"))
        .order_by()
        .values("unit__projects")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agreeing = (
        ConsentRecord.objects.filter(project=OuterRef("pk"), answer=ConsentRecord.Answer.AGREE)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    projects = (
        Project.objects.visible_to(user)
        .filter(status=Project.Status.COLLECTING)
        .select_related("body")
        .annotate(
            n_households=Subquery(covered, output_field=IntegerField()),
            n_agree=Subquery(agreeing, output_field=IntegerField()),
        )
        .order_by("-pk")[:limit]
    )
    return [ProjectProgress(p, p.n_households or 0, p.n_agree or 0) for p in projects]


def dashboard(user, today: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for `user`."""
    today = today or timezone.localdate()
    now = timezone.now()
    month = today.replace(day=1)
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

    meetings = Meeting.objects.visible_to(user)
    this_month = by_compound(
        meetings.filter(
            starts_at__gte=local_midnight(month),
            starts_at__lt=local_midnight(today + datetime.timedelta(days=1)),
        ),
        "body__compound_id",
        n=Count("pk"),
    )
    figures.append(
        Figure(
            key="meetings",
            title=_("Meetings this month"),
            total=sum(r["n"] for r in this_month.values()),
            per_compound={k: r["n"] for k, r in this_month.items()},
            chart=bar_chart(
                monthly(meetings, "starts_at", starts, aware=True), caption=_("Meetings per month")
            ),
            url="meetings:meeting_list",
            query=f"?date_from={month:%Y-%m-%d}",
        )
    )

    visits = Visit.objects.visible_to(user)
    visits_month = by_compound(
        visits.filter(visited_on__gte=month, visited_on__lte=today),
        "household__unit__building__compound_id",
        n=Count("pk"),
    )
    figures.append(
        Figure(
            key="visits",
            title=_("Visits this month"),
            total=sum(r["n"] for r in visits_month.values()),
            per_compound={k: r["n"] for k, r in visits_month.items()},
            chart=bar_chart(monthly(visits, "visited_on", starts), caption=_("Visits per month")),
            url="visits:visit_list",
            query=f"?since={month:%Y-%m-%d}",
        )
    )
    # Teams serve their whole community (VolunteerTeam.visible_to): filter on the community
    # directly rather than through a subquery over every activity.
    access = Access.of(user)
    all_hours = ServiceHours.objects.all()
    if not access.is_admin:
        all_hours = all_hours.filter(activity__team__community_id__in=access.community_ids)
    hours = all_hours.filter(activity__date__year=today.year)
    hours_by_compound = by_compound(
        hours,
        "activity__compound_id",
        total=Quantized(Sum("hours"), max_digits=9, decimal_places=1),
    )
    figures.append(
        Figure(
            key="volunteers",
            title=_("Volunteer hours this year"),
            total=sum((r["total"] for r in hours_by_compound.values()), Decimal("0.0")),
            per_compound={k: r["total"] for k, r in hours_by_compound.items()},
            chart=bar_chart(
                monthly(
                    all_hours,
                    "activity__date",
                    starts,
                    value=lambda only: Quantized(
                        Sum("hours", filter=only), max_digits=9, decimal_places=1
                    ),
                ),
                caption=_("Volunteer hours per month"),
            ),
            url="volunteers:list",
        )
    )

    funds = list(Fund.objects.visible_to(user).with_balance().select_related("compound"))
    balances: dict = {}
    for fund in funds:
        balances[fund.compound_id] = balances.get(fund.compound_id, Decimal("0.00")) + fund.balance
    figures.append(
        Figure(
            key="funds",
            title=_("Fund balances"),
            total=sum(balances.values(), Decimal("0.00")),
            money=True,
            per_compound=balances,
            chart=bar_chart(
                [(fund.compound.name, max(fund.balance, Decimal(0))) for fund in funds],
                caption=_("Balance of each fund"),
            ),
            url="funds:list",
        )
    )

    rows = [(c, [(f, f.per_compound.get(c.pk, 0)) for f in figures]) for c in compounds]
    if any(None in f.per_compound for f in figures):
        rows.append((None, [(f, f.per_compound.get(None, 0)) for f in figures]))
    return {
        "today": today,
        "rows": rows,
        "month": month,
        "compounds": compounds,
        "figures": figures,
        "projects": active_projects(user),
    }
