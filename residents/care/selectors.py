"""Reads for the care pages that are not queries of care records: a household's care visits
and who may be named as responsible. (When each record was last visited and which visits
are due: `CareRecord.objects.with_last_care_visit()` and `.due()`.)

Care visits are `meetings.Visit` rows; they are read here through related names
(`Household.visits`) so that residents imports no higher app."""

from django.contrib.auth import get_user_model

from jinzang.names import NAME_ORDER
from residents.care import CARE_VISIT_PURPOSE
from residents.models import AccessGrant


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
