"""A small register and the people who use it (after healthchecks' hc/test.py).

Two communities, each with a compound: 庆丰小区 (compound A, community A) has
two courtyards with one building, unit, household and resident each;
黔灵小区 (compound B, community B) has one of each. The users:

- admin_user: a superuser, sees everything;
- staff_user: neighbourhood-committee staff of community A;
- member_a: committee member for compound A;
- courtyard_member: committee member for courtyard 庆丰一号院 of compound A only;
- outsider: logged in, with no grant.

`bodies` adds the three bodies of community A on top (see `Bodies`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory.random
import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from committees.bodies import services as committee_services
from committees.models import Body, Member, Term
from residents.models import (
    Building,
    Community,
    Compound,
    Courtyard,
    Household,
    Membership,
    Resident,
    Unit,
)
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    CourtyardFactory,
    HouseholdFactory,
    MemberFactory,
    MembershipFactory,
    ResidentAccountFactory,
    ResidentFactory,
    TermFactory,
    UnitFactory,
    UserFactory,
    id_number,
)

factory.random.reseed_random("jinzang")


def pytest_configure(config):
    # WhiteNoise looks for collected static files, which tests do not need.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


# Fixed ID numbers use another region code than generated ones, so they never clash.
FIXED_REGION = "520102"


@pytest.fixture(autouse=True)
def english(settings):
    """Pages and messages in English, whatever catalogue is installed."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rows rolled back by one test may have the keys
    of the next one's, which a cached figure keyed by them would otherwise outlive."""
    for store in caches.all():
        store.clear()
    yield
    for store in caches.all():
        store.clear()


@pytest.fixture(autouse=True)
def session_renewal_off_the_clock(monkeypatch):
    """A logged-in session is renewed (written) once a minute; on a loaded machine a test may
    outlast that minute and its query count would change with the clock. Tests of the
    renewal itself set the interval back."""
    monkeypatch.setattr("jinzang.middleware.SESSION_RENEW_SECONDS", 10**9)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Register:
    community_a: Community
    community_b: Community
    compound_a: Compound
    compound_b: Compound
    courtyard_a1: Courtyard
    courtyard_a2: Courtyard
    building_a1: Building
    building_a2: Building
    building_b: Building
    unit_a1: Unit
    unit_a2: Unit
    unit_b: Unit
    household_a1: Household
    household_a2: Household
    household_b: Household
    resident_a1: Resident
    resident_a2: Resident
    resident_b: Resident
    membership_a1: Membership
    membership_a2: Membership
    membership_b: Membership


@pytest.fixture
def register(db):
    community_a = CommunityFactory(name="金仓社区", district="云岩区", sub_district="盐务街街道")
    community_b = CommunityFactory(name="黔灵社区", district="云岩区", sub_district="黔东街道")
    compound_a = CompoundFactory(community=community_a, name="庆丰小区", built="1980s")
    compound_b = CompoundFactory(community=community_b, name="黔灵小区", built="2001")
    courtyard_a1 = CourtyardFactory(compound=compound_a, name="庆丰一号院")
    courtyard_a2 = CourtyardFactory(compound=compound_a, name="庆丰二号院")
    building_a1 = BuildingFactory(compound=compound_a, courtyard=courtyard_a1, number="18")
    building_a2 = BuildingFactory(compound=compound_a, courtyard=courtyard_a2, number="17")
    building_b = BuildingFactory(compound=compound_b, number="5")
    unit_a1 = UnitFactory(building=building_a1, number="2")
    unit_a2 = UnitFactory(building=building_a2, number="3")
    unit_b = UnitFactory(building=building_b, number="1")
    household_a1 = HouseholdFactory(unit=unit_a1, door_number="301", area=Decimal("68.50"))
    household_a2 = HouseholdFactory(
        unit=unit_a2,
        door_number="502",
        area=Decimal("75.20"),
        occupancy=Household.Occupancy.RENTED,
    )
    household_b = HouseholdFactory(unit=unit_b, door_number="101", area=Decimal("90.00"))
    resident_a1 = ResidentFactory(
        name="李华玉",
        gender=Resident.Gender.FEMALE,
        birth_year=1962,
        phone="13812345678",
        id_number=id_number(1962, 1, region=FIXED_REGION),
        is_party_member=True,
        care_notes="独居老人，腿脚不便，每周探访一次。",
    )
    resident_a2 = ResidentFactory(
        name="武莉华",
        gender=Resident.Gender.FEMALE,
        birth_year=1975,
        phone="13987654321",
        id_number=id_number(1975, 2, region=FIXED_REGION),
        is_volunteer=True,
    )
    resident_b = ResidentFactory(
        name="赵湘黔",
        gender=Resident.Gender.MALE,
        birth_year=1958,
        phone="13700001111",
        id_number=id_number(1958, 3, region=FIXED_REGION),
        care_notes="低保户，需要帮扶。",
    )
    return Register(
        community_a=community_a,
        community_b=community_b,
        compound_a=compound_a,
        compound_b=compound_b,
        courtyard_a1=courtyard_a1,
        courtyard_a2=courtyard_a2,
        building_a1=building_a1,
        building_a2=building_a2,
        building_b=building_b,
        unit_a1=unit_a1,
        unit_a2=unit_a2,
        unit_b=unit_b,
        household_a1=household_a1,
        household_a2=household_a2,
        household_b=household_b,
        resident_a1=resident_a1,
        resident_a2=resident_a2,
        resident_b=resident_b,
        membership_a1=MembershipFactory(resident=resident_a1, household=household_a1),
        membership_a2=MembershipFactory(
            resident=resident_a2, household=household_a2, relation=Membership.Relation.TENANT
        ),
        membership_b=MembershipFactory(resident=resident_b, household=household_b),
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin", first_name="管理员", last_name="", is_superuser=True, is_staff=True
    )


