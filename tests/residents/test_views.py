import datetime
import re
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from residents.models import Household, Membership, Resident
from residents.register.views import ResidentListView
from tests.factories import (
    PASSWORD,
    AccessGrantFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every page of the register, on compound A's records.
PAGES = {
    "home": lambda r: reverse("home"),
    "compound": lambda r: reverse("residents:compound", args=[r.compound_a.pk]),
    "building": lambda r: reverse("residents:building", args=[r.building_a1.pk]),
    "unit": lambda r: reverse("residents:unit", args=[r.unit_a1.pk]),
    "household_create": lambda r: reverse("residents:household_create", args=[r.unit_a1.pk]),
    "household": lambda r: reverse("residents:household", args=[r.household_a1.pk]),
    "household_edit": lambda r: reverse("residents:household_edit", args=[r.household_a1.pk]),
    "resident_create": lambda r: reverse("residents:resident_create", args=[r.household_a1.pk]),
    "resident_list": lambda r: reverse("residents:resident_list"),
    "resident": lambda r: reverse("residents:resident", args=[r.resident_a1.pk]),
    "resident_edit": lambda r: reverse("residents:resident_edit", args=[r.resident_a1.pk]),
}

# Every page about one of compound B's records.
COMPOUND_B_PAGES = {
    "compound": lambda r: reverse("residents:compound", args=[r.compound_b.pk]),
    "building": lambda r: reverse("residents:building", args=[r.building_b.pk]),
    "unit": lambda r: reverse("residents:unit", args=[r.unit_b.pk]),
    "household_create": lambda r: reverse("residents:household_create", args=[r.unit_b.pk]),
    "household": lambda r: reverse("residents:household", args=[r.household_b.pk]),
    "household_edit": lambda r: reverse("residents:household_edit", args=[r.household_b.pk]),
    "resident_create": lambda r: reverse("residents:resident_create", args=[r.household_b.pk]),
    "resident": lambda r: reverse("residents:resident", args=[r.resident_b.pk]),
    "resident_edit": lambda r: reverse("residents:resident_edit", args=[r.resident_b.pk]),
}


def text(response) -> str:
    return response.content.decode()


def history_section(response) -> str:
    match = re.search(r'<ol class="history">(.*?)</ol>', text(response), re.S)
    assert match, "no Changes section"
    return match.group(1)


def resident_post(resident, **changes):
    """The resident form's data as it stands, with `changes`."""
    data = {
        "name": resident.name,
        "gender": resident.gender,
        "birth_year": resident.birth_year or "",
        "phone": resident.phone,
        "id_number": resident.id_number,
        "care_notes": resident.care_notes,
    }
    if resident.is_party_member:
        data["is_party_member"] = "on"
    if resident.is_volunteer:
        data["is_volunteer"] = "on"
    return data | changes


# Who may open what


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, register, page):
    url = PAGES[page](register)
    response = client.get(url)
    assertRedirects(response, f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("page", PAGES)
def test_user_without_a_role_is_not_allowed(outsider_client, register, page):
    response = outsider_client.get(PAGES[page](register))
    assertContains(response, "Not allowed", status_code=403)
    assertNotContains(response, "李华玉", status_code=403)


@pytest.mark.parametrize("page", COMPOUND_B_PAGES)
def test_member_of_compound_a_cannot_open_compound_b_pages(member_client, register, page):
    response = member_client.get(COMPOUND_B_PAGES[page](register))
    assertContains(response, "Not found", status_code=404)
    assertNotContains(response, "赵湘黔", status_code=404)
    assertNotContains(response, "黔灵小区", status_code=404)


@pytest.mark.parametrize("page", PAGES)
def test_member_of_compound_a_opens_every_page_of_compound_a(member_client, register, page):
    response = member_client.get(PAGES[page](register))
    assertContains(response, "庆丰小区" if page != "resident_edit" else "李华玉")
    assertNotContains(response, "黔灵小区")


def test_member_cannot_change_compound_b_household_by_posting(member_client, register):
    url = reverse("residents:household_edit", args=[register.household_b.pk])
    response = member_client.post(url, {"door_number": "999", "area": "1", "occupancy": "vacant"})
    assertContains(response, "Not found", status_code=404)
    register.household_b.refresh_from_db()
    assert register.household_b.door_number == "101"


def test_member_cannot_change_compound_b_resident_by_posting(member_client, register):
    url = reverse("residents:resident_edit", args=[register.resident_b.pk])
    response = member_client.post(url, {"name": "改名"})
    assertContains(response, "Not found", status_code=404)
    register.resident_b.refresh_from_db()
    assert register.resident_b.name == "赵湘黔"


def test_member_cannot_add_a_resident_to_compound_b(member_client, register):
    url = reverse("residents:resident_create", args=[register.household_b.pk])
    response = member_client.post(url, {"name": "王桂芝", "relation": "owner"})
    assertContains(response, "Not found", status_code=404)
    assert not Resident.objects.filter(name="王桂芝").exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda r: reverse("residents:building", args=[r.building_a2.pk]),
        lambda r: reverse("residents:unit", args=[r.unit_a2.pk]),
        lambda r: reverse("residents:household", args=[r.household_a2.pk]),
        lambda r: reverse("residents:resident", args=[r.resident_a2.pk]),
        lambda r: reverse("residents:household_edit", args=[r.household_a2.pk]),
    ],
    ids=["building", "unit", "household", "resident", "household_edit"],
)
def test_courtyard_member_cannot_open_the_other_courtyard(courtyard_client, register, url):
    response = courtyard_client.get(url(register))
    assertContains(response, "Not found", status_code=404)
    assertNotContains(response, "武莉华", status_code=404)


