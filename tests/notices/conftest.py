"""Notices on top of the register of tests/conftest.py.

Four bodies, seated cheaply as in tests/meetings/conftest.py (a seat and the access
grant the committees' services would give it):

- neighbourhood: 金仓社区居民委员会 of community A; staff_user (its staff) manages it and
  every other body of community A;
- qingfeng_1: 庆丰一号院业主委员会 of courtyard A1, chaired by qingfeng_1_user;
- bailajing: 百腊井小区业主委员会 of another compound of community A, chaired by
  bailajing_user, who may not touch Qingfeng's notices;
- qianling: 黔灵小区业主委员会 of compound B, in community B.

Uploads go to a temporary MEDIA_ROOT.
"""

import datetime
from dataclasses import dataclass

import pytest

from committees.models import Body, Member
from residents.models import Building, Compound
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    BuildingFactory,
    CompoundFactory,
    MemberFactory,
    TermFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seat(body, user, **person):
    term = TermFactory(body=body, starts_on=datetime.date(2014, 4, 26))
    grant = AccessGrantFactory(
        user=user,
        compound=body.compound,
        courtyard=body.courtyard,
        reason=f"{body.name}主任",
        starts_on=term.starts_on,
    )
    return MemberFactory(term=term, role=Member.Role.CHAIR, user=user, access_grant=grant, **person)


@dataclass
class NoticeBodies:
    neighbourhood: Body
    qingfeng_1: Body
    qingfeng_1_user: object
    bailajing: Body
    bailajing_compound: Compound
    bailajing_building: Building
    bailajing_user: object
    qianling: Body


@pytest.fixture
def notice_bodies(register, staff_user):
    r = register
    neighbourhood = BodyFactory(
        neighbourhood=True, community=r.community_a, name="金仓社区居民委员会"
    )
    qingfeng_1 = BodyFactory(
        compound=r.compound_a, courtyard=r.courtyard_a1, name="庆丰一号院业主委员会"
    )
    qingfeng_1_user = UserFactory(username="lihuayu", first_name="华玉", last_name="李")
    seat(qingfeng_1, qingfeng_1_user, resident=r.resident_a1)
    bailajing_compound = CompoundFactory(community=r.community_a, name="百腊井小区")
    bailajing = BodyFactory(compound=bailajing_compound, name="百腊井小区业主委员会")
    bailajing_user = UserFactory(username="zhaoxiangqian", first_name="湘黔", last_name="赵")
    seat(bailajing, bailajing_user, resident=None, name="赵湘黔")
    qianling = BodyFactory(compound=r.compound_b, name="黔灵小区业主委员会")
    return NoticeBodies(
        neighbourhood=neighbourhood,
        qingfeng_1=qingfeng_1,
        qingfeng_1_user=qingfeng_1_user,
        bailajing=bailajing,
        bailajing_compound=bailajing_compound,
        bailajing_building=BuildingFactory(compound=bailajing_compound, number="3"),
        bailajing_user=bailajing_user,
        qianling=qianling,
    )
