"""Who changed a household's consent answer, on the record's own page."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from jinzang.names import person_name
from tests.projects.conftest import record

pytestmark = pytest.mark.django_db


def url(project, household):
    return reverse("projects:record", args=[project.pk, household.pk])


def test_staff_see_who_changed_the_answer(staff_client, pipes, building_18, manager):
    household = building_18.households["2-402"]
    record(pipes, household, "agree", manager, contribution=500)
    response = staff_client.get(url(pipes, household))
    assertContains(response, '<section class="history-section">')
    assertContains(response, "changed answer")
    assertContains(response, person_name(manager))


def test_the_htmx_panel_and_members_get_no_changes(
    staff_client, manager_client, pipes, building_18
):
    household = building_18.households["2-401"]
    panel = staff_client.get(url(pipes, household), HTTP_HX_REQUEST="true")
    assertNotContains(panel, "history-section")
    assertNotContains(manager_client.get(url(pipes, household)), "history-section")