def test_staff_cannot_open_another_communitys_household(staff_client, register):
    url = reverse("residents:household", args=[register.household_b.pk])
    assertContains(staff_client.get(url), "Not found", status_code=404)


def test_ended_grant_no_longer_opens_the_register(register, log_in):
    today = timezone.localdate()
    user = AccessGrantFactory(
        compound=register.compound_a,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=1),
    ).user
    response = log_in(user).get(reverse("home"))
    assertContains(response, "Not allowed", status_code=403)


def test_missing_record_is_not_found(staff_client, register):
    response = staff_client.get(reverse("residents:household", args=[999999]))
    assertContains(response, "Not found", status_code=404)


# Logging in and out, and the language


def test_login_page_shows_the_form(client, db):
    response = client.get(reverse("login"))
    assertContains(response, "Log in")
    assertContains(response, 'name="username"')
    assertContains(response, 'name="password"')


def test_logging_in_leads_to_the_overview(client, staff_user):
    response = client.post(
        reverse("login"), {"username": "liaoshuying", "password": PASSWORD}, follow=True
    )
    assertRedirects(response, reverse("home"))
    assertContains(response, "庆丰小区")
    assertContains(response, "Log out")


def test_logging_in_returns_to_the_page_asked_for(client, staff_user, register):
    url = reverse("residents:household", args=[register.household_a1.pk])
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": "liaoshuying", "password": PASSWORD, "next": url},
    )
    assertRedirects(response, url)


def test_wrong_password_shows_an_error(client, staff_user):
    response = client.post(reverse("login"), {"username": "liaoshuying", "password": "wrong"})
    assertContains(response, "Please enter a correct username and password")
    assert "_auth_user_id" not in client.session


def test_logged_in_user_is_sent_on_from_the_login_page(staff_client):
    assertRedirects(staff_client.get(reverse("login")), reverse("home"))


def test_logging_out_leads_to_the_login_page(staff_client):
    response = staff_client.post(reverse("logout"))
    assertRedirects(response, reverse("login"))
    assertRedirects(staff_client.get(reverse("home")), f"{reverse('login')}?next=/")


