"""Writes to the register that touch several models."""

from django.db import transaction

from .models import Household, Membership, Resident


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
