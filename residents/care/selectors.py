"""Reads for the care pages: when each record was last visited, which visits are due, and
who may be named as responsible. Each is one query, computed in the database.

Care visits are `meetings.Visit` rows; they are read here through related names
(`CareRecord.visits`, `Household.visits`) so that residents imports no higher app."""

from django.contrib.auth import get_user_model
from django.db.models import DateField, ExpressionWrapper, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from jinzang.db import Hours
from jinzang.names import NAME_ORDER
from residents.care import CARE_VISIT_PURPOSE
from residents.models import AccessGrant


def with_last_care_visit(records):
    """Care records with the date of their last care visit (`last_visit`) and the day the
    next one is due (`due_on`), computed in the database."""
    records = records.annotate(
        last_visit=Max("visits__visited_on", filter=Q(visits__purpose=CARE_VISIT_PURPOSE))
    )
    return records.annotate(
        due_on=ExpressionWrapper(
            Coalesce("last_visit", "started_on") + Hours(F("visit_every_days") * 24),
            output_field=DateField(),
        )
    )


def care_due(records, today=None):
    """Active care records (annotated by `with_last_care_visit`) whose visit is due."""
    today = today or timezone.localdate()
    return records.filter(ended_on__isnull=True, due_on__lte=today)


def care_visits(household):
    """The care visits made to `household`, newest first, with who made them."""
    return (
        household.visits.filter(purpose=CARE_VISIT_PURPOSE)
        .select_related("recorded_by")
        .prefetch_related("visitors")
    )


def visitor_choices(community_id):
    """Account holders with a role in the community: staff, committee members, grid workers,
    the people who visit households and look after residents in difficulty."""
    users = AccessGrant.objects.active().filter(community_id=community_id).values("user")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by(*NAME_ORDER)
