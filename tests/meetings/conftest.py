"""Meetings on top of the register of tests/conftest.py.

`bodies` there builds every seat of docs/domain.md ("The three bodies") through the committees' services;
the meetings need only three bodies and two seats, made here directly at a
fraction of the cost, so that the meetings tests stay fast.

The people, as the meetings see them:

- manager: 李华玉's login, chair of 庆丰一号院业主委员会, the body that convenes
  `held` and `planned`; the seat gives access to courtyard A1;
- staff_user: neighbourhood-committee staff of community A, manages every body there;
- other_member: the chair of 百腊井小区业主委员会, another body of community A;
- reader: member_a, who may see compound A's register but has no seat on any body;
- community_b_user: may see compound B (community B) only.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from committees.models import Body, Member
from meetings.models import Action, AgendaItem, Decision, Meeting, OutsideParty
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    CompoundFactory,
    MemberFactory,
    TermFactory,
    UserFactory,
)
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    OutsidePartyFactory,
    at,
)

PIPES_MINUTES = (
    "庆丰一号院18栋2单元、4单元共18户同意共同出资。\n"
    "17栋3单元7户同意。\n"
    "\n"
    "- 其他楼栋仍在调查\n"
    "- 施工方同意修复墙面"
)


@dataclass
class MeetingBodies:
    neighbourhood: Body
    qingfeng_1: Body
    qingfeng_1_user: object
    bailajing: Body
    bailajing_user: object
    qianling: Body


def seat(body, user, **person):
    """A current chair's seat on `body` for `user`, with the access grant the committees'
    services would give it (written directly: member_add's checks cost more than every
    other fixture here together)."""
    term = TermFactory(body=body, starts_on=datetime.date(2014, 4, 26))
    grant = AccessGrantFactory(
        user=user,
        compound=body.compound,
        courtyard=body.courtyard,
        reason=f"{body.name}主任",
        starts_on=term.starts_on,
    )
    return MemberFactory(term=term, role=Member.Role.CHAIR, user=user, access_grant=grant, **person)


@pytest.fixture
def meeting_bodies(register):
    return three_bodies(register)


def three_bodies(register) -> MeetingBodies:
    """The community's neighbourhood committee, two owners' committees with a chair's
    login each, and an owners' committee of community B."""
    r = register
    neighbourhood = BodyFactory(
        neighbourhood=True, community=r.community_a, name="金仓社区居民委员会"
    )
    qingfeng_1 = BodyFactory(
        compound=r.compound_a, courtyard=r.courtyard_a1, name="庆丰一号院业主委员会"
    )
    qingfeng_1_user = UserFactory(username="lihuayu", first_name="华玉", last_name="李")
    seat(qingfeng_1, qingfeng_1_user, resident=r.resident_a1)
    bailajing = BodyFactory(
        compound=CompoundFactory(community=r.community_a, name="百腊井小区"),
        name="百腊井小区业主委员会",
    )
    bailajing_user = UserFactory(username="zhaoxiangqian", first_name="湘黔", last_name="赵")
    seat(bailajing, bailajing_user, resident=None, name="赵湘黔")
    qianling = BodyFactory(compound=r.compound_b, name="黔灵小区业主委员会")
    return MeetingBodies(
        neighbourhood=neighbourhood,
        qingfeng_1=qingfeng_1,
        qingfeng_1_user=qingfeng_1_user,
        bailajing=bailajing,
        bailajing_user=bailajing_user,
        qianling=qianling,
    )


@dataclass
class Meetings:
    held: Meeting
    contractor: OutsideParty
    pipes: AgendaItem
    agreement: Decision
    repair: Action
    planned: Meeting
    bailajing: Meeting
    qianling: Meeting


@pytest.fixture
def manager(meeting_bodies):
    return meeting_bodies.qingfeng_1_user


@pytest.fixture
def other_member(meeting_bodies):
    return meeting_bodies.bailajing_user


@pytest.fixture
def reader(member_a):
    return member_a


@pytest.fixture
def community_b_user(register):
    user = UserFactory(username="huangdeming", first_name="德明", last_name="黄")
    AccessGrantFactory(user=user, compound=register.compound_b)
    return user


@pytest.fixture
def manager_client(manager, log_in):
    return log_in(manager)


@pytest.fixture
def other_member_client(other_member, log_in):
    return log_in(other_member)


@pytest.fixture
def reader_client(reader, log_in):
    return log_in(reader)


@pytest.fixture
def community_b_client(community_b_user, log_in):
    return log_in(community_b_user)


@pytest.fixture
def meetings(register, meeting_bodies, staff_user):
    """The 18 November 2022 work meeting of docs/domain.md ("Meetings"), a planned one, and one of each
    other body."""
    r, bodies = register, meeting_bodies
    held = MeetingFactory(
        body=bodies.qingfeng_1,
        title="铸铁管改造工作例会",
        starts_at=at(2022, 11, 18, 15, 0),
        ends_at=at(2022, 11, 18, 16, 30),
        place="庆丰业委会办公室",
        created_by=staff_user,
    )
    AttendeeFactory(meeting=held, resident=r.resident_a1)
    AttendeeFactory(meeting=held, resident=r.resident_a2)
    AttendeeFactory(meeting=held, resident=None, user=staff_user)
    contractor = OutsidePartyFactory(meeting=held, organisation="贵州安居建筑公司", name="陈工")
    pipes = AgendaItemFactory(meeting=held, order=1, title="铸铁管改造", minutes=PIPES_MINUTES)
    agreement = DecisionFactory(
        meeting=held, item=pipes, text="当天与施工方签订协议。", signed_by="廖书英"
    )
    repair = ActionFactory(
        meeting=held,
        item=pipes,
        description="修复墙面",
        owner_party=contractor,
        due_on=datetime.date(2022, 12, 18),
    )
    soon = timezone.localtime() + datetime.timedelta(days=7)
    planned = MeetingFactory(
        body=bodies.qingfeng_1,
        title="下周工作例会",
        starts_at=soon,
        ends_at=None,
        place="庆丰小区活动室",
        status=Meeting.Status.PLANNED,
    )
    AgendaItemFactory(meeting=planned, title="预备议题", minutes="草稿纪要，不公开")
    bailajing = MeetingFactory(
        body=bodies.bailajing,
        kind=Meeting.Kind.OPINION,
        title="百腊井意见征集会",
        starts_at=at(2022, 11, 25, 10, 0),
        place="百腊井3栋院坝",
    )
    qianling = MeetingFactory(
        body=bodies.qianling,
        title="黔灵小区工作例会",
        starts_at=at(2022, 11, 20, 9, 0),
        place="黔灵物业办公室",
    )
    AgendaItemFactory(meeting=qianling, title="黔灵议题", minutes="黔灵纪要")
    return Meetings(
        held=held,
        contractor=contractor,
        pipes=pipes,
        agreement=agreement,
        repair=repair,
        planned=planned,
        bailajing=bailajing,
        qianling=qianling,
    )
