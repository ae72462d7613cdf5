"""A small register and the people who use it (after healthchecks' hc/test.py).

Two communities, each with a compound: 庆丰小区 (compound A, community A) has
two courtyards with one building, unit, household and resident each;
黔灵小区 (compound B, community B) has one of each. The users:

- admin_user: a superuser, sees everything;
- staff_user: neighbourhood-committee staff of community A;
- member_a: committee member for compound A;
- courtyard_member: committee member for courtyard 庆丰一号院 of compound A only;
- outsider: logged in, with no grant.
"""

from dataclasses import dataclass
from decimal import Decimal

import factory.random
import pytest
from django.test import Client
from django.utils import translation

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
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    CourtyardFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
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
        username="admin", first_name="管理", last_name="员", is_superuser=True, is_staff=True
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
