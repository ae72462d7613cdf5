"""Visit.compound, the household's compound copied onto each visit for the dashboard, is
set however a visit is written and follows the household when the register moves it."""

import pytest

from meetings.models import Purpose, Visit
from tests.factories import BuildingFactory, UnitFactory, stored

pytestmark = pytest.mark.django_db


def test_a_saved_visit_takes_its_households_compound(register):
    visit = Visit.objects.create(household=register.household_b, purpose=Purpose.SURVEY)
    assert stored(visit).compound == register.compound_b


def test_a_visit_moved_to_another_household_follows_it(register):
    visit = Visit.objects.create(household=register.household_b, purpose=Purpose.SURVEY)
    visit.household = register.household_a1
    visit.save()
    assert stored(visit).compound == register.compound_a


def test_bulk_created_visits_take_their_households_compounds(register):
    Visit.objects.bulk_create(
        [
            Visit(household=register.household_a1, purpose=Purpose.SURVEY),
            Visit(household=register.household_b, purpose=Purpose.OPINION),
            Visit(household=register.household_a2, purpose=Purpose.OPINION),
        ]
    )
    assert sorted(Visit.objects.values_list("household_id", "compound_id")) == sorted(
        [
            (register.household_a1.pk, register.compound_a.pk),
            (register.household_b.pk, register.compound_b.pk),
            (register.household_a2.pk, register.compound_a.pk),
        ]
    )


def test_moving_a_household_unit_or_building_moves_its_visits(register):
    visit = Visit.objects.create(household=register.household_a1, purpose=Purpose.SURVEY)
    other = Visit.objects.create(household=register.household_a2, purpose=Purpose.SURVEY)

    household = register.household_a1
    household.unit = register.unit_b
    household.save()
    assert stored(visit).compound == register.compound_b

    unit = UnitFactory(building=BuildingFactory(compound=register.compound_b, number="9"))
    household.unit = unit
    household.save()
    unit.building = register.building_a2
    unit.save()
    assert stored(visit).compound == register.compound_a

    building = register.building_a2
    building.compound = register.compound_b
    building.courtyard = None
    building.save()
    assert stored(visit).compound == register.compound_b
    assert stored(other).compound == register.compound_b  # household A2 is in building 17 too
