"""Writes on volunteer teams, and the "365" service tally read from the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import ServiceActivity, ServiceHours, Volunteer, VolunteerTeam
from jinzang.db import Quantized
from residents.access import Access

HOURS = DecimalField(max_digits=9, decimal_places=1)
NO_HOURS = Value(Decimal("0.0"), output_field=HOURS)
MAX_HOURS = Decimal("24")


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def teams_with_year(teams, year: int):
    """Teams annotated with the year's `hours`, `n_activities` and current `n_volunteers`,
    each from its own subquery so that the joins do not multiply one another."""
    first, last = year_bounds(year)
    in_year = {"activity__date__gte": first, "activity__date__lte": last}
    hours = (
        ServiceHours.objects.filter(activity__team=OuterRef("pk"), **in_year)
        .order_by()
        .values("activity__team")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    activities = (
        ServiceActivity.objects.filter(team=OuterRef("pk"), date__gte=first, date__lte=last)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    volunteers = (
        Volunteer.objects.current()
        .filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    return teams.annotate(
        hours=Quantized(
            Coalesce(Subquery(hours, output_field=HOURS), NO_HOURS, output_field=HOURS),
            max_digits=9,
            decimal_places=1,
        ),
        n_activities=Coalesce(Subquery(activities, output_field=IntegerField()), zero),
        n_volunteers=Coalesce(Subquery(volunteers, output_field=IntegerField()), zero),
    )


@dataclass
class Tally:
    """The "365" service tally of one year: per team, per person and in all."""

    year: int
    teams: list
    people: list
    hours: Decimal
    activities: int


def service_tally(year: int, teams_qs, *, user) -> Tally:
    """Hours and activities of `year` per team and per person, summed in the database.

    A person is a resident on the register (who may serve in several teams: their
    hours add up) or, for someone not on the register, their volunteer record. A
    person's `party` is shown to `user` only as the register's rule says (Disclosure):
    the teams serve the whole community, their people's party membership does not."""
    first, last = year_bounds(year)
    hours = ServiceHours.objects.filter(
        activity__team__in=teams_qs, activity__date__gte=first, activity__date__lte=last
    ).order_by()
    teams = list(teams_with_year(teams_qs, year).order_by("-hours", "name"))
    people = list(
        hours.annotate(
            person_resident=F("volunteer__resident"),
            person_volunteer=Case(
                When(volunteer__resident__isnull=True, then=F("volunteer")), default=None
            ),
        )
        .values("person_resident", "person_volunteer")
        .annotate(
            name=Max("volunteer__name"),
            # any one of the person's volunteer records, for the link to their page
            volunteer_id=Max("volunteer"),
            hours=Quantized(Sum("hours"), max_digits=9, decimal_places=1),
            activities=Count("activity", distinct=True),
            teams=Count("activity__team", distinct=True),
            community=Max("activity__team__community"),
            party=Max(
                Case(
                    When(
                        Q(volunteer__resident__is_party_member=True)
                        | Q(volunteer__resident__isnull=True, volunteer__is_party_member=True),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by("-hours", "name", "volunteer_id")
    )
    disclosure = Access.of(user).disclosure(p["person_resident"] for p in people if p["party"])
    for person in people:
        person["party"] = bool(person["party"]) and disclosure.party(
            person["person_resident"], place=(person["community"],)
        )
    totals = ServiceActivity.objects.filter(
        team__in=teams_qs, date__gte=first, date__lte=last
    ).aggregate(n=Count("pk"))
    all_hours = hours.aggregate(total=Coalesce(Sum("hours"), NO_HOURS, output_field=HOURS))["total"]
    return Tally(year=year, teams=teams, people=people, hours=all_hours, activities=totals["n"])


def person_records(volunteer: Volunteer):
    """All volunteer records of the same person: by resident, or this one alone."""
    if volunteer.resident_id:
        return Volunteer.objects.filter(resident=volunteer.resident_id)
    return Volunteer.objects.filter(pk=volunteer.pk)


@transaction.atomic
def volunteer_add(
    *,
    team: VolunteerTeam,
    resident=None,
    name: str = "",
    is_party_member: bool = False,
    joined: datetime.date | None = None,
    user=None,
) -> Volunteer:
    """Add a resident (or a named person not on the register) to a team."""
    name = (name or "").strip()
    if resident is not None:
        name = resident.name
        is_party_member = False  # read from the register
        if team.volunteers.filter(resident=resident).exists():
            raise ValidationError(_("This resident is already in the team."))
    elif not name:
        raise ValidationError({"name": _("Choose a resident or type a name.")})
    volunteer = Volunteer(
        team=team,
        resident=resident,
        name=name,
        is_party_member=is_party_member,
        joined=joined or timezone.localdate(),
        user=user,
    )
    volunteer.full_clean()
    volunteer.save()
    return volunteer


@transaction.atomic
def activity_record(
    *,
    team: VolunteerTeam,
    date: datetime.date,
    place: str,
    description: str,
    hours: dict,
    recorded_by=None,
    compound=None,
) -> ServiceActivity:
    """Record an activity with its participants: `hours` maps volunteers to hours given.

    Refused as a whole when a participant is not in the team, hours are not more than 0
    or above 24, the date is in the future, or nobody took part."""
    if date > timezone.localdate():
        raise ValidationError({"date": _("An activity cannot lie in the future.")})
    if compound is not None and compound.community_id != team.community_id:
        raise ValidationError({"compound": _("The compound must belong to the team's community.")})
    hours = {v: h for v, h in hours.items() if h is not None}
    if not hours:
        raise ValidationError(_("Enter the hours of at least one participant."))
    for volunteer, given in hours.items():
        if volunteer.team_id != team.pk:
            raise ValidationError(
                _("%(name)s is not a member of this team.") % {"name": volunteer.name}
            )
        if not isinstance(given, Decimal) or not (0 < given <= MAX_HOURS):
            raise ValidationError(
                _("Hours of %(name)s must be more than 0 and at most 24.")
                % {"name": volunteer.name}
            )
        if given != given.quantize(Decimal("0.1")):
            raise ValidationError(
                _("Hours of %(name)s are counted to one decimal place.") % {"name": volunteer.name}
            )
    activity = ServiceActivity(
        team=team,
        date=date,
        place=place,
        description=description,
        compound=compound,
        recorded_by=recorded_by,
    )
    activity.full_clean()
    activity.save()
    ServiceHours.objects.bulk_create(
        ServiceHours(activity=activity, volunteer=v, hours=h) for v, h in hours.items()
    )
    return activity