def test_language_switch_turns_the_pages_english(client, staff_user, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(staff_user)
    assertContains(client.get(reverse("home")), '<html lang="zh-hans">')

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assertRedirects(response, reverse("home"))

    response = client.get(reverse("home"))
    assertContains(response, '<html lang="en">')
    assertContains(response, "Overview")
    assertContains(response, "Log out")


def test_language_switch_works_before_logging_in(client, db, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"))
    assertContains(response, '<html lang="en">')
    assertContains(response, "Committee members, staff and residents with an account.")


# The pages show the right rows


def test_home_shows_the_compounds_the_staff_member_may_see(staff_client, register):
    response = staff_client.get(reverse("home"))
    assertContains(response, "金仓社区")
    assertContains(response, "庆丰小区")
    assertNotContains(response, "黔灵小区")
    assert response.context["totals"]["n_households"] == 2
    assert response.context["totals"]["n_residents"] == 2


def test_home_shows_every_compound_to_the_admin(admin_client, register):
    response = admin_client.get(reverse("home"))
    assertContains(response, "庆丰小区")
    assertContains(response, "黔灵小区")
    assertContains(response, reverse("admin:index"))


def test_home_counts_only_the_courtyard_for_a_courtyard_member(courtyard_client, register):
    response = courtyard_client.get(reverse("home"))
    assertContains(response, "庆丰小区")
    (compound,) = response.context["compounds"]
    assert (compound.n_buildings, compound.n_households, compound.n_residents) == (1, 1, 1)


def test_compound_page_lists_buildings_by_courtyard(member_client, register):
    response = member_client.get(reverse("residents:compound", args=[register.compound_a.pk]))
    assertContains(response, "<h1>庆丰小区</h1>", html=True)
    assertContains(response, "庆丰一号院")
    assertContains(response, "庆丰二号院")
    assertContains(response, "Building 18")
    assertContains(response, "Building 17")
    assertContains(response, reverse("residents:building", args=[register.building_a1.pk]))


def test_compound_page_shows_a_courtyard_member_only_their_buildings(courtyard_client, register):
    response = courtyard_client.get(reverse("residents:compound", args=[register.compound_a.pk]))
    assertContains(response, "Building 18")
    assertContains(response, "庆丰一号院")
    assertNotContains(response, "Building 17")
    assertNotContains(response, "庆丰二号院")


def test_building_page_lists_its_units_with_counts(member_client, register):
    HouseholdFactory(unit=register.unit_a1, door_number="302")
    response = member_client.get(reverse("residents:building", args=[register.building_a1.pk]))
    assertContains(response, "<h1>Building 18</h1>", html=True)
    assertContains(response, "Unit 2")
    assertContains(response, "2 households")
    assertContains(response, "1 resident")
    assertNotContains(response, "Unit 3")


def test_unit_page_lists_households_and_their_residents(member_client, register):
    response = member_client.get(reverse("residents:unit", args=[register.unit_a1.pk]))
    assertContains(response, "301")
    assertContains(response, "68.50")
    assertContains(response, "李华玉")
    assertContains(response, "Owner")
    assertNotContains(response, "武莉华")
    assertContains(response, reverse("residents:household_create", args=[register.unit_a1.pk]))


def test_household_page_lists_its_residents_with_masked_phones(member_client, register):
    MembershipFactory(
        household=register.household_a2,
        resident__name="武建国",
        resident__phone="13600002222",
        relation=Membership.Relation.FAMILY,
    )
    response = member_client.get(reverse("residents:household", args=[register.household_a2.pk]))
    assertContains(response, "Household 502")
    assertContains(response, "武莉华")
    assertContains(response, "武建国")
    assertContains(response, "Family member")
    assertContains(response, "139****4321")
    assertContains(response, "136****2222")
    assertNotContains(response, "13987654321")
    assertNotContains(response, "李华玉")


# Party membership is personal information: staff of the resident's community see it,
# committee members do not, even within their own part (李华玉 is a party member).

PARTY_BADGE = '<span class="badge party">'


@pytest.mark.parametrize(
    "page",
    [
        lambda r: reverse("residents:resident_list"),
        lambda r: reverse("residents:household", args=[r.household_a1.pk]),
        lambda r: reverse("residents:resident", args=[r.resident_a1.pk]),
    ],
    ids=["resident_list", "household", "resident"],
)
def test_party_membership_is_shown_to_staff_but_not_to_committee_members(
    staff_client, member_client, courtyard_client, register, page
):
    url = page(register)
    assertContains(staff_client.get(url), PARTY_BADGE, count=1)
    for client in (member_client, courtyard_client):
        response = client.get(url)
        assertContains(response, "李华玉")
        assertNotContains(response, PARTY_BADGE)
        assertNotContains(response, "Party member")


def test_staff_elsewhere_on_a_compound_committee_are_not_shown_party_membership(register, log_in):
    user = AccessGrantFactory(staff=True, community=register.community_b).user
    AccessGrantFactory(user=user, compound=register.compound_a)
    client = log_in(user)
    for url in (
        reverse("residents:resident_list"),
        reverse("residents:household", args=[register.household_a1.pk]),
    ):
        response = client.get(url)
        assertContains(response, "李华玉")
        assertNotContains(response, PARTY_BADGE)


def test_the_admin_is_shown_party_membership_in_the_list(admin_client, register):
    assertContains(admin_client.get(reverse("residents:resident_list")), PARTY_BADGE, count=1)


def test_household_page_masks_phones_for_staff_too(staff_client, register):
    response = staff_client.get(reverse("residents:household", args=[register.household_a1.pk]))
    assertContains(response, "138****5678")
    assertNotContains(response, "13812345678")


def test_resident_list_shows_visible_residents_with_their_households(member_client, register):
    response = member_client.get(reverse("residents:resident_list"))
    assertContains(response, "李华玉")
    assertContains(response, "武莉华")
    assertContains(response, "庆丰小区 18-2-301")
    assertContains(response, "庆丰小区 17-3-502")
    assertContains(response, "2 residents")
    assertNotContains(response, "赵湘黔")


def test_resident_list_masks_phone_numbers(staff_client, register):
    response = staff_client.get(reverse("residents:resident_list"))
    assertContains(response, "138****5678")
    assertContains(response, "139****4321")
    assertNotContains(response, "13812345678")
    assertNotContains(response, "13987654321")
    assert re.search(r"1\d\d\*{4}\d{4}", text(response))


def test_resident_list_shows_a_member_no_household_outside_their_compound(member_client, register):
    # 李华玉 also owns a flat in compound B: the member of compound A may see her,
    # but not where she lives in compound B.
    MembershipFactory(resident=register.resident_a1, household=register.household_b)
    response = member_client.get(reverse("residents:resident_list"))
    assertContains(response, "李华玉")
    assertNotContains(response, "黔灵小区")
    assertNotContains(response, reverse("residents:household", args=[register.household_b.pk]))


def test_resident_page_shows_a_member_no_household_outside_their_compound(member_client, register):
    MembershipFactory(resident=register.resident_a1, household=register.household_b)
    response = member_client.get(reverse("residents:resident", args=[register.resident_a1.pk]))
    assertContains(response, "庆丰小区 building 18 unit 2, 301")
    assertNotContains(response, "黔灵小区")


def test_resident_page_masks_personal_data_for_a_member(member_client, register):
    resident = register.resident_a1
    response = member_client.get(reverse("residents:resident", args=[resident.pk]))
    assertContains(response, "<h1>李华玉", html=False)
    assertNotContains(response, "Party member")  # personal information
    assertContains(response, "1962")
    assertContains(response, "138****5678")
    assertNotContains(response, "13812345678")
    assertContains(response, resident.masked_id_number)
    assertNotContains(response, resident.id_number)
    assertContains(response, "Phone and ID numbers are masked")


def test_care_notes_are_for_staff_only(member_client, staff_client, register):
    url = reverse("residents:resident", args=[register.resident_a1.pk])
    for_member = member_client.get(url)
    assertNotContains(for_member, "Care notes")
    assertNotContains(for_member, "独居老人")
    for_staff = staff_client.get(url)
    assertContains(for_staff, "Care notes")
    assertContains(for_staff, "独居老人，腿脚不便，每周探访一次。")


def test_resident_page_shows_staff_the_full_phone_and_id_number_when_asked(staff_client, register):
    resident = register.resident_a1
    url = reverse("residents:resident_reveal", args=[resident.pk])
    response = staff_client.post(url, {"reason": "contact"})
    assertContains(response, "13812345678")
    assertContains(response, resident.id_number)
    assertNotContains(response, "138****5678")
    assertNotContains(response, "Phone and ID numbers are masked")


def test_resident_page_shows_the_admin_the_full_phone_when_asked(admin_client, register):
    url = reverse("residents:resident_reveal", args=[register.resident_b.pk])
    response = admin_client.post(url, {"reason": "identity"})
    assertContains(response, "13700001111")
    assertContains(response, "低保户")


def test_admin_sees_personal_data_of_a_resident_without_household(admin_client):
    loner = ResidentFactory(phone="13600003333", care_notes="刚搬来，尚未登记住户。")
    url = reverse("residents:resident_reveal", args=[loner.pk])
    response = admin_client.post(url, {"reason": "contact"})
    assertContains(response, "Not tied to any household.")
    assertContains(response, "13600003333")
    assertContains(response, "刚搬来")


def test_staff_elsewhere_on_a_compound_committee_sees_no_personal_data_in_the_form(
    register, log_in
):
    # Staff in community B who also sits on compound A's committee: as a committee
    # member of compound A they see 李华玉's record, but not her phone or ID number.
    user = AccessGrantFactory(staff=True, community=register.community_b).user
    AccessGrantFactory(user=user, compound=register.compound_a)
    client = log_in(user)
    resident = register.resident_a1

    detail = client.get(reverse("residents:resident", args=[resident.pk]))
    assertContains(detail, "138****5678")
    assertNotContains(detail, "13812345678")

    form = client.get(reverse("residents:resident_edit", args=[resident.pk]))
    assertContains(form, "李华玉")
    assertNotContains(form, "13812345678")
    assertNotContains(form, resident.id_number)
    assertNotContains(form, "独居老人")


# Adding and editing through the forms


def test_staff_adds_a_household_to_a_unit(staff_client, register):
    url = reverse("residents:household_create", args=[register.unit_a1.pk])
    form = staff_client.get(url)
    assertContains(form, "Add a household")
    assertContains(form, 'name="door_number"')

    response = staff_client.post(
        url,
        {"door_number": "402", "area": "72.35", "occupancy": "rented", "notes": "租户刚搬入"},
        follow=True,
    )
    household = Household.objects.get(unit=register.unit_a1, door_number="402")
    assertRedirects(response, reverse("residents:household", args=[household.pk]))
    assertContains(response, "Household 402 saved.")
    assertContains(response, "72.35")
    assertContains(response, "Rented")
    assertContains(response, "租户刚搬入")


def test_household_with_a_taken_door_number_shows_an_error_and_saves_nothing(
    member_client, register
):
    before = Household.objects.count()
    response = member_client.post(
        reverse("residents:household_create", args=[register.unit_a1.pk]),
        {"door_number": "301", "area": "50", "occupancy": "owner"},
    )
    assertContains(response, "This unit already has a household with door number 301.")
    assert Household.objects.count() == before


def test_household_with_negative_area_shows_an_error_and_saves_nothing(member_client, register):
    before = Household.objects.count()
    response = member_client.post(
        reverse("residents:household_create", args=[register.unit_a1.pk]),
        {"door_number": "303", "area": "-5", "occupancy": "owner"},
    )
    assertContains(response, "Ensure this value is greater than or equal to 0.")
    assert Household.objects.count() == before


def test_member_edits_a_household(member_client, register):
    url = reverse("residents:household_edit", args=[register.household_a1.pk])
    form = member_client.get(url)
    assertContains(form, "Edit household 301")
    assertContains(form, 'value="68.50"')

    response = member_client.post(
        url,
        {"door_number": "301", "area": "70.00", "occupancy": "vacant", "notes": "", "version": 1},
    )
    assertRedirects(response, reverse("residents:household", args=[register.household_a1.pk]))
    register.household_a1.refresh_from_db()
    assert register.household_a1.occupancy == Household.Occupancy.VACANT
    assert str(register.household_a1.area) == "70.00"


def test_staff_adds_a_resident_with_their_relation_to_the_household(staff_client, register):
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    form = staff_client.get(url)
    assertContains(form, "Add a resident")
    assertContains(form, 'name="relation"')
    assertContains(form, 'name="phone"')

    response = staff_client.post(
        url,
        {
            "name": "王桂芝",
            "relation": "family",
            "gender": "F",
            "birth_year": "1938",
            "phone": "+86 138 0000 1234",
            "care_notes": "高龄，需定期探望。",
        },
        follow=True,
    )
    resident = Resident.objects.get(name="王桂芝")
    assertRedirects(response, reverse("residents:resident", args=[resident.pk]))
    assertContains(response, "王桂芝 saved.")
    assert resident.phone == "13800001234"
    membership = resident.memberships.get()
    assert membership.household == register.household_a1
    assert membership.relation == Membership.Relation.FAMILY
    assertContains(response, "Family member")


def test_resident_with_a_bad_phone_shows_an_error_and_saves_nothing(staff_client, register):
    residents, memberships = Resident.objects.count(), Membership.objects.count()
    history = Resident.history.count()
    response = staff_client.post(
        reverse("residents:resident_create", args=[register.household_a1.pk]),
        {"name": "王桂芝", "relation": "owner", "phone": "1380000123"},
    )
    assertContains(
        response,
        "Enter an 11-digit mainland mobile number starting with 13 to 19, e.g. 13812345678.",
    )
    assertContains(response, 'value="1380000123"')
    assert Resident.objects.count() == residents
    assert Membership.objects.count() == memberships
    assert Resident.history.count() == history


def test_resident_with_a_bad_id_number_shows_an_error_and_saves_nothing(staff_client, register):
    before = Resident.objects.count()
    bad = register.resident_a1.id_number[:17] + (
        "0" if register.resident_a1.id_number[17] != "0" else "1"
    )
    response = staff_client.post(
        reverse("residents:resident_create", args=[register.household_a1.pk]),
        {"name": "王桂芝", "relation": "owner", "id_number": bad},
    )
    assertContains(response, "does not match its check digit")
    assert Resident.objects.count() == before


def test_resident_with_a_taken_id_number_shows_an_error_and_saves_nothing(staff_client, register):
    before = Resident.objects.count(), Membership.objects.count()
    response = staff_client.post(
        reverse("residents:resident_create", args=[register.household_a2.pk]),
        {"name": "李华玉", "relation": "owner", "id_number": register.resident_a1.id_number},
    )
    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assert (Resident.objects.count(), Membership.objects.count()) == before


def test_members_resident_form_has_no_personal_fields(member_client, register):
    response = member_client.get(reverse("residents:resident_edit", args=[register.resident_a1.pk]))
    assertContains(response, "Edit 李华玉")
    assertContains(response, 'name="name"')
    assertNotContains(response, 'name="phone"')
    assertNotContains(response, 'name="id_number"')
    assertNotContains(response, 'name="care_notes"')
    assertNotContains(response, 'name="is_party_member"')
    assertNotContains(response, "13812345678")
    assertNotContains(response, "独居老人")
    assertContains(response, "Phone, ID number, party membership and care notes are kept by")


def test_staffs_resident_form_has_the_personal_fields(staff_client, register):
    response = staff_client.get(reverse("residents:resident_edit", args=[register.resident_a1.pk]))
    assertContains(response, 'name="phone"')
    assertNotContains(response, 'value="13812345678"')  # kept, not shown
    assertContains(response, 'name="is_party_member"')
    assertContains(response, 'name="care_notes"')


def test_member_posting_personal_fields_changes_nothing_of_them(member_client, register):
    resident = register.resident_a1
    before = (resident.phone, resident.id_number, resident.care_notes)
    response = member_client.post(
        reverse("residents:resident_edit", args=[resident.pk]),
        {
            "name": "李华玉",
            "gender": "F",
            "birth_year": "1963",
            "is_party_member": "on",
            "phone": "13900000000",
            "id_number": "",
            "care_notes": "",
        },
    )
    assertRedirects(response, reverse("residents:resident", args=[resident.pk]))
    resident.refresh_from_db()
    assert resident.birth_year == 1963
    assert (resident.phone, resident.id_number, resident.care_notes) == before


def test_member_adding_a_resident_cannot_set_personal_fields(member_client, register):
    member_client.post(
        reverse("residents:resident_create", args=[register.household_a1.pk]),
        {"name": "王桂芝", "relation": "tenant", "phone": "13900000000", "care_notes": "x"},
    )
    resident = Resident.objects.get(name="王桂芝")
    assert (resident.phone, resident.care_notes) == ("", "")
    assert resident.memberships.get().relation == Membership.Relation.TENANT


# Search and pagination


def search(client, q, **headers):
    return client.get(reverse("residents:resident_list"), {"q": q}, **headers)


def test_search_by_name(member_client, register):
    response = search(member_client, "华玉")
    assertContains(response, "李华玉")
    assertNotContains(response, "武莉华")
    assertContains(response, 'value="华玉"')
    assertContains(response, "1 resident")


def test_search_by_phone_tail(staff_client, register):
    response = search(staff_client, "4321")
    assertContains(response, "武莉华")
    assertNotContains(response, "李华玉")


def test_committee_member_searches_phones_by_the_last_four_digits_only(member_client, register):
    # The four digits the mask shows (139****4321) find; adding digits one by one to a tail
    # would uncover the masked middle of the number.
    assertContains(search(member_client, "4321"), "武莉华")
    assertNotContains(search(member_client, "54321"), "武莉华")


def test_staff_open_a_resident_without_recorded_changes(staff_client, register):
    resident = register.resident_a1
    resident.history.all().delete()
    response = staff_client.get(reverse("residents:resident_history", args=[resident.pk]))
    # Said in words, not as item 1 of a numbered list.
    assertContains(response, '<p class="muted">No recorded changes.</p>', html=True)
    assertNotContains(response, '<li class="muted">No recorded changes.</li>', html=True)


def test_search_by_door_number(member_client, register):
    response = search(member_client, "301")
    assertContains(response, "李华玉")
    assertNotContains(response, "武莉华")


def test_search_with_three_digits_does_not_match_phones(member_client, register):
    response = search(member_client, "678")
    assertContains(response, "Nobody matches “678”.")
    assertNotContains(response, "李华玉")


def test_search_does_not_find_residents_outside_the_users_scope(member_client, register):
    response = search(member_client, "赵湘黔")
    assertContains(response, "Nobody matches")
    assertNotContains(response, "138****")


def test_htmx_search_returns_only_the_results(member_client, register):
    response = search(member_client, "华玉", HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert "<header" not in body
    assert body.strip().startswith('<section id="results"')
    assert "李华玉" in body
    assert "武莉华" not in body


def page_keys(response, rel):
    """The `after` / `before` key of the pager's next or previous link."""
    match = re.search(rf'href="\?([^"]*)" rel="{rel}"', text(response))
    return dict(parse_qsl(match.group(1).replace("&amp;", "&"))) if match else None


def test_resident_list_pages_by_keyset_with_the_page_size_setting(staff_client, register, settings):
    settings.PAGE_SIZE = 2
    MembershipFactory(household=register.household_a1, resident__name="王桂芝")
    url = reverse("residents:resident_list")
    names = list(Resident.objects.order_by("name", "pk").values_list("name", "pk"))
    first = staff_client.get(url)
    assert [n for n, _pk in names if n in text(first)] == [n for n, _pk in names[:2]]
    assert page_keys(first, "prev") is None
    assert page_keys(first, "next") == {"after": str(names[1][1])}

    second = staff_client.get(url, page_keys(first, "next"))
    assert [n for n, _pk in names if n in text(second)] == [names[2][0]]
    assert page_keys(second, "next") is None
    assert page_keys(second, "prev") == {"before": str(names[2][1])}
    assertContains(second, "First page")

    back = staff_client.get(url, page_keys(second, "prev"))
    assert [n for n, _pk in names if n in text(back)] == [n for n, _pk in names[:2]]
    assert page_keys(back, "prev") is None
    assertContains(back, "3 residents")


def test_resident_list_shows_page_two_after_a_full_page(staff_client, register, settings):
    for _ in range(settings.PAGE_SIZE):
        MembershipFactory(household=register.household_a1)
    url = reverse("residents:resident_list")
    first = staff_client.get(url)
    assert text(first).count('<th scope="row">') == settings.PAGE_SIZE
    second = staff_client.get(url, page_keys(first, "next"))
    assert text(second).count('<th scope="row">') == 2
    assert page_keys(second, "next") is None


def test_htmx_page_two_keeps_the_search(staff_client, register, settings):
    for n in range(settings.PAGE_SIZE + 1):
        MembershipFactory(household=register.household_a1, resident__name=f"张{n:02d}")
    url = reverse("residents:resident_list")
    first = staff_client.get(url, {"q": "张"}, HTTP_HX_REQUEST="true")
    assert "q=%E5%BC%A0" in re.search(r'href="([^"]*)" rel="next"', text(first)).group(1)
    second = staff_client.get(url, {"q": "张", **page_keys(first, "next")}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(second)
    assertContains(second, f"张{settings.PAGE_SIZE:02d}")
    assertNotContains(second, "张00")


def test_resident_list_page_after_a_resident_out_of_scope_is_empty(member_client, register):
    # A key of compound B's resident neither moves the page nor tells where she sorts.
    url = reverse("residents:resident_list")
    response = member_client.get(url, {"after": register.resident_b.pk})
    assert response.status_code == 200
    assertNotContains(response, "李华玉")
    assertNotContains(response, "武莉华")
    assertContains(response, "First page")


@pytest.mark.parametrize("key", ["abc", "-1", "1.5", "9" * 30, "١٢"])
def test_resident_list_ignores_a_malformed_page_key(staff_client, register, key):
    response = staff_client.get(reverse("residents:resident_list"), {"after": key, "before": key})
    assertContains(response, "李华玉")
    assertContains(response, "武莉华")


def test_a_search_counts_no_further_than_its_limit(staff_client, register, monkeypatch, settings):
    monkeypatch.setattr(ResidentListView, "COUNT_LIMIT", 2)
    settings.PAGE_SIZE = 2
    for name in ("王桂芝", "王桂兰", "王桂英"):
        MembershipFactory(household=register.household_a1, resident__name=name)
    response = staff_client.get(reverse("residents:resident_list"), {"q": "王桂"})
    assertContains(response, "More than 2 residents")
    response = staff_client.get(reverse("residents:resident_list"), {"q": "王桂芝"})
    assertContains(response, "1 resident")


def test_the_whole_list_gives_its_exact_count_past_the_searchs_limit(
    staff_client, register, settings
):
    # 1,476 residents in community A, as in the demo: not "more than 1,000".
    residents = Resident.objects.bulk_create(Resident(name=f"居民{i:04}") for i in range(1474))
    Membership.objects.bulk_create(
        Membership(resident=r, household=register.household_a1, relation="family")
        for r in residents
    )
    response = staff_client.get(reverse("residents:resident_list"))
    assertContains(response, "1,476 residents")
    assertNotContains(response, "More than")
    # The htmx results alone say the same.
    response = staff_client.get(reverse("residents:resident_list"), HTTP_HX_REQUEST="true")
    assertContains(response, "1,476 residents")


# History


def test_staff_edit_is_recorded_with_the_editor(staff_client, register):
    resident = register.resident_a1
    url = reverse("residents:resident_edit", args=[resident.pk])
    response = staff_client.post(url, resident_post(resident, phone="138 0000 9999"))
    assertRedirects(response, reverse("residents:resident", args=[resident.pk]))

    latest = resident.history.first()
    assert latest.history_user.username == "liaoshuying"
    assert latest.phone == "13800009999"

    page = staff_client.get(reverse("residents:resident", args=[resident.pk]))
    assertContains(page, "<h2>Changes</h2>", html=True)
    # The page links the changes, built when opened.
    history_url = reverse("residents:resident_history", args=[resident.pk])
    assertContains(page, f'hx-get="{history_url}"')
    assertNotContains(page, "changed mobile phone")
    changes = history_section(staff_client.get(history_url, HTTP_HX_REQUEST="true"))
    assert "廖书英" in changes
    assert "changed mobile phone" in changes
    assert '+08:00"' in changes  # stored in UTC, shown in Asia/Shanghai


def test_staff_sees_which_member_changed_a_record(member_client, staff_client, register):
    resident = register.resident_a2
    member_client.post(
        reverse("residents:resident_edit", args=[resident.pk]),
        {"name": "武莉华", "gender": "F", "birth_year": "1976"},
    )
    changes = history_section(
        staff_client.get(reverse("residents:resident_history", args=[resident.pk]))
    )
    assert "周敏" in changes
    assert "changed year of birth" in changes


def test_member_does_not_see_the_changes(member_client, register):
    response = member_client.get(reverse("residents:resident", args=[register.resident_a1.pk]))
    assertNotContains(response, "<h2>Changes</h2>", html=True)
    assertNotContains(response, 'class="history"')
    history_url = reverse("residents:resident_history", args=[register.resident_a1.pk])
    assertNotContains(response, history_url)
    assert member_client.get(history_url, HTTP_HX_REQUEST="true").status_code == 403


def test_staff_open_a_households_changes_and_its_memberships_on_demand(
    staff_client, staff_user, register
):
    household = register.household_a1
    staff_client.post(
        reverse("residents:household_edit", args=[household.pk]),
        {"door_number": "301", "area": "68.50", "occupancy": "rented", "version": 1},
    )
    page = staff_client.get(reverse("residents:household", args=[household.pk]))
    history_url = reverse("residents:household_history", args=[household.pk])
    # The page carries the opener, not the changes: they are built when opened.
    assertContains(page, f'hx-get="{history_url}"')
    assertContains(page, "<h2>Changes</h2>", html=True)
    assert "changed occupancy" not in text(page)

    part = staff_client.get(history_url, HTTP_HX_REQUEST="true")
    assert "<html" not in text(part)
    changes = history_section(part)
    assert "廖书英" in changes
    assert "changed occupancy" in changes
    # The memberships' changes come with the household's, each naming its resident.
    assert register.resident_a1.name in changes


def test_a_households_changes_without_script_are_a_page_of_their_own(staff_client, register):
    household = register.household_a1
    response = staff_client.get(reverse("residents:household_history", args=[household.pk]))
    assertContains(response, "<h1>Changes</h1>", html=True)
    assertContains(response, f'href="{household.get_absolute_url()}"')
    assert "<html" in text(response)


def test_member_may_not_open_a_households_changes(member_client, register):
    household = register.household_a1
    page = member_client.get(reverse("residents:household", args=[household.pk]))
    history_url = reverse("residents:household_history", args=[household.pk])
    assertNotContains(page, history_url)
    assert member_client.get(history_url, HTTP_HX_REQUEST="true").status_code == 403


def test_household_edit_is_recorded_with_the_editor(member_client, member_a, register):
    member_client.post(
        reverse("residents:household_edit", args=[register.household_a1.pk]),
        {"door_number": "301", "area": "68.50", "occupancy": "rented", "version": 1},
    )
    latest = register.household_a1.history.first()
    assert latest.history_user == member_a
    assert latest.occupancy == "rented"


def test_adding_a_resident_records_who_added_them(staff_client, staff_user, register):
    staff_client.post(
        reverse("residents:resident_create", args=[register.household_a1.pk]),
        {"name": "王桂芝", "relation": "owner"},
    )
    resident = Resident.objects.get(name="王桂芝")
    assert resident.history.get().history_user == staff_user
    assert resident.memberships.get().history.get().history_user == staff_user


def test_editor_without_a_full_name_is_shown_by_username(register, log_in):
    user = UserFactory(username="gridworker", first_name="", last_name="")
    AccessGrantFactory(user=user, staff=True, community=register.community_a)
    client = log_in(user)
    resident = register.resident_a1
    client.post(
        reverse("residents:resident_edit", args=[resident.pk]),
        resident_post(resident, care_notes="已搬去女儿家同住。"),
    )
    changes = history_section(client.get(reverse("residents:resident_history", args=[resident.pk])))
    assert "gridworker" in changes
    assert "changed care notes" in changes
