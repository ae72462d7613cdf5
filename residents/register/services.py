"""Writes to the register that touch several models."""

from django.db import transaction
from django.utils.translation import gettext as _

from jinzang.concurrency import version_claim
from residents.models import Household, Membership, Resident


@transaction.atomic
def resident_add_to_household(
    *, resident: Resident, household: Household, relation: str
) -> Membership:
    """Save a (new or edited) resident and tie them to a household."""
    resident.save()
    membership, _created = Membership.objects.update_or_create(
        resident=resident, household=household, defaults={"relation": relation}
    )
    return membership


@transaction.atomic
def household_save(*, household: Household, version: int | None = None) -> Household:
    """Create a household, or save an edit made from the page that showed `version`
    (EditConflict if someone saved it since)."""
    if household.pk:
        version_claim(household, version, what=_("household"))
    household.save()
    return household
