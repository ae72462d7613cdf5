"""Volunteer teams on top of the register of tests/conftest.py.

- `team`: 志愿讲师队 of community A with three members: 李华玉 (resident_a1, a party
  member on the register), 武莉华 (resident_a2) and 周红 (a party member not on the
  register);
- `patrol`: 院落治安巡逻队 of community A, in which 李华玉 also serves;
- `team_b`: a team of community B.
"""

import datetime

import pytest

from committees.models import Volunteer, VolunteerTeam
from tests.factories import AccessGrantFactory, UserFactory


@pytest.fixture
def team(register):
    team = VolunteerTeam.objects.create(
        community=register.community_a, name="志愿讲师队", kind=VolunteerTeam.Kind.LECTURERS
    )
    for resident in (register.resident_a1, register.resident_a2):
        Volunteer.objects.create(
            team=team, resident=resident, name=resident.name, joined=datetime.date(2020, 1, 1)
        )
    Volunteer.objects.create(
        team=team, name="周红", is_party_member=True, joined=datetime.date(2020, 1, 1)
    )
    return team


@pytest.fixture
def patrol(register):
    team = VolunteerTeam.objects.create(
        community=register.community_a, name="院落治安巡逻队", kind=VolunteerTeam.Kind.PATROL
    )
    Volunteer.objects.create(
        team=team,
        resident=register.resident_a1,
        name=register.resident_a1.name,
        joined=datetime.date(2021, 1, 1),
    )
    return team


@pytest.fixture
def team_b(register):
    team = VolunteerTeam.objects.create(community=register.community_b, name="黔灵巡逻队")
    Volunteer.objects.create(team=team, resident=register.resident_b, name="赵湘黔")
    return team


@pytest.fixture
def community_b_user(register):
    user = UserFactory(username="qianling")
    AccessGrantFactory(user=user, compound=register.compound_b)
    return user


def members(team):
    return {v.name: v for v in team.volunteers.all()}
