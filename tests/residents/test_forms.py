import datetime
from decimal import Decimal

import pytest

from residents.models import Household, Resident
from residents.register.forms import HouseholdForm, NewResidentForm, ResidentForm
from residents.validators import id_check_char
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def household_form(unit, instance=None, **data):
    return HouseholdForm(
        {
            "door_number": "402",
            "area": "66.60",
            "occupancy": "owner",
            "notes": "",
            "version": "1",
            **data,
        },
        unit=unit,
        instance=instance,
    )


def administrator():
    return UserFactory(username="admin", is_superuser=True)


def resident_form(show_personal=True, instance=None, **data):
    return ResidentForm(
        {"name": "王桂芝", "gender": "F", "birth_year": "", **data},
        show_personal=show_personal,
        instance=instance,
        user=administrator(),
    )


def valid_id(birth_year, serial="123"):
    first17 = f"520103{birth_year}0615{serial}"
    return first17 + id_check_char(first17)


# HouseholdForm


def test_household_form_saves_a_new_household_in_its_unit(register):
    form = household_form(register.unit_a1)
    assert form.is_valid(), form.errors
    household = form.save()
    assert household.unit == register.unit_a1
    assert household.area == Decimal("66.60")


def test_duplicate_door_in_the_same_unit_is_a_field_error(register):
    form = household_form(register.unit_a1, door_number="301")
    assert not form.is_valid()
    assert form.errors["door_number"] == ["This unit already has a household with door number 301."]


def test_duplicate_door_is_found_despite_surrounding_spaces(register):
    form = household_form(register.unit_a1, door_number=" 301 ")
    assert not form.is_valid()
    assert "door_number" in form.errors


def test_same_door_in_another_unit_is_fine(register):
    form = household_form(register.unit_a2, door_number="301")
    assert form.is_valid(), form.errors
    form.save()
    assert Household.objects.filter(door_number="301").count() == 2


def test_editing_a_household_keeps_its_own_door_number(register):
    household = register.household_a1
    form = household_form(household.unit, instance=household, door_number="301", area="70")
    assert form.is_valid(), form.errors
    form.save()
    household.refresh_from_db()
    assert household.area == Decimal("70")


def test_editing_a_household_to_a_neighbours_door_is_an_error(register):
    neighbour = Household.objects.create(
        unit=register.unit_a1, door_number="302", area=Decimal("60")
    )
    form = household_form(neighbour.unit, instance=neighbour, door_number="301")
    assert not form.is_valid()
    assert "door_number" in form.errors


def test_negative_area_is_an_error_on_the_area_field(register):
    form = household_form(register.unit_a1, area="-1")
    assert not form.is_valid()
    assert form.errors["area"] == ["Ensure this value is greater than or equal to 0."]


def test_household_form_does_not_offer_the_unit(register):
    assert "unit" not in household_form(register.unit_a1).fields


# ResidentForm


@pytest.mark.parametrize("typed", ["138 1234 5678", "+86 13812345678", "138-1234-5678"])
def test_phone_is_normalised(typed):
    form = resident_form(phone=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "13812345678"
    assert form.save().phone == "13812345678"


def test_bad_phone_error_is_next_to_the_phone_field():
    form = resident_form(phone="1381234567")
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Enter an 11-digit mainland mobile number starting with 13 to 19, e.g. 13812345678."
    ]
    assert not form.non_field_errors()


def test_blank_phone_and_id_number_are_allowed():
    form = resident_form(phone="", id_number="")
    assert form.is_valid(), form.errors


def test_id_number_with_wrong_check_digit_is_an_error():
    good = valid_id(1980)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    form = resident_form(id_number=wrong)
    assert not form.is_valid()
    assert form.errors["id_number"] == [
        "The last character of the ID number does not match its check digit; please check it."
    ]


def test_id_number_with_lowercase_x_and_spaces_is_normalised():
    form = resident_form(id_number=" 110105 19491231 002x ", birth_year="1949")
    assert form.is_valid(), form.errors
    assert form.save().id_number == "11010519491231002X"


def test_birth_year_that_contradicts_the_id_number_is_an_error():
    form = resident_form(id_number=valid_id(1980), birth_year="1981")
    assert not form.is_valid()
    assert form.errors["birth_year"] == ["The ID number says 1980; the year of birth says 1981."]


def test_birth_year_matching_the_id_number_is_fine():
    form = resident_form(id_number=valid_id(1980), birth_year="1980")
    assert form.is_valid(), form.errors


def test_birth_year_in_the_future_is_an_error():
    next_year = datetime.date.today().year + 1
    form = resident_form(birth_year=str(next_year))
    assert not form.is_valid()
    assert form.errors["birth_year"] == ["The year of birth cannot be in the future."]


def test_personal_fields_are_absent_without_show_personal():
    form = resident_form(show_personal=False)
    assert not {"phone", "id_number", "is_party_member", "care_notes"} & set(form.fields)
    assert not {"clear_phone", "clear_id_number"} & set(form.fields)
    assert {"name", "gender", "birth_year", "is_volunteer"} <= set(form.fields)


def test_personal_fields_posted_without_show_personal_change_nothing(register):
    resident = register.resident_a1
    phone, id_number, care = resident.phone, resident.id_number, resident.care_notes
    form = resident_form(
        show_personal=False,
        instance=resident,
        name="李华玉",
        birth_year="1962",
        phone="13900000000",
        id_number="",
        care_notes="",
    )
    assert form.is_valid(), form.errors
    form.save()
    resident.refresh_from_db()
    assert (resident.phone, resident.id_number, resident.care_notes) == (phone, id_number, care)


def test_duplicate_id_number_is_a_form_error_not_an_exception(register):
    form = resident_form(id_number=register.resident_a1.id_number, birth_year="1962")
    assert not form.is_valid()
    assert form.errors
    assert Resident.objects.filter(id_number=register.resident_a1.id_number).count() == 1


def test_duplicate_id_number_error_is_next_to_the_id_number_field(register):
    # A generic "Constraint ... is violated" at the top of the form tells staff nothing.
    form = resident_form(id_number=register.resident_a1.id_number, birth_year="1962")
    assert not form.is_valid()
    assert "id_number" in form.errors


def test_editing_a_resident_keeps_their_own_id_number(register):
    resident = register.resident_a1
    form = resident_form(
        instance=resident, name="李华玉", birth_year="1962", id_number=resident.id_number
    )
    assert form.is_valid(), form.errors


def test_new_resident_form_asks_for_the_relation():
    form = NewResidentForm({"name": "王桂芝"}, show_personal=True, user=administrator())
    assert not form.is_valid()
    assert "relation" in form.errors
    assert list(form.fields)[:2] == ["name", "relation"]