@pytest.fixture
def staff_user(register):
    user = UserFactory(username="liaoshuying", first_name="书英", last_name="廖")
    AccessGrantFactory(user=user, staff=True, community=register.community_a)
    return user


@pytest.fixture
def member_a(register):
    user = UserFactory(username="zhoumin", first_name="敏", last_name="周")
    AccessGrantFactory(user=user, compound=register.compound_a)
    return user


@pytest.fixture
def courtyard_member(register):
    user = UserFactory(username="wangxiaoyan", first_name="晓燕", last_name="王")
    AccessGrantFactory(user=user, compound=register.compound_a, courtyard=register.courtyard_a1)
    return user


@pytest.fixture
def resident_user(register):
    """李华玉's own account (the residents' door): owner of household A1."""
    user = UserFactory(username="huayu_at_home", first_name="华玉", last_name="李")
    ResidentAccountFactory(user=user, resident=register.resident_a1)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", first_name="路人", last_name="张")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def log_in():
    """`log_in(user)`: a client logged in as `user`."""
    return logged_in


@pytest.fixture
def admin_client(admin_user):
    return logged_in(admin_user)


@pytest.fixture
def staff_client(staff_user):
    return logged_in(staff_user)


@pytest.fixture
def member_client(member_a):
    return logged_in(member_a)


@pytest.fixture
def courtyard_client(courtyard_member):
    return logged_in(courtyard_member)


@pytest.fixture
def outsider_client(outsider):
    return logged_in(outsider)


# The three bodies


@dataclass
class Bodies:
    """The bodies of community A (金仓社区), as in docs/domain.md ("The three bodies"), and one of community B.

    - neighbourhood: 金仓社区居民委员会, 7th term since 2021, chaired by staff_user (廖书英)
      through a seat;
    - bailajing: 百腊井小区业主委员会 of the compound 百腊井小区 (community A, one building,
      seven households each owned by one of its members): 1st term 2013-2017 (two seats
      ended with it), 2nd term since 2017 with 7 members, 4 of them party members, chaired
      by 赵湘黔, whose seat gives the login account `bailajing_user` access;
    - qingfeng_1: 庆丰一号院业主委员会 of courtyard A1, chaired by 李华玉 (resident_a1),
      whose seat gives `qingfeng_1_user` access to that courtyard;
    - qingfeng_2: 庆丰二号院自管会, the self-management committee of courtyard A2;
    - qianling: 黔灵小区业主委员会 of compound B (community B).
    """

    bailajing_compound: Compound
    bailajing_households: list[Household]
    neighbourhood: Body
    neighbourhood_term: Term
    bailajing: Body
    bailajing_term_1: Term
    bailajing_term_2: Term
    bailajing_chair: Member
    bailajing_members: list[Member]
    bailajing_user: object
    qingfeng_1: Body
    qingfeng_1_term: Term
    qingfeng_1_chair: Member
    qingfeng_1_user: object
    qingfeng_2: Body
    qingfeng_2_term: Term
    qianling: Body
    qianling_term: Term


# Bailajing's 2nd term: (name, role, party member); the chair first.
BAILAJING_MEMBERS = [
    ("赵湘黔", Member.Role.CHAIR, True),
    ("孙桂兰", Member.Role.VICE_CHAIR, True),
    ("钱国强", Member.Role.SECRETARY, True),
    ("周建华", Member.Role.MEMBER, True),
    ("吴秀英", Member.Role.MEMBER, False),
    ("郑海燕", Member.Role.MEMBER, False),
    ("冯志明", Member.Role.MEMBER, False),
]


