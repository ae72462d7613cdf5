"""Every page of the register runs a fixed number of queries, however many rows it shows.

Each test measures a page, adds 2-3 times as many rows at every level of the
register (compounds, buildings, units, households, residents, memberships,
recorded changes) and measures again. The first queries of every page are the
same three: the session, the user, and the user's active access grants.
"""

import pytest
from django.urls import reverse

from residents.models import Membership
from tests.factories import BuildingFactory, HouseholdFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

# session + user + the user's active access grants
BASE = 3


def grow(register, staff_user, n):
    """Add `n` rows at every level of compound A (and n compounds to community A)."""
    r = register
    for i in range(n):
        MembershipFactory(household__unit__building__compound__community=r.community_a)
        BuildingFactory(compound=r.compound_a, courtyard=r.courtyard_a1 if i % 2 else None)
        UnitFactory(building=r.building_a1)
        MembershipFactory.create_batch(2, household=HouseholdFactory(unit=r.unit_a1))
        MembershipFactory(household=r.household_a1, relation=Membership.Relation.FAMILY)
        MembershipFactory(resident=r.resident_a1, household__unit=r.unit_a1)
        r.resident_a1.birth_year += 1
        r.resident_a1._history_user = staff_user
        r.resident_a1.save()


def rows(response, marker):
    return response.content.decode().count(marker)


@pytest.fixture
def measure(django_assert_num_queries, register, staff_user):
    """Get `url` with `client` twice, with 5 and then 15 rows per level: `n` queries each time."""

    def measure(client, url, n, marker=None, post=False, **extra):
        send = client.post if post else client.get
        grow(register, staff_user, 5)
        with django_assert_num_queries(n):
            small = send(url, **extra)
        assert small.status_code == 200
        grow(register, staff_user, 10)
        with django_assert_num_queries(n):
            large = send(url, **extra)
        assert large.status_code == 200
        if marker:
            assert rows(large, marker) > rows(small, marker) >= 5
        return large

    return measure


def test_home_page_queries_do_not_grow_with_compounds(measure, staff_client):
    # BASE + compounds with their counts and area + residents counted once across compounds
    response = measure(staff_client, reverse("home"), BASE + 2, marker='class="card"')
    assert "庆丰小区" in response.content.decode()


def test_compound_page_queries_do_not_grow_with_buildings(measure, staff_client, register):
    # BASE + the compound + its buildings with their counts
    url = reverse("residents:compound", args=[register.compound_a.pk])
    measure(staff_client, url, BASE + 2, marker='class="tile"')


def test_building_page_queries_do_not_grow_with_units(measure, staff_client, register):
    # BASE + the building + its units with their counts
    url = reverse("residents:building", args=[register.building_a1.pk])
    measure(staff_client, url, BASE + 2, marker='class="tile"')


def test_unit_page_queries_do_not_grow_with_households(measure, staff_client, register):
    # BASE + the unit + its households + their memberships with residents
    url = reverse("residents:unit", args=[register.unit_a1.pk])
    measure(staff_client, url, BASE + 3, marker='<th scope="row">')


def test_household_page_queries_do_not_grow_with_residents(measure, staff_client, register):
    # BASE + the household + its memberships with residents; the changes are built when
    # opened (below)
    url = reverse("residents:household", args=[register.household_a1.pk])
    response = measure(staff_client, url, BASE + 2, marker='<th scope="row">')
    assert "Changes" in response.content.decode()


def test_household_changes_queries_do_not_grow_with_changes(measure, staff_client, register):
    # BASE + the household with its place + the changes to the household and to its
    # memberships (two queries each: the earlier rows, the latest rows with users)
    url = reverse("residents:household_history", args=[register.household_a1.pk])
    response = measure(staff_client, url, BASE + 5, HTTP_HX_REQUEST="true")
    assert rows(response, "<li>") >= 15  # each membership added is a change


def test_resident_changes_queries_do_not_grow_with_changes(measure, staff_client, register):
    # BASE + the resident + may staff see their personal data + the changes (earlier
    # rows, latest rows with users)
    url = reverse("residents:resident_history", args=[register.resident_a1.pk])
    response = measure(staff_client, url, BASE + 4, HTTP_HX_REQUEST="true")
    assert rows(response, "changed year of birth") >= 15


