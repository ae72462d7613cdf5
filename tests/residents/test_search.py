"""The resident search reads back what the pages display (issue 23, "Searches that find
nothing"): a household as the lists show it (18-2-301, 18栋2单元301, …), a phone number
with spaces or dashes, a name with a space. A committee member, who sees numbers masked
(138****5678), finds by the four digits the mask shows and never by hidden ones.

In the register (tests/conftest.py): 李华玉 13812345678 lives at 庆丰小区 18-2-301,
武莉华 13987654321 at 庆丰小区 17-3-502 (both compound A, community A), 赵湘黔
13700001111 at 黔灵小区 5-1-101 (compound B, community B). member_a serves compound A;
staff_user is neighbourhood-committee staff of community A.
"""

import datetime
import re

import pytest
from django.urls import reverse

from meetings.models import Purpose, Visit
from residents.models import CareRecord, Household, Resident
from residents.register.search import Phone, Place, SearchQuery, parse
from tests.factories import BallotFactory, HouseholdFactory, MembershipFactory, ResidentFactory
from tests.requests.factories import ResidentRequestFactory

pytestmark = pytest.mark.django_db


def found(client, q) -> list[str]:
    """The names the resident list finds for `q`, in order."""
    response = client.get(reverse("residents:resident_list"), {"q": q})
    assert response.status_code == 200
    page = response.content.decode()
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', page)


@pytest.fixture
def other_301(register):
    """Another door 301 in compound A (building 17, unit 3): the door number alone finds
    both, the place finds one."""
    household = HouseholdFactory(unit=register.unit_a2, door_number="301")
    return MembershipFactory(household=household, resident__name="王桂芝", resident__phone="")


# A committee member's phone-tail search


def test_committee_member_finds_a_resident_of_their_compound_by_the_last_four_digits(
    member_client, register
):
    response = member_client.get(reverse("residents:resident_list"), {"q": "5678"})
    assert found(member_client, "5678") == ["李华玉"]
    # what the member sees on the screen: the masked number, the tail they typed
    assert "138****5678" in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_committee_members_tail_search_never_finds_a_resident_outside_their_part(
    member_client, register
):
    ResidentFactory(name="陈立", phone="13600005678")  # same tail, on no household
    outside = MembershipFactory(
        household=register.household_b, resident__name="钱芳", resident__phone="15900005678"
    )
    assert found(member_client, "5678") == ["李华玉"]
    assert found(member_client, "1111") == []  # 赵湘黔's tail, in compound B
    assert outside.resident.name not in found(member_client, "5678")


def test_courtyard_member_finds_by_tail_only_within_their_courtyard(courtyard_client, register):
    assert found(courtyard_client, "5678") == ["李华玉"]
    assert found(courtyard_client, "4321") == []  # 武莉华 lives in the other courtyard


@pytest.mark.parametrize(
    "hidden",
    [
        "45678",  # one hidden digit more than the mask shows
        "12345678",  # 8 digits
        "13812345678",  # the whole number
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
    ],
)
def test_committee_member_cannot_probe_the_hidden_digits_of_a_masked_number(
    member_client, register, hidden
):
    # Searching more digits than the mask shows answers as for a number nobody has.
    nobody = "".join("9" if c.isdigit() else c for c in hidden)
    assert found(member_client, hidden) == found(member_client, nobody) == []


def test_committee_member_finds_by_the_masked_number_shown_on_their_screen(member_client, register):
    assert found(member_client, "138****5678") == ["李华玉"]
    assert found(member_client, "139****5678") == []


def test_the_hint_promises_a_committee_member_only_the_last_four_digits(
    member_client, staff_client, register
):
    member_page = member_client.get(reverse("residents:resident_list")).content.decode()
    assert "the last four digits of a phone number" in member_page
    assert "four or more" not in member_page
    staff_page = staff_client.get(reverse("residents:resident_list")).content.decode()
    assert "a phone number or its last four or more digits" in staff_page


# Staff find by the whole number, however it is written


@pytest.mark.parametrize(
    "typed", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "12345678"]
)
def test_staff_find_a_resident_by_the_whole_number_with_spaces_or_dashes(
    staff_client, register, typed
):
    assert found(staff_client, typed) == ["李华玉"]


def test_staff_do_not_find_residents_of_another_community_by_phone(staff_client, register):
    assert found(staff_client, "137 0000 1111") == []
    assert found(staff_client, "1111") == []


