"""The consent tally: every count of the projects' answers made from the database.

Per project (households by answer, the Art. 278 verdict, the conditions raised, the
agreement over time), per building (the grid and its legend), per unit (co-funding's
progress) and for the staff dashboard (the projects collecting consent). The verdict
of an owners' decision comes from the pure rule in residents/owners/owners_vote.py;
a household with no record counts as `Project.missing_answer`.

Each count runs a fixed number of queries whatever the size of the project: counts
and sums are made by the database. The writes are in meetings/projects/consent.py.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from meetings.models import ConsentRecord, Project
from residents.models import Household, OwnerRollEntry
from residents.owners.owners_vote import Heads, Result, decide


@dataclass
class UnitProgress:
    unit_id: int
    building_id: int
    building: str
    unit: str
    households: int
    agree: int
    decline: int
    undecided: int
    pledged: Decimal
    goes_ahead: bool = False

    @property
    def not_reached(self) -> int:
        return self.households - self.agree - self.decline - self.undecided

    @property
    def to_visit(self) -> int:
        return self.households - self.agree - self.decline


@dataclass
class BuildingProgress:
    building_id: int
    building: str
    units: list[UnitProgress] = field(default_factory=list)

    def _sum(self, name):
        return sum(getattr(u, name) for u in self.units)

    @property
    def households(self):
        return self._sum("households")

    @property
    def agree(self):
        return self._sum("agree")

    @property
    def to_visit(self):
        return self._sum("to_visit")

    @property
    def pledged(self):
        return sum((u.pledged for u in self.units), Decimal(0))

    @property
    def units_going_ahead(self):
        return sum(1 for u in self.units if u.goes_ahead)


@dataclass
class ProjectProgress:
    """A project collecting consent, as the dashboard shows it."""

    project: Project
    households: int
    agree: int

    @property
    def share(self):
        return Fraction(self.agree, self.households) if self.households else Fraction(0)


def _with_record(queryset, project, path="consents"):
    return queryset.annotate(
        record=FilteredRelation(path, condition=Q(**{f"{path}__project": project}))
    )


def _money(value) -> Decimal:
    """Sums of areas and yuan to the cent: SQLite adds decimals as floats."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def with_answers(households, project: Project):
    """`households`, each with `answer`: its answer to `project`, the missing answer
    (`Project.missing_answer`) when it has no record."""
    return _with_record(households, project).annotate(
        answer=Coalesce(F("record__answer"), Value(str(project.missing_answer)))
    )


# --- per project ----------------------------------------------------------------------


def progress_stamp(project: Project) -> str:
    """A short text that changes whenever the project's figures may change: its records
    (how many, the sum of their versions, which every write raises, and the newest key)
    and the households it covers (how many, the newest key, the sum of their units). Two
    small aggregates, where the figures themselves take three scans and a long page."""
    records = ConsentRecord.objects.filter(project=project).aggregate(
        n=Count("pk"), versions=Sum("version"), last=Max("pk")
    )
    households = project.covered_households().aggregate(
        n=Count("pk"), last=Max("pk"), units=Sum("unit_id")
    )
    return ".".join(
        str(v)
        for v in (
            project.pk,
            project.consent_kind,
            project.threshold,
            project.roll_id,
            int(project.closed_at.timestamp()) if project.closed_at else "",
            *records.values(),
            *households.values(),
        )
    )


def answer_counts(project: Project) -> dict[str, int]:
    """Households by answer, the covered households never recorded counted under the
    missing answer, and `total`."""
    counts = dict(
        project.consents.order_by()
        .values_list("answer")
        .annotate(n=Count("pk"))
        .values_list("answer", "n")
    )
    recorded = sum(counts.values())
    total = project.covered_households().count()
    missing = project.missing_answer
    counts[missing] = counts.get(missing, 0) + max(total - recorded, 0)
    counts["total"] = total
    return counts


def decision_tally(project: Project) -> Result:
    """The Art. 278 verdict over the frozen roll: one aggregate query."""
    entries = _with_record(
        OwnerRollEntry.objects.filter(roll=project.roll_id), project, "household__consents"
    )

    def heads(answer):
        return {
            f"{answer}_owners": Count("owner_key", distinct=True, filter=Q(record__answer=answer)),
            f"{answer}_area": Sum("area", filter=Q(record__answer=answer)),
        }

    agg = entries.aggregate(
        all_owners=Count("owner_key", distinct=True),
        all_area=Sum("area"),
        **heads("agree"),
        **heads("disagree"),
        **heads("abstain"),
    )

    def count(prefix):
        return Heads(agg[f"{prefix}owners"] or 0, _money(agg[f"{prefix}area"]))

    return decide(
        matter=project.matter,
        electorate=count("all_"),
        agree=count("agree_"),
        disagree=count("disagree_"),
        abstain=count("abstain_"),
    )


