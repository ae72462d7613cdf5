"""The resident's own home page (the residents' door): their record and households as the
register holds them, numbers masked as a committee member sees them."""

import pytest
from django.urls import reverse

from residents.models import Membership
from tests.factories import (
    HouseholdFactory,
    MembershipFactory,
    ResidentAccountFactory,
    ResidentFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def resident_client(resident_user, log_in):
    return log_in(resident_user)


def test_a_resident_sees_their_household_and_its_members_with_numbers_masked(
    register, resident_client
):
    r = register
    son = ResidentFactory(name="李明", birth_year=1990, phone="13911112222")
    MembershipFactory(resident=son, household=r.household_a1, relation=Membership.Relation.FAMILY)
    page = resident_client.get(reverse("door:home")).content.decode()
    assert "My home" in page
    assert "Building 18, unit 2, door 301" in page
    assert "庆丰小区 · 庆丰一号院" in page
    assert "68.50 m²" in page
    assert "(that is you)" in page
    assert "李明" in page and "Family member" in page and "139****2222" in page
    assert "138****5678" in page
    assert r.resident_a1.masked_id_number in page
    # Full numbers, care notes and party membership are not what a committee member sees.
    for hidden in (
        "13812345678",
        r.resident_a1.id_number,
        "13911112222",
        "独居老人",
        "Party member",
    ):
        assert hidden not in page
    # Nor is anything of another household.
    assert "赵湘黔" not in page and "武莉华" not in page


def test_the_door_shows_the_residents_navigation_and_no_staff_page(resident_client):
    page = resident_client.get(reverse("door:home")).content.decode()
    assert 'class="door"' in page
    for url in (reverse("door:home"), reverse("requests:mine"), reverse("notices:mine")):
        assert f'href="{url}"' in page
    for staff_page in ("residents:resident_list", "dashboard", "requests:list", "admin:index"):
        assert f'href="{reverse(staff_page)}"' not in page
    assert 'aria-current="page">My home' in page


def test_ask_for_a_correction_offers_each_field_and_names_the_household(register, resident_client):
    page = resident_client.get(reverse("door:home")).content.decode()
    assert f'action="{reverse("requests:mine_new")}"' in page
    assert f'name="household" value="{register.household_a1.pk}"' in page
    assert '<option value="phone">My mobile phone number</option>' in page
    assert '<option value="area">The household&#x27;s exclusive area</option>' in page


def test_the_front_page_takes_a_resident_to_their_door(resident_client):
    response = resident_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("door:home")


def test_staff_committee_members_and_administrators_have_no_door(
    staff_client, member_a, admin_client, log_in
):
    assert staff_client.get(reverse("door:home")).status_code == 403
    assert log_in(member_a).get(reverse("door:home")).status_code == 403
    assert admin_client.get(reverse("door:home")).status_code == 403


def test_moving_out_ends_the_accounts_reach_into_the_household(register, resident_client):
    Membership.objects.filter(pk=register.membership_a1.pk).delete()
    page = resident_client.get(reverse("door:home")).content.decode()
    assert "No home on the register" in page
    assert "301" not in page and "68.50" not in page
    # Signing in still works: the resident's own record stays theirs to read.
    assert "李华玉" in page and "138****5678" in page


def test_a_resident_of_two_households_sees_both(register, resident_user, log_in):
    MembershipFactory(
        resident=register.resident_a1,
        household=register.household_a2,
        relation=Membership.Relation.CO_OWNER,
    )
    page = log_in(resident_user).get(reverse("door:home")).content.decode()
    assert "Building 18, unit 2, door 301" in page
    assert "Building 17, unit 3, door 502" in page
    assert "武莉华" in page and "Co-owner" in page


def test_the_home_page_reads_in_a_fixed_number_of_queries(
    register, resident_user, log_in, django_assert_num_queries
):
    r = register
    for n in range(3):
        household = HouseholdFactory(unit=UnitFactory(building=r.building_a1, number=f"{5 + n}"))
        MembershipFactory(resident=r.resident_a1, household=household)
        for _ in range(6):
            MembershipFactory(household=household, relation=Membership.Relation.FAMILY)
    client = log_in(resident_user)
    # session, user, grants, account, households, their members
    with django_assert_num_queries(6):
        page = client.get(reverse("door:home")).content.decode()
    assert page.count("Who lives here") == 4


def test_another_residents_account_sees_only_their_own_home(register, log_in):
    user = UserFactory(username="xianggian_at_home")
    ResidentAccountFactory(user=user, resident=register.resident_b)
    page = log_in(user).get(reverse("door:home")).content.decode()
    assert "赵湘黔" in page and "Building 5, unit 1, door 101" in page
    assert "李华玉" not in page