@pytest.fixture
def bodies(register, staff_user):
    r = register
    date = datetime.date

    def add(*, term, role, starts_on, resident=None, user=None, **kwargs):
        # A seat with an account goes through the service, which grants its access;
        # the others are written directly, which is quicker.
        if user is not None:
            return committee_services.member_add(
                term=term, role=role, starts_on=starts_on, resident=resident, user=user, **kwargs
            )
        return MemberFactory(term=term, role=role, starts_on=starts_on, resident=resident, **kwargs)

    neighbourhood = BodyFactory(
        neighbourhood=True,
        community=r.community_a,
        name="金仓社区居民委员会",
        founded_on=date(2001, 3, 1),
    )
    neighbourhood_term = TermFactory(
        body=neighbourhood, number=7, starts_on=date(2021, 6, 1), formed_by="appointment"
    )
    add(
        term=neighbourhood_term,
        role=Member.Role.CHAIR,
        starts_on=date(2021, 6, 1),
        user=staff_user,
        name="廖书英",
        is_party_member=True,
    )

    compound = CompoundFactory(community=r.community_a, name="百腊井小区", built="1980s")
    unit = UnitFactory(building=BuildingFactory(compound=compound, number="3"), number="1")
    bailajing = BodyFactory(compound=compound, name="百腊井小区业主委员会")
    term_1 = committee_services.term_start(body=bailajing, number=1, starts_on=date(2013, 6, 28))
    for name in ("马德胜", "林淑芬"):
        add(
            term=term_1,
            role=Member.Role.MEMBER,
            starts_on=term_1.starts_on,
            resident=ResidentFactory(name=name),
        )
    term_2 = committee_services.term_start(body=bailajing, number=2, starts_on=date(2017, 7, 1))
    term_1.refresh_from_db()
    bailajing_user = UserFactory(username="zhaoxiangqian", first_name="湘黔", last_name="赵")
    households, members = [], []
    for i, (name, role, party) in enumerate(BAILAJING_MEMBERS):
        household = HouseholdFactory(
            unit=unit, door_number=f"{101 + i}", area=Decimal("60.00") + 5 * i
        )
        resident = ResidentFactory(name=name, is_party_member=party, is_volunteer=not party)
        MembershipFactory(resident=resident, household=household)
        households.append(household)
        members.append(
            add(
                term=term_2,
                role=role,
                starts_on=term_2.starts_on,
                resident=resident,
                user=bailajing_user if role == Member.Role.CHAIR else None,
            )
        )

    qingfeng_1 = BodyFactory(
        compound=r.compound_a,
        courtyard=r.courtyard_a1,
        name="庆丰一号院业主委员会",
        founded_on=date(2014, 4, 26),
    )
    qingfeng_1_term = TermFactory(body=qingfeng_1, number=1, starts_on=date(2014, 4, 26))
    qingfeng_1_user = UserFactory(username="lihuayu", first_name="华玉", last_name="李")
    qingfeng_1_chair = add(
        term=qingfeng_1_term,
        role=Member.Role.CHAIR,
        starts_on=date(2014, 4, 26),
        resident=r.resident_a1,
        user=qingfeng_1_user,
    )

    qingfeng_2 = BodyFactory(
        self_management=True,
        compound=r.compound_a,
        courtyard=r.courtyard_a2,
        name="庆丰二号院自管会",
        founded_on=date(2014, 9, 1),
    )
    qingfeng_2_term = TermFactory(
        body=qingfeng_2, number=1, starts_on=date(2014, 9, 1), formed_by="appointment"
    )
    add(
        term=qingfeng_2_term,
        role=Member.Role.CHAIR,
        starts_on=date(2014, 9, 1),
        resident=r.resident_a2,
    )

    qianling = BodyFactory(compound=r.compound_b, name="黔灵小区业主委员会")
    qianling_term = TermFactory(body=qianling, number=1, starts_on=date(2018, 5, 1))
    qianling_chair = ResidentFactory(name="黄德明")
    MembershipFactory(resident=qianling_chair, household=r.household_b)
    add(
        term=qianling_term,
        role=Member.Role.CHAIR,
        starts_on=date(2018, 5, 1),
        resident=qianling_chair,
    )

    return Bodies(
        bailajing_compound=compound,
        bailajing_households=households,
        neighbourhood=neighbourhood,
        neighbourhood_term=neighbourhood_term,
        bailajing=bailajing,
        bailajing_term_1=term_1,
        bailajing_term_2=term_2,
        bailajing_chair=members[0],
        bailajing_members=members,
        bailajing_user=bailajing_user,
        qingfeng_1=qingfeng_1,
        qingfeng_1_term=qingfeng_1_term,
        qingfeng_1_chair=qingfeng_1_chair,
        qingfeng_1_user=qingfeng_1_user,
        qingfeng_2=qingfeng_2,
        qingfeng_2_term=qingfeng_2_term,
        qianling=qianling,
        qianling_term=qianling_term,
    )