def cofunding_progress(project: Project) -> list[BuildingProgress]:
    """Per building and unit: households, answers, pledges, and whether the unit goes ahead.
    One query."""
    rows = (
        _with_record(project.covered_households(), project)
        .values("unit_id", "unit__number", "unit__building_id", "unit__building__number")
        .annotate(
            n=Count("pk"),
            agree=Count("pk", filter=Q(record__answer="agree")),
            decline=Count("pk", filter=Q(record__answer="decline")),
            undecided=Count("pk", filter=Q(record__answer="undecided")),
            pledged=Sum("record__contribution", filter=Q(record__answer="agree")),
        )
        .order_by("unit__building__number", "unit__number")
    )
    buildings: dict[int, BuildingProgress] = {}
    for r in rows:
        unit = UnitProgress(
            unit_id=r["unit_id"],
            building_id=r["unit__building_id"],
            building=r["unit__building__number"],
            unit=r["unit__number"],
            households=r["n"],
            agree=r["agree"],
            decline=r["decline"],
            undecided=r["undecided"],
            pledged=_money(r["pledged"]),
        )
        # agree / households >= threshold, exactly
        unit.goes_ahead = (
            unit.households > 0 and Decimal(unit.agree) >= project.threshold * unit.households
        )
        buildings.setdefault(
            unit.building_id, BuildingProgress(unit.building_id, unit.building)
        ).units.append(unit)

    def natural(b):  # building 2 before building 10
        return (len(b.building), b.building)

    return sorted(buildings.values(), key=natural)


def decision_buildings(project: Project) -> list[dict]:
    """An owners' decision's households by answer in each building (the result notice's
    figures: no names). One query."""
    rows = (
        with_answers(project.covered_households(), project)
        .values("unit__building__number", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buildings: dict[str, dict] = {}
    for r in rows:
        number = r["unit__building__number"]
        figures = buildings.setdefault(
            number, {"building": number, **dict.fromkeys(project.answers, 0), "total": 0}
        )
        figures[r["answer"]] += r["n"]
        figures["total"] += r["n"]
    return sorted(buildings.values(), key=lambda b: (len(b["building"]), b["building"]))


def online_receipts(project: Project) -> dict[str, list[str]]:
    """The verification codes of the online ballots recorded (meetings/projects/ballots.py),
    by building number, in the order of the codes: no names. One query."""
    codes: dict[str, list[str]] = {}
    for building, code in (
        ConsentRecord.objects.filter(project=project, channel=ConsentRecord.Channel.ONLINE)
        .exclude(receipt_code="")
        .values_list("household__unit__building__number", "receipt_code")
        .order_by("receipt_code")
    ):
        codes.setdefault(building, []).append(code)
    return codes


def result_snapshot(project: Project) -> dict:
    """What an owners' decision's close freezes (docs/domain.md, "Owners' decisions"): the
    verdict with the counts by owner and area and the rule applied, households by answer,
    and each building's figures with the verification codes of its online ballots
    (`receipts`). Four queries."""
    buildings = decision_buildings(project)
    receipts = online_receipts(project)
    for b in buildings:
        b["receipts"] = receipts.get(b["building"], [])
    return {
        **decision_tally(project).as_snapshot(),
        "counts": answer_counts(project),
        "buildings": buildings,
    }


def summary(project: Project) -> dict:
    """What the project page and the notice-board summary both show: households by
    answer (`counts`), and the verdict over the frozen roll (`tally`, an owners'
    decision; None until the vote opens) or each building's and unit's progress
    (`buildings`, co-funding). A closed decision's figures are its frozen result, never
    a recount."""
    if project.is_decision and project.result:
        return {
            "counts": project.result["counts"],
            "tally": Result.from_snapshot(project.result),
            "decision_buildings": project.result["buildings"],
        }
    figures = {"counts": answer_counts(project)}
    if project.is_decision:
        figures["tally"] = decision_tally(project) if project.roll_id else None
    else:
        figures["buildings"] = cofunding_progress(project)
    return figures


def conditions_raised(project: Project, limit: int = 10):
    """The conditions households raised, the most frequent first, with how many raised each."""
    return list(
        project.consents.exclude(conditions="")
        .values("conditions")
        .annotate(n=Count("pk"))
        .order_by("-n", "conditions")[:limit]
    )


def agreement_series(project: Project) -> list[tuple[datetime.date, int]]:
    """Households agreeing, cumulated by the day their agreement was recorded."""
    days = (
        project.consents.filter(answer=ConsentRecord.Answer.AGREE)
        .annotate(day=TruncDate("recorded_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    total, series = 0, []
    for row in days:
        total += row["n"]
        series.append((row["day"], total))
    return series


# --- per building ---------------------------------------------------------------------


def building_households(project: Project, building) -> tuple[list[Household], dict[str, int]]:
    """The households of `building` the project covers, each with its `answer`, the
    `record_version` of its record (0: none; what an answer recorded offline is made
    against) and its `unit`, by unit and door; and how many gave each answer. One query."""
    households = list(
        with_answers(
            Household.objects.filter(unit__building=building, unit__projects=project),
            project,
        )
        .annotate(record_version=Coalesce(F("record__version"), 0))
        .select_related("unit")
        .order_by("unit__number", "door_number")
    )
    return households, dict(Counter(h.answer for h in households))


def building_answers(project: Project, building_id) -> dict[str, int]:
    """Households of one building by answer, counted by the database: one query."""
    rows = (
        with_answers(
            Household.objects.filter(unit__building=building_id, unit__projects=project),
            project,
        )
        .values("answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["answer"]: row["n"] for row in rows}


# --- the dashboard --------------------------------------------------------------------


def active_projects(user, limit: int = 8) -> list[ProjectProgress]:
    """The newest projects collecting consent that `user` may see, with households
    covered and households agreeing: one query."""
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
