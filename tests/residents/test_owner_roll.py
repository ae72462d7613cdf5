"""The owner roll frozen from the register groups households into owners as the rule does."""

from decimal import Decimal

import pytest

from residents.models import Household, Membership, OwnerRollEntry
from residents.owners.owners_vote import owners_from_register
from residents.owners.services import owner_roll_freeze
from tests.factories import HouseholdFactory, MembershipFactory, ResidentFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_frozen_roll_groups_households_by_distinct_buyer():
    unit = UnitFactory()
    doors = ["101", "102", "103", "104", "201", "202", "203", "301"]
    homes = {
        door: HouseholdFactory(unit=unit, door_number=door, area=Decimal("50.00")) for door in doors
    }
    h, w, m, solo = (ResidentFactory() for _i in range(4))
    co_owner = Membership.Relation.CO_OWNER
    # H alone on 101; W and M on 102 and 104 (the same set twice); H and W on 103.
    MembershipFactory(resident=h, household=homes["101"])
    for door in ("102", "104"):
        MembershipFactory(resident=w, household=homes[door])
        MembershipFactory(resident=m, household=homes[door], relation=co_owner)
    MembershipFactory(resident=h, household=homes["103"])
    MembershipFactory(resident=w, household=homes["103"], relation=co_owner)
    # A tenant does not make an owner.
    MembershipFactory(
        resident=ResidentFactory(), household=homes["301"], relation=Membership.Relation.TENANT
    )
    # 201 unsold, 202 sold to `solo` but not handed over: one owner with the developer.
    Household.objects.filter(pk=homes["201"].pk).update(developer_unsold=True)
    Household.objects.filter(pk=homes["202"].pk).update(not_handed_over=True)
    MembershipFactory(resident=solo, household=homes["202"])
    # 203 and 301 have no owner on record: one owner each.

    roll = owner_roll_freeze(households=Household.objects.filter(unit=unit))

    entries = OwnerRollEntry.objects.filter(roll=roll)
    by_key = {}
    for entry in entries:
        by_key.setdefault(entry.owner_key, set()).add(entry.household.door_number)
    assert sorted(by_key.values(), key=min) == [
        {"101"},
        {"102", "104"},
        {"103"},
        {"201", "202"},
        {"203"},
        {"301"},
    ]
    assert sum(e.area for e in entries) == Decimal("400.00")
    # The same grouping as the pure rule gives for the register as it stands.
    links = Membership.objects.filter(
        relation__in=[Membership.Relation.OWNER, co_owner]
    ).values_list("household_id", "resident_id")
    electorate = owners_from_register(Household.objects.filter(unit=unit), links)
    door_of = {home.pk: door for door, home in homes.items()}
    assert {o.key: {door_of[pk] for pk in o.household_ids} for o in electorate.owners} == by_key
