"""The owner roll of a vote: who the owners are and their area, frozen when the vote opens
(docs/domain.md, "Owners' decisions")."""

from django.db import transaction

from residents.models import Membership, OwnerRoll, OwnerRollEntry
from residents.owners.owners_vote import owners_from_register


@transaction.atomic
def owner_roll_freeze(*, households, description: str = "") -> OwnerRoll:
    """Freeze the owners and areas of `households` for a vote (the denominator of Art. 278).

    Each entry's `owner_key` names the owner its household belongs to: one per distinct
    buyer, with the developer's unsold and not-handed-over units as one owner
    (`owners_from_register`); the owners and co-owners are read from the memberships.
    """
    households_qs = households
    households = list(households.only("pk", "area", "developer_unsold", "not_handed_over"))
    links = Membership.objects.filter(
        household__in=households_qs.values("pk"),
        relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
    ).values_list("household_id", "resident_id")
    links = list(links)
    electorate = owners_from_register(households, links)
    roll = OwnerRoll.objects.create(description=description)
    area = {h.pk: h.area for h in households}
    OwnerRollEntry.objects.bulk_create(
        OwnerRollEntry(roll=roll, household_id=hid, owner_key=owner.key, area=area[hid])
        for owner in electorate.owners
        for hid in owner.household_ids
    )
    # Who may vote for each household: its owners and co-owners then (docs/domain.md,
    # "Owners' decisions": who voted).
    entry_of = {e.household_id: e.pk for e in OwnerRollEntry.objects.filter(roll=roll)}
    Through = OwnerRollEntry.owners.through
    # The developer's units vote through the developer, not through their buyers.
    developers = {h.pk for h in households if h.developer_unsold or h.not_handed_over}
    Through.objects.bulk_create(
        Through(ownerrollentry_id=entry_of[hid], resident_id=rid)
        for hid, rid in set(links)
        if hid in entry_of and hid not in developers
    )
    return roll
