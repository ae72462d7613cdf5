"""Paper of a consent campaign leads online (docs/domain.md, "Paper that leads online"): the
paper form to the household's record for the committee's workers, the printed summary to
the public summary."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.qr import page_qr_urls

pytestmark = pytest.mark.django_db

SITE = "https://jinzang.example"


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize("who", ["staff_user", "manager", "reader"])
def test_the_paper_consent_form_carries_a_qr_code_to_the_households_record(
    request, log_in, pipes, building_18, who
):
    household = building_18.households["2-302"]
    client = log_in(request.getfixturevalue(who))

    response = client.get(reverse("projects:consent_form", args=[pipes.pk, household.pk]))

    record = f"/projects/{pipes.pk}/households/{household.pk}/"
    assert page_qr_urls(response.text) == [SITE + record]
    assertContains(response, "For the committee's workers")
    # the record it leads to is the one the grid opens for that door
    assert reverse("projects:record", args=[pipes.pk, household.pk]) == record
    assertContains(client.get(record), "Building 18, unit 2, door 302")


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize("project", ["pipes", "fund"])
def test_the_printed_summary_carries_a_qr_code_to_itself_online(request, project):
    project = request.getfixturevalue(project)
    summary = reverse("projects:summary", args=[project.pk])

    response = Client().get(summary)

    assert page_qr_urls(response.text) == [SITE + summary]
    assertContains(response, "Scan for the latest figures online")
