"""Requests on top of the register and bodies of tests/conftest.py.

The people, as the requests see them:

- staff_user: neighbourhood-committee staff of community A: acts on every request there;
- qingfeng_1_user: chair of 庆丰一号院业主委员会 (courtyard A1): acts on requests of
  compound A's courtyard A1 and on those it handles;
- member_a: may see compound A through a grant but holds no seat: reads only;
- community_b_user: may see compound B only (another community);
- `req`: a request about household A1 (courtyard A1), raised by 李华玉 (resident_a1).
"""

import datetime

import pytest
from django.utils import timezone

from committees.models import ResidentRequest
from committees.requests import services
from tests.factories import AccessGrantFactory, UserFactory
from tests.requests.factories import AllianceMemberFactory, RequestCategoryFactory


@pytest.fixture
def category(db):
    return RequestCategoryFactory(name="道路设施", response_hours=24, resolution_days=7)


@pytest.fixture
def community_b_user(register):
    user = UserFactory(username="qianling")
    AccessGrantFactory(user=user, compound=register.compound_b)
    return user


@pytest.fixture
def req(bodies, register, staff_user, category):
    return services.request_receive(
        community=register.community_a,
        category=category,
        title="楼道灯坏了",
        description="18栋2单元楼道灯不亮，老人夜里摔过一跤。",
        received_through=ResidentRequest.Channel.VISIT,
        recorded_by=staff_user,
        household=register.household_a1,
        raised_by=register.resident_a1,
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )


@pytest.fixture
def alliance(register):
    return [
        AllianceMemberFactory(community=register.community_a, name=f"驻区单位{i}") for i in range(3)
    ]
