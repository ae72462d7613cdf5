"""Writes to the register that touch several models."""

from django.db import transaction

from .decisions import owners_from_register
from .models import (
    Household,
    Membership,
    OwnerRoll,
    OwnerRollEntry,
    PersonalDataReveal,
    Resident,
)


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
def owner_roll_freeze(*, households, description: str = "") -> OwnerRoll:
    """Freeze the owners and areas of `households` for a vote (the denominator of Art. 278)."""
    households_qs = households
    households = list(households.only("pk", "area", "developer_unsold"))
    links = Membership.objects.filter(
        household__in=households_qs.values("pk"),
        relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
    ).values_list("household_id", "resident_id")
    electorate = owners_from_register(households, links)
    roll = OwnerRoll.objects.create(description=description)
    area = {h.pk: h.area for h in households}
    OwnerRollEntry.objects.bulk_create(
        OwnerRollEntry(roll=roll, household_id=hid, owner_key=owner.key, area=area[hid])
        for owner in electorate.owners
        for hid in owner.household_ids
    )
    return roll


def personal_data_reveal(*, user, residents, path: str, fields=("phone", "id_number")) -> None:
    """Log that `user` was shown the full `fields` (phone, ID number) of `residents`, those
    they have, on the page `path`: one insert, whatever the number of residents."""
    rows = []
    for resident in residents:
        shown = [f for f in fields if getattr(resident, f)]
        if shown and resident.pk:
            rows.append(
                PersonalDataReveal(
                    user=user if user.is_authenticated else None,
                    resident=resident,
                    fields=",".join(shown),
                    path=path[:300],
                )
            )
    PersonalDataReveal.objects.bulk_create(rows)
