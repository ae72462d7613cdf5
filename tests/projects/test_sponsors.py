"""Who may sponsor an owners' decision (docs/domain.md, "Owners' decisions"): an owners'
committee for its own compound or courtyard; the neighbourhood committee where no owners'
committee serves (Civil Code Art. 277); a self-management committee never (it proposes,
the neighbourhood committee sponsors). Co-funding campaigns are not decisions: any body
runs them.

Compound A (庆丰小区): courtyard A1 (building 18) has 庆丰一号院业主委员会; courtyard A2
(building 17, unit 3) has no owners' committee.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from committees.models.decisions import sponsor_refusal
from meetings.models import Project
from meetings.projects import consent
from residents.models import Unit
from residents.owners.owners_vote import Matter
from tests.factories import BodyFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SELF_MANAGEMENT = (
    "A self-management committee may propose an owners' decision, but the neighbourhood "
    "committee sponsors it: choose the neighbourhood committee."
)


@pytest.fixture
def self_management(register):
    return BodyFactory(
        self_management=True,
        compound=register.compound_a,
        courtyard=register.courtyard_a2,
        name="庆丰二号院自管会",
    )


def units(*units):
    return Unit.objects.filter(pk__in=[u.pk for u in units]).select_related("building")


def decision(body, *covered, **fields):
    """An unsaved owners' decision of `body` over `covered` units, through the service."""
    project = ProjectFactory.build(
        body=body, consent_kind="decision", matter=Matter.RENOVATE, **fields
    )
    return consent.project_save(project=project, units=list(covered))


def refused(body, *covered) -> list[str]:
    before = Project.objects.count()
    with pytest.raises(ValidationError) as caught:
        decision(body, *covered)
    assert Project.objects.count() == before
    return caught.value.message_dict["body"]


def test_an_owners_committee_sponsors_for_its_own_courtyard(project_bodies, building_18):
    body = project_bodies.qingfeng_1
    assert sponsor_refusal(body, units(building_18.unit_2, building_18.unit_4)) is None
    assert decision(body, building_18.unit_4).pk


def test_an_owners_committee_does_not_sponsor_for_another_courtyard(project_bodies, register):
    assert refused(project_bodies.qingfeng_1, register.unit_a1, register.unit_a2) == [
        "An owners' committee sponsors decisions of its own place only: 庆丰一号院."
    ]


def test_an_owners_committee_does_not_sponsor_for_another_compound(project_bodies, register):
    assert refused(project_bodies.qianling, register.unit_a1) == [
        "An owners' committee sponsors decisions of its own place only: 黔灵小区."
    ]


def test_a_compound_wide_owners_committee_sponsors_for_each_of_its_courtyards(register):
    body = BodyFactory(compound=register.compound_a, name="庆丰小区业主委员会")
    assert sponsor_refusal(body, units(register.unit_a1, register.unit_a2)) is None


def test_the_neighbourhood_committee_sponsors_where_no_owners_committee_serves(
    project_bodies, register
):
    assert decision(project_bodies.neighbourhood, register.unit_a2).pk


def test_the_neighbourhood_committee_does_not_sponsor_where_an_owners_committee_serves(
    project_bodies, register
):
    assert refused(project_bodies.neighbourhood, register.unit_a1, register.unit_a2) == [
        "庆丰一号院业主委员会 serves these units: their owners' committee sponsors the decision."
    ]


def test_a_compound_wide_owners_committee_serves_every_courtyard(project_bodies, register):
    BodyFactory(compound=register.compound_a, name="庆丰小区业主委员会")
    messages = refused(project_bodies.neighbourhood, register.unit_a2)
    assert messages == [
        "庆丰小区业主委员会 serves these units: their owners' committee sponsors the decision."
    ]


def test_a_dissolved_owners_committee_serves_no_longer(project_bodies, register):
    project_bodies.qingfeng_1.dissolved_on = project_bodies.qingfeng_1.founded_on.replace(year=2024)
    project_bodies.qingfeng_1.save()
    assert decision(project_bodies.neighbourhood, register.unit_a1).pk


def test_a_self_management_committee_does_not_sponsor_a_decision(self_management, register):
    assert refused(self_management, register.unit_a2) == [SELF_MANAGEMENT]
    assert sponsor_refusal(self_management, units(register.unit_a2)) == SELF_MANAGEMENT


def test_a_self_management_committee_runs_a_co_funding_campaign(self_management, register):
    campaign = ProjectFactory.build(body=self_management)
    assert consent.project_save(project=campaign, units=[register.unit_a2]).pk


def project_form(**fields):
    return {
        "name": "二号院屋面防水",
        "description": "",
        "consent_kind": "decision",
        "matter": Matter.RENOVATE,
        "threshold": "1",
        "status": "surveying",
        "starts_on": "",
        "ends_on": "",
        "contractor": "",
        "text": "",
        "ballot": "",
        "opens_at": "",
        "closes_at": "",
        **fields,
    }


def test_the_project_form_refuses_a_self_management_committee_as_sponsor(
    staff_client, self_management, register
):
    data = project_form(body=self_management.pk, units=[register.unit_a2.pk])

    response = staff_client.post(reverse("projects:project_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [SELF_MANAGEMENT]
    assertContains(response, "choose the neighbourhood committee.")
    assert not Project.objects.exists()


def test_the_project_form_takes_the_neighbourhood_committee_instead(
    staff_client, project_bodies, self_management, register
):
    data = project_form(body=project_bodies.neighbourhood.pk, units=[register.unit_a2.pk])

    response = staff_client.post(reverse("projects:project_create"), data)

    assert response.status_code == 302, response.context["form"].errors
    assert Project.objects.get().body == project_bodies.neighbourhood


def test_the_project_form_refuses_the_neighbourhood_committee_where_an_owners_committee_serves(
    staff_client, project_bodies, register
):
    data = project_form(body=project_bodies.neighbourhood.pk, units=[register.unit_a1.pk])

    response = staff_client.post(reverse("projects:project_create"), data)

    assert response.status_code == 200
    assertContains(response, "庆丰一号院业主委员会 serves these units")
    assert not Project.objects.exists()
