"""A household saved from a page opened before someone else's save is refused: the editor
is told who changed it, keeps what they typed, and nothing is overwritten. One connection
is enough: the rival's save happens between the GET and the POST."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from jinzang.names import person_name
from residents.register.services import household_save
from tests.factories import stored


def shown_version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def household_data(**changes):
    return {"door_number": "301", "area": "68.50", "occupancy": "owner", "notes": "", **changes}


@pytest.fixture
def household_page(register):
    return reverse("residents:household_edit", args=[register.household_a1.pk])


def colleague_saves_household(household, user, **changes):
    """A colleague's edit, recorded in the history under their name."""
    household = stored(household)
    for name, value in changes.items():
        setattr(household, name, value)
    household._history_user = user
    household_save(household=household, version=household.version)


def test_household_page_carries_the_version_it_shows(member_client, household_page):
    assert shown_version(member_client.get(household_page)) == "1"


def test_household_saved_from_an_older_page_is_refused_naming_who_changed_it(
    member_client, register, staff_user, household_page
):
    seen = shown_version(member_client.get(household_page))
    colleague_saves_household(register.household_a1, staff_user, notes="楼道有积水")

    response = member_client.post(
        household_page, household_data(occupancy="vacant", notes="我的备注", version=seen)
    )

    name = person_name(staff_user)
    assertContains(response, f"{name} changed this household at")
    assertContains(response, "我的备注")  # the input is kept
    now = stored(register.household_a1)
    assert (now.notes, now.occupancy, now.version) == ("楼道有积水", "owner", 2)


def test_household_saved_again_after_the_conflict_goes_through(
    member_client, register, staff_user, household_page
):
    seen = shown_version(member_client.get(household_page))
    colleague_saves_household(register.household_a1, staff_user, notes="楼道有积水")
    refused = member_client.post(household_page, household_data(notes="我的备注", version=seen))
    assert shown_version(refused) == "2"

    member_client.post(household_page, household_data(notes="我的备注", version="2"))

    now = stored(register.household_a1)
    assert (now.notes, now.version) == ("我的备注", 3)


def test_household_edit_without_a_version_is_refused(member_client, register, household_page):
    response = member_client.post(household_page, household_data(notes="无版本"))
    assert response.status_code == 200
    register.household_a1.refresh_from_db()
    assert register.household_a1.notes != "无版本"
