"""Reads for the campaign pages: a campaign's progress and the households it has still to
reach. Each is a fixed number of queries, aggregated in the database. (The care visits that
are due: `CareRecord.objects.due()`, residents/models/care.py.)"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek

from meetings.models import Visit, VisitCampaign
from residents.models import Building


@dataclass
class CampaignProgress:
    visits: int
    households_reached: int
    households_total: int
    goal: int
    by_outcome: list[tuple[str, int]]
    weekly: list[tuple[datetime.date, int]]
    buildings: list

    @property
    def share_of_goal(self):
        return min(Fraction(self.visits, self.goal), Fraction(1)) if self.goal else Fraction(0)


def campaign_progress(campaign: VisitCampaign) -> CampaignProgress:
    visits = campaign.visits.all()
    totals = visits.aggregate(n=Count("pk"), households=Count("household", distinct=True))
    labels = dict(Visit.Outcome.choices)
    by_outcome = [
        (labels.get(row["outcome"], row["outcome"]), row["n"])
        for row in visits.values("outcome").annotate(n=Count("pk")).order_by("-n", "outcome")
    ]
    weekly = [
        (row["week"], row["n"])
        for row in visits.annotate(week=TruncWeek("visited_on"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    ]
    households = campaign.households()
    buildings = (
        Building.objects.filter(units__households__in=households)
        .select_related("compound", "courtyard")
        .annotate(
            n_households=Count("units__households", distinct=True),
            n_reached=Count(
                "units__households",
                filter=Q(units__households__visits__campaign=campaign),
                distinct=True,
            ),
        )
        .order_by("compound__name", "number")
    )
    buildings = list(buildings)
    return CampaignProgress(
        visits=totals["n"],
        households_reached=totals["households"],
        households_total=sum(b.n_households for b in buildings),
        goal=campaign.goal,
        by_outcome=by_outcome,
        weekly=weekly,
        buildings=buildings,
    )


def not_yet_visited(campaign: VisitCampaign, limit: int = 30):
    """Households of the campaign nobody has visited for it yet, in door order."""
    return (
        campaign.households()
        .exclude(Exists(Visit.objects.filter(campaign=campaign, household=OuterRef("pk"))))
        .with_place()
        .order_by(
            "unit__building__compound__name",
            "unit__building__number",
            "unit__number",
            "door_number",
        )[:limit]
    )