def test_household_page_for_member_queries_do_not_grow_with_residents(
    measure, member_client, register
):
    # BASE + the household + its memberships with residents (no changes for members)
    url = reverse("residents:household", args=[register.household_a1.pk])
    response = measure(member_client, url, BASE + 2, marker='<th scope="row">')
    assert "Changes" not in response.content.decode()


def test_resident_list_queries_do_not_grow_with_residents(measure, staff_client):
    # BASE + count + one page of residents + their memberships with places
    url = reverse("residents:resident_list")
    measure(staff_client, url, BASE + 3, marker='<th scope="row">')


def test_resident_search_queries_do_not_grow_with_matches(measure, staff_client, register):
    # the same as the list: the search is a subquery
    url = reverse("residents:resident_list")
    measure(staff_client, url, BASE + 3, marker='<th scope="row">', data={"q": "301"})


def test_place_search_queries_do_not_grow_with_matches(measure, member_client):
    # the same as the list: a place (18-2-301) is one more subquery
    url = reverse("residents:resident_list")
    measure(member_client, url, BASE + 3, marker='<th scope="row">', data={"q": "18-2-301"})


def test_committee_members_phone_tail_search_queries_are_fixed(measure, member_client):
    url = reverse("residents:resident_list")
    response = measure(member_client, url, BASE + 3, data={"q": "5678"})
    assert "李华玉" in response.content.decode()


def test_htmx_resident_search_queries_do_not_grow_with_matches(measure, staff_client):
    url = reverse("residents:resident_list")
    response = measure(
        staff_client, url, BASE + 3, marker='<th scope="row">', HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()


def test_resident_page_for_staff_queries_do_not_grow_with_households_or_changes(
    measure, staff_client, register
):
    # BASE + the resident + may staff see their personal data (a household in their community)
    # + their memberships with places + their care records + who saw the full numbers (the
    # changes are built when opened, above). Nothing logged: the numbers are masked until
    # asked for (a POST).
    url = reverse("residents:resident", args=[register.resident_a1.pk])
    response = measure(staff_client, url, BASE + 5, marker="<li><a href=")
    assert "Changes" in response.content.decode()
    assert "Who saw the full numbers" in response.content.decode()


def test_resident_numbers_asked_for_queries_do_not_grow_with_households_or_changes(
    measure, staff_client, register
):
    # The resident's page as above, + the showing logged
    url = reverse("residents:resident_reveal", args=[register.resident_a1.pk])
    response = measure(staff_client, url, BASE + 6, data={"reason": "contact"}, post=True)
    assert register.resident_a1.phone in response.content.decode()


def test_resident_page_for_member_queries_do_not_grow_with_households(
    measure, member_client, register
):
    # BASE + the resident + their memberships with places (no changes for members)
    url = reverse("residents:resident", args=[register.resident_a1.pk])
    measure(member_client, url, BASE + 2, marker="<li><a href=")


def test_new_household_form_queries_are_fixed(measure, staff_client, register):
    # BASE + the unit with its building and compound
    url = reverse("residents:household_create", args=[register.unit_a1.pk])
    measure(staff_client, url, BASE + 1)


def test_household_edit_form_queries_are_fixed(measure, staff_client, register):
    # BASE + the household with its place
    url = reverse("residents:household_edit", args=[register.household_a1.pk])
    measure(staff_client, url, BASE + 1)


def test_new_resident_form_queries_are_fixed(measure, staff_client, register):
    # BASE + the household with its place
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    measure(staff_client, url, BASE + 1)


def test_resident_edit_form_queries_are_fixed(measure, staff_client, register):
    # BASE + the resident + may staff see their personal data (the stored numbers are kept,
    # not shown: nothing logged)
    url = reverse("residents:resident_edit", args=[register.resident_a1.pk])
    measure(staff_client, url, BASE + 2)


def test_resident_list_deep_page_queries_do_not_grow_with_residents(
    measure, staff_client, register
):
    # the same as the first page: the page starts after a resident's key (keyset), in one query
    url = reverse("residents:resident_list") + f"?after={register.resident_a1.pk}"
    measure(staff_client, url, BASE + 3)
