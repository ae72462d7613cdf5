"""What the service worker keeps for use with no signal (docs/domain.md, "Recording with no
signal"): a building's consent grid and the visit form, which show no full phone or ID
number; and what the grid carries for the answer form it makes with no signal."""

import pytest
from django.urls import reverse

from jinzang.offline import KEEP_HEADER
from tests.visits.test_views import new_visit_url

pytestmark = pytest.mark.django_db


def kept_pages(register, pipes, building_18, staff_user):
    """Every page the flows reach, with whether the worker may keep it."""
    household = building_18.households["4-301"]
    return {
        reverse("projects:grid", args=[pipes.pk, building_18.building.pk]): True,
        new_visit_url(household): True,
        new_visit_url(register.household_a2): True,
        reverse("projects:record", args=[pipes.pk, household.pk]): False,
        household.get_absolute_url(): False,
        register.resident_a1.get_absolute_url(): False,
        reverse("residents:resident_list"): False,
        pipes.get_absolute_url(): False,
        reverse("dashboard"): False,
        reverse("notices:notice_list"): False,
    }


def test_only_the_grid_and_the_visit_form_are_kept_and_they_show_no_full_number(
    staff_client, register, pipes, building_18, staff_user
):
    numbers = [
        n
        for r in (register.resident_a1, register.resident_a2, *building_18.owners.values())
        for n in (r.phone, r.id_number)
        if n
    ]
    for url, kept in kept_pages(register, pipes, building_18, staff_user).items():
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert (response.headers.get(KEEP_HEADER) == "1") is kept, url
        if kept:
            text = response.content.decode()
            assert not [n for n in numbers if n in text], url


def test_a_kept_page_asked_for_by_htmx_is_not_kept(staff_client, pipes, building_18):
    url = reverse("projects:grid", args=[pipes.pk, building_18.building.pk])
    assert KEEP_HEADER not in staff_client.get(url, HTTP_HX_REQUEST="true").headers


def test_the_grid_carries_what_the_answer_form_needs_with_no_signal(
    staff_client, reader_client, pipes, building_18
):
    url = reverse("projects:grid", args=[pipes.pk, building_18.building.pk])
    text = staff_client.get(url).content.decode()
    household = building_18.households["2-401"]  # declined: version 1
    cell = text.split(f'id="cell-{household.pk}"')[1].split(">")[0]
    assert 'data-d="2-401"' in cell and 'data-v="1"' in cell
    assert 'id="offline-form"' in text and 'value="not_reached"' in text
    assert 'id="offline"' in text and "/static/js/offline.js" in text
    # Who may only read the answers records nothing offline either.
    read_only = reader_client.get(url).content.decode()
    assert 'id="offline"' not in read_only and "offline.js" not in read_only
