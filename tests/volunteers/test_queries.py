"""Every volunteers page runs a fixed number of queries, however many rows it shows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Volunteer, VolunteerTeam
from committees.volunteers import services

pytestmark = pytest.mark.django_db


def grow(community, team, n):
    """`n` more members of `team`, a new team, and an activity of each with everyone."""
    today = timezone.localdate()
    new_team = VolunteerTeam.objects.create(
        community=community, name=f"队{VolunteerTeam.objects.count()}"
    )
    for i in range(n):
        Volunteer.objects.create(team=team, name=f"志愿者{team.volunteers.count()}-{i}")
        Volunteer.objects.create(team=new_team, name=f"队员{i}")
    for t in (team, new_team):
        for day in range(n):
            services.activity_record(
                team=t,
                date=today - datetime.timedelta(days=day),
                place="院落",
                description="服务",
                hours={v: Decimal("1.5") for v in t.volunteers.all()},
            )


@pytest.fixture
def measure(django_assert_num_queries, register, team):
    def measure(client, url, n):
        for more in (2, 5):
            grow(register.community_a, team, more)
            with django_assert_num_queries(n):
                response = client.get(url)
            assert response.status_code == 200
        return response

    return measure


def test_team_list_queries(measure, staff_client):
    # session, user, grants; teams, people, activities, hours; volunteers, party members;
    # the households of the party members among the people (whose party membership the
    # user may be shown: residents.access.Disclosure)
    measure(staff_client, reverse("volunteers:list"), 10)


def test_tally_queries(measure, staff_client):
    # ... + the households of the party members among the people, as on the team list
    measure(staff_client, reverse("volunteers:tally"), 8)


def test_team_page_queries(measure, staff_client, team):
    # ... + the households of the party members among the members, as on the team list
    measure(staff_client, reverse("volunteers:team", args=[team.pk]), 9)


def test_person_page_queries(measure, staff_client, team, register):
    volunteer = team.volunteers.get(resident=register.resident_a1)
    # ... + the households of the person (a party member), as on the team list
    measure(staff_client, reverse("volunteers:person", args=[volunteer.pk]), 9)


def test_activity_form_queries(measure, staff_client, team):
    measure(staff_client, reverse("volunteers:activity_add", args=[team.pk]), 6)
