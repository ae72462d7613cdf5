import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import AccessGrantFactory, CourtyardFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# What each changelist shows of the register.
CHANGELIST_TEXT = {
    "community": "金仓社区",
    "compound": "庆丰小区",
    "courtyard": "庆丰一号院",
    "building": "Building 18",
    "unit": "Unit 2",
    "household": "301",
    "resident": "李华玉",
    "membership": "李华玉",
    "accessgrant": "zhoumin",
}

# A record of each model, and a text its change form shows.
RECORDS = {
    "community": (lambda r: r.community_a, "盐务街街道"),
    "compound": (lambda r: r.compound_a, "庆丰一号院"),  # courtyards inline
    "courtyard": (lambda r: r.courtyard_a1, "庆丰一号院"),
    "building": (lambda r: r.building_a1, 'value="18"'),
    "unit": (lambda r: r.unit_a1, 'value="2"'),
    "household": (lambda r: r.household_a1, "68.50"),
    "resident": (lambda r: r.resident_a1, "13812345678"),
    "membership": (lambda r: r.membership_a1, "李华玉"),
}


def add_rows(n):
    """`n` more rows in every table the admin lists."""
    for _ in range(n):
        membership = MembershipFactory()
        CourtyardFactory(compound=membership.household.unit.building.compound)
        AccessGrantFactory(compound=membership.household.unit.building.compound)
        AccessGrantFactory(
            staff=True, community=membership.household.unit.building.compound.community
        )


def count_queries(client, url):
    client.get(url)  # warms the process-wide caches (content types) the admin reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", CHANGELIST_TEXT)
def test_changelist_opens_for_the_superuser(admin_client, member_a, model):
    response = admin_client.get(reverse(f"admin:residents_{model}_changelist"))
    assertContains(response, CHANGELIST_TEXT[model])


@pytest.mark.parametrize("model", RECORDS)
def test_change_form_opens_for_the_superuser(admin_client, register, model):
    record, shown = RECORDS[model]
    response = admin_client.get(
        reverse(f"admin:residents_{model}_change", args=[record(register).pk])
    )
    assertContains(response, shown)


def test_access_grant_change_form_opens_for_the_superuser(admin_client, member_a):
    grant = member_a.access_grants.get()
    response = admin_client.get(reverse("admin:residents_accessgrant_change", args=[grant.pk]))
    assertContains(response, "庆丰小区业主委员会委员")


# The models whose changes are recorded, and one record of each.
HISTORY = {
    "household": lambda r, member: r.household_a1,
    "resident": lambda r, member: r.resident_a1,
    "membership": lambda r, member: r.membership_a1,
    "accessgrant": lambda r, member: member.access_grants.get(),
}


@pytest.mark.parametrize("model", HISTORY)
def test_history_page_opens_for_the_superuser(admin_client, register, member_a, model):
    record = HISTORY[model](register, member_a)
    response = admin_client.get(reverse(f"admin:residents_{model}_history", args=[record.pk]))
    assertContains(response, "Created")


@pytest.mark.parametrize("model", CHANGELIST_TEXT)
def test_changelist_queries_do_not_grow_with_rows(admin_client, member_a, model):
    url = reverse(f"admin:residents_{model}_changelist")
    add_rows(3)
    small = count_queries(admin_client, url)
    add_rows(6)
    assert count_queries(admin_client, url) == small


@pytest.mark.parametrize(
    "model, add_membership",
    [
        ("household", lambda r: MembershipFactory(household=r.household_a1)),
        ("resident", lambda r: MembershipFactory(resident=r.resident_a1)),
    ],
    ids=["household", "resident"],
)
def test_change_form_queries_do_not_grow_with_inline_memberships(
    admin_client, register, model, add_membership
):
    # Each inline row's autocomplete widgets fetch their selected record's label;
    # a household's label names its unit, building and compound.
    url = reverse(f"admin:residents_{model}_change", args=[RECORDS[model][0](register).pk])
    for _ in range(2):
        add_membership(register)
    small = count_queries(admin_client, url)
    for _ in range(5):
        add_membership(register)
    assert count_queries(admin_client, url) == small


def test_household_autocomplete_finds_households_by_door_number(admin_client, register):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "residents",
            "model_name": "membership",
            "field_name": "household",
            "term": "301",
        },
    )
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert results == [
        {"id": str(register.household_a1.pk), "text": "庆丰小区 building 18 unit 2, 301"}
    ]


def test_household_autocomplete_queries_do_not_grow_with_matches(admin_client, register):
    url = reverse("admin:autocomplete")
    params = "?app_label=residents&model_name=membership&field_name=household&term=1"
    add_rows(3)
    small = count_queries(admin_client, url + params)
    add_rows(6)
    assert count_queries(admin_client, url + params) == small


def test_resident_changelist_masks_phone_numbers(admin_client, register):
    response = admin_client.get(reverse("admin:residents_resident_changelist"))
    assertContains(response, "138****5678")
    assert "13812345678" not in response.content.decode()