# A household as the pages show it


@pytest.mark.parametrize(
    "typed",
    [
        "18-2-301",  # the resident list
        "庆丰小区 18-2-301",  # the resident list, with the compound
        "18 - 2 - 301",
        "18栋2单元301",  # pages in Chinese
        "18栋2单元301室",
        "庆丰小区18栋2单元301",  # a household's name in Chinese
        "18号楼2单元301",
        "庆丰小区 building 18 unit 2, 301",  # a household's name in English
        "Building 18, unit 2, door 301",  # a consent record's heading
        "１８－２－３０１",  # typed with a Chinese input method's full-width characters
    ],
)
def test_member_finds_a_household_by_its_place_as_the_pages_show_it(
    member_client, register, other_301, typed
):
    assert found(member_client, typed) == ["李华玉"]


def test_a_door_number_alone_finds_every_door_of_that_number(member_client, register, other_301):
    assert found(member_client, "301") == ["李华玉", "王桂芝"]
    assert found(member_client, "301室") == ["李华玉", "王桂芝"]
    assert found(member_client, "301 室") == ["李华玉", "王桂芝"]


def test_unit_and_door_as_the_consent_grid_shows_them(member_client, register, other_301):
    assert found(member_client, "2-301") == ["李华玉"]
    assert found(member_client, "3-301") == ["王桂芝"]


def test_a_building_or_a_unit_finds_its_residents(member_client, register, other_301):
    assert found(member_client, "18栋") == ["李华玉"]
    assert set(found(member_client, "17栋3单元")) == {"王桂芝", "武莉华"}


def test_a_place_outside_the_users_part_finds_nobody(member_client, register):
    assert found(member_client, "5-1-101") == []
    assert found(member_client, "黔灵小区5栋1单元101") == []


def test_a_place_that_does_not_exist_finds_nobody(member_client, register):
    assert found(member_client, "18-3-301") == []
    assert found(member_client, "黔灵小区 18-2-301") == []


# Names


@pytest.mark.parametrize("typed", ["李 华玉", "李华 玉", " 李　华玉 "])
def test_a_name_typed_with_a_space_finds_the_resident(member_client, register, typed):
    assert found(member_client, typed) == ["李华玉"]


def test_a_name_with_digits_is_still_a_name(member_client, register):
    MembershipFactory(household=register.household_a1, resident__name="张三2024")
    assert found(member_client, "张三") == ["张三2024"]
    assert found(member_client, "2024") == []


# Reading what was typed (residents.register.search.parse)


@pytest.mark.parametrize(
    "typed, place",
    [
        ("7-1-601", Place(building="7", unit="1", door="601")),
        ("庆丰小区 7-1-601", Place("庆丰小区", "7", "1", "601")),
        ("7栋1单元601", Place(building="7", unit="1", door="601")),
        ("7栋1单元601室", Place(building="7", unit="1", door="601")),
        ("7 栋 1 单元 601 室", Place(building="7", unit="1", door="601")),
        ("7号楼1单元", Place(building="7", unit="1")),
        ("庆丰一号院7栋", Place("庆丰一号院", "7")),
        ("601 室", Place(door="601")),
        ("庆丰小区 building 7 unit 1, 601", Place("庆丰小区", "7", "1", "601")),
        ("Building 7, unit 1, door 601", Place(building="7", unit="1", door="601")),
        ("Door 601", Place(door="601")),
        ("A7-2-301B", Place(building="A7", unit="2", door="301B")),
    ],
)
def test_a_place_is_read_as_the_pages_write_it(typed, place):
    query = parse(typed)
    assert query.places == (place,)
    assert (query.name, query.phone) == ("", None)


def test_two_parts_are_a_unit_and_door_or_a_building_and_unit():
    assert parse("2-301").places == (Place(unit="2", door="301"), Place(building="2", unit="301"))


@pytest.mark.parametrize(
    "typed",
    ["18653238787", "186 5323 8787", "186-5323-8787", "+86 186 5323 8787", "0086 18653238787"],
)
def test_a_whole_phone_number_is_read_however_it_is_grouped(typed):
    query = parse(typed)
    assert query.phone == Phone("18653238787")
    assert not query.phone.shows_no_more_than_a_mask
    assert query.name == ""


def test_a_masked_number_gives_the_digits_the_mask_shows():
    query = parse("186****8787")
    assert query.phone == Phone("8787", head="186")
    assert query.phone.shows_no_more_than_a_mask
    assert query.places == ()


