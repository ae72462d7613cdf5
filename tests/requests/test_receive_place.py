"""A request received at the desk is pinned to the household the caller lives in, or to
none: a door number repeated in several units of the building is never guessed.

Building 18 of 庆丰小区 has door 301 in unit 2 (李华玉's, of the register) and, here, in
unit 1 too."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from committees.models import ResidentRequest
from residents.register.doors import Door, split_door
from tests.factories import HouseholdFactory, MembershipFactory, ResidentFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_1_301(register):
    """Door 301 of unit 1 of building 18, with 张德明 living there."""
    household = HouseholdFactory(
        unit=UnitFactory(building=register.building_a1, number="1"),
        door_number="301",
        area=Decimal("70.00"),
    )
    MembershipFactory(resident=ResidentFactory(name="张德明", birth_year=1950), household=household)
    return household


def receive(client, register, category, **place):
    return client.post(
        reverse("requests:receive"),
        {
            "community": register.community_a.pk,
            "category": category.pk,
            "title": "楼道灯坏了",
            "received_through": "phone",
            "received_at": "2026-01-05T09:30",
            **place,
        },
    )


def test_a_request_is_pinned_to_the_household_of_the_building_unit_and_door_chosen(
    staff_client, register, category, unit_1_301
):
    response = receive(
        staff_client,
        register,
        category,
        building=register.building_a1.pk,
        unit=register.unit_a1.pk,
        door_number="301",
        raised_by=register.resident_a1.pk,
    )
    req = ResidentRequest.objects.get()
    assertRedirects(response, req.get_absolute_url())
    assert (req.household, req.building, req.raised_by) == (
        register.household_a1,
        register.building_a1,
        register.resident_a1,
    )


@pytest.mark.parametrize("door", ["2-301", "2－301", "2单元301", "18-2-301", "18栋2单元301室"])
def test_the_door_as_the_pages_show_it_names_the_unit(
    staff_client, register, category, unit_1_301, door
):
    response = receive(
        staff_client, register, category, building=register.building_a1.pk, door_number=door
    )
    req = ResidentRequest.objects.get()
    assertRedirects(response, req.get_absolute_url())
    assert req.household == register.household_a1


def test_building_unit_and_door_in_one_go_need_only_the_compound(
    staff_client, register, category, unit_1_301
):
    receive(
        staff_client, register, category, compound=register.compound_a.pk, door_number="18-1-301"
    )
    assert ResidentRequest.objects.get().household == unit_1_301


def test_a_door_in_several_units_is_refused_with_the_units_and_nothing_is_written(
    staff_client, register, category, unit_1_301
):
    response = receive(
        staff_client, register, category, building=register.building_a1.pk, door_number="301"
    )
    assertContains(
        response, "Door 301 is in several units of building 18 (units 1, 2): choose the unit."
    )
    assert not ResidentRequest.objects.exists()


def test_a_door_the_unit_does_not_have_is_refused(staff_client, register, category, unit_1_301):
    response = receive(
        staff_client, register, category, building=register.building_a1.pk, door_number="3-301"
    )
    assertContains(response, "Unit 3 of building 18 has no door 301.")
    response = receive(
        staff_client,
        register,
        category,
        building=register.building_a1.pk,
        unit=unit_1_301.unit.pk,
        door_number="2-301",
    )
    assertContains(response, "This door is in unit 2, but unit 1 is chosen.")
    response = receive(
        staff_client, register, category, building=register.building_a1.pk, door_number="17-3-502"
    )
    assertContains(response, "This door is in building 17, but building 18 is chosen.")
    assert not ResidentRequest.objects.exists()


def test_a_unit_of_another_building_is_refused(staff_client, register, category):
    response = receive(
        staff_client,
        register,
        category,
        building=register.building_a1.pk,
        unit=register.unit_a2.pk,  # of building 17
        door_number="301",
    )
    assertContains(response, "Select a valid choice.")
    assert not ResidentRequest.objects.exists()


def test_a_door_unique_in_its_building_needs_no_unit(staff_client, register, category):
    receive(staff_client, register, category, building=register.building_a2.pk, door_number="502")
    assert ResidentRequest.objects.get().household == register.household_a2


def test_the_page_offers_the_units_of_the_building_and_the_residents_of_the_door(
    staff_client, register, category, unit_1_301
):
    url = reverse("requests:receive")
    page = staff_client.get(url, {"building": register.building_a1.pk})
    assertContains(page, f'<option value="{register.unit_a1.pk}">Unit 2</option>', html=True)
    assertContains(page, f'<option value="{unit_1_301.unit.pk}">Unit 1</option>', html=True)
    assertNotContains(page, ">Unit 3</option>")  # of building 17
    # door 301 alone is in two units: no one's name until the unit is chosen
    page = staff_client.get(url, {"building": register.building_a1.pk, "door_number": "301"})
    assertNotContains(page, "李华玉")
    assertNotContains(page, "张德明")
    page = staff_client.get(
        url,
        {"building": register.building_a1.pk, "unit": unit_1_301.unit.pk, "door_number": "301"},
    )
    assertContains(page, "张德明 (1950)")
    assertNotContains(page, "李华玉")
    page = staff_client.get(url, {"building": register.building_a1.pk, "door_number": "2-301"})
    assertContains(page, "李华玉 (1962)")


@pytest.mark.parametrize(
    "text, door",
    [
        ("301", Door("", "", "301")),
        (" 2-301 ", Door("", "2", "301")),
        ("18-2-301", Door("18", "2", "301")),
        ("１８－２－３０１", Door("18", "2", "301")),
        ("2单元301", Door("", "2", "301")),
        ("18栋2单元301室", Door("18", "2", "301")),
        ("18号楼301", Door("18", "", "301")),
        ("1-2-3-4", Door("", "", "1-2-3-4")),
    ],
)
def test_a_door_is_read_as_people_write_it(text, door):
    assert split_door(text) == door


def test_a_relatives_number_not_on_the_register_is_kept_to_call_the_tenant_back(
    staff_client, register, category
):
    # 武莉华 rents 17-3-502; she asks to be called back on her son's mobile.
    response = receive(
        staff_client,
        register,
        category,
        building=register.building_a2.pk,
        door_number="3-502",
        raised_by=register.resident_a2.pk,
        callback_phone="+86 159 1234 5678",
    )
    req = ResidentRequest.objects.get()
    assertRedirects(response, req.get_absolute_url())
    assert (req.raised_by, req.callback_phone) == (register.resident_a2, "15912345678")
    assertContains(staff_client.get(req.get_absolute_url()), "15912345678")