def test_digits_alone_are_a_door_number_and_a_phone_tail_never_a_name():
    assert parse("8787") == SearchQuery("8787", phone=Phone("8787"), places=(Place(door="8787"),))
    assert parse("601") == SearchQuery("601", places=(Place(door="601"),))
    assert parse("5323 8787").phone == Phone("53238787")


@pytest.mark.parametrize(
    "typed, name",
    [
        ("黄 杰鑫", "黄杰鑫"),
        ("黄杰 鑫", "黄杰鑫"),
        ("John  Smith", "John Smith"),
        ("张三2024", "张三2024"),
    ],
)
def test_a_name_is_read_as_it_is_stored(typed, name):
    query = parse(typed)
    assert query.name == name
    assert query.phone is None


def test_full_width_characters_and_nul_are_read_as_ascii():
    assert parse("７－１－６０１").places == (Place(building="7", unit="1", door="601"),)
    assert parse("  \x00 ") == SearchQuery()
    assert not parse("   ")


# The queryset: what each scope allows


def test_the_last_four_digits_are_searched_among_the_tail_households(register):
    compound_a = Household.objects.filter(unit__building__compound=register.compound_a)
    search = Resident.objects.search
    assert set(search("5678", tail_households=compound_a)) == {register.resident_a1}
    assert set(search("1111", tail_households=compound_a)) == set()
    # more digits only where full numbers are seen
    assert set(search("45678", tail_households=compound_a)) == set()
    assert set(search("45678", phone_households=compound_a)) == {register.resident_a1}


# The admin's search (and its autocompletes) read the same


def changelist(client, model, q, app="residents"):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": q})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_admin_finds_a_household_by_its_place(admin_client, register, other_301):
    for typed in ["18-2-301", "庆丰小区18栋2单元301", "庆丰小区 building 18 unit 2, 301"]:
        assert changelist(admin_client, "household", typed) == [register.household_a1], typed
    assert len(changelist(admin_client, "household", "301")) == 2


def test_admin_household_autocomplete_finds_a_household_by_its_place(
    admin_client, register, other_301
):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "18-2-301",
            "app_label": "residents",
            "model_name": "membership",
            "field_name": "household",
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(register.household_a1.pk)]


@pytest.mark.parametrize(
    "typed", ["138-1234-5678", "+86 138 1234 5678", "138****5678", "18-2-301", "李 华玉"]
)
def test_admin_finds_a_resident_as_the_pages_show_them(admin_client, register, other_301, typed):
    assert changelist(admin_client, "resident", typed) == [register.resident_a1]


def test_admin_still_finds_a_resident_by_part_of_their_numbers(admin_client, register):
    assert changelist(admin_client, "resident", "1234") == [register.resident_a1]
    id_part = register.resident_a2.id_number[6:14]
    assert changelist(admin_client, "resident", id_part) == [register.resident_a2]


def test_admin_finds_a_membership_by_its_households_place(admin_client, register, other_301):
    assert changelist(admin_client, "membership", "18栋2单元301") == [register.membership_a1]


def at_household(model, household, register):
    """A row of `model` about `household`."""
    if model == "visit":
        return Visit.objects.create(
            household=household, visited_on=datetime.date(2022, 11, 18), purpose=Purpose.OPINION
        )
    if model == "ballot":
        return BallotFactory(household=household)
    if model == "residentrequest":
        return ResidentRequestFactory(
            compound=register.compound_a, building=household.unit.building, household=household
        )
    return CareRecord.objects.create(
        community=register.community_a,
        resident=household.memberships.first().resident,
        household=household,
        circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
        started_on=datetime.date(2022, 1, 1),
    )


@pytest.mark.parametrize(
    "app, model",
    [
        ("meetings", "visit"),
        ("committees", "ballot"),
        ("committees", "residentrequest"),
        ("residents", "carerecord"),
    ],
)
def test_admin_finds_a_households_rows_by_its_place(admin_client, register, other_301, app, model):
    row = at_household(model, register.household_a1, register)
    at_household(model, other_301.household, register)
    assert changelist(admin_client, model, "18-2-301", app=app) == [row]


def test_a_long_text_is_read_as_a_name_only_and_quickly():
    typed = "1" * 3000 + "栋x"
    assert parse(typed) == SearchQuery(typed, name=typed)
