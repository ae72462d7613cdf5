"""Renovation projects on top of the register of tests/conftest.py.

Building 18 of 庆丰小区 (courtyard 庆丰一号院) gets units 2 and 4 with four households
each, doors 301, 302, 401 and 402 (2-301 is the register's household_a1, owned by
李华玉); every other household has one owner with a distinctive name and phone.

- pipes: the 2022 cast-iron pipe co-funding campaign of 庆丰一号院业主委员会 over
  units 2 and 4, going ahead in a unit once half its households agree. In unit 2,
  301 agrees (1,200.00 yuan, "修复墙面"), 302 agrees (800.50), 401 declines and 402
  is undecided; unit 4 has not been reached.
- fund: the same body's owners' decision on using the maintenance fund over unit 4
  (areas 60, 80, 100 and 60 m²), vote open: 301 and 302 agree, 401 disagrees, 402
  has not voted. 80.0% of the area and 75.0% of the owners took part; 58.3% of
  the participating area and 66.7% of the participating owners agree: it passes.

The people, as the projects see them (seats as in tests/meetings/conftest.py):

- manager: 李华玉's login, chair of 庆丰一号院业主委员会, the sponsoring body;
- staff_user: neighbourhood-committee staff of community A, manages every body there;
- reader: member_a, who may see compound A's register but has no seat on any body;
- courtyard_member: may see courtyard 庆丰一号院 only, with no seat;
- other_member: the chair of 百腊井小区业主委员会, another compound of community A;
- community_b_user: may see compound B (community B) only;
- outsider: logged in, with no grant.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.models import Building, Household, Membership, Resident, Unit
from residents.owners.owners_vote import Matter
from tests.factories import (
    AccessGrantFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
    UnitFactory,
    UserFactory,
)
from tests.meetings.conftest import three_bodies
from tests.projects.factories import ProjectFactory, open_vote

# The owners of building 18, by unit and door (2-301 is 李华玉, from the register).
OWNER_NAMES = {
    ("2", "302"): "欧阳铁柱",
    ("2", "401"): "司马翠花",
    ("2", "402"): "诸葛金凤",
    ("4", "301"): "上官银锁",
    ("4", "302"): "东方石头",
    ("4", "401"): "皇甫春燕",
    ("4", "402"): "慕容秋菊",
}
OWNER_PHONES = {key: f"1390000{i:04d}" for i, key in enumerate(OWNER_NAMES, start=1)}
AREAS = {
    ("2", "301"): Decimal("68.50"),
    ("2", "302"): Decimal("70.00"),
    ("2", "401"): Decimal("75.00"),
    ("2", "402"): Decimal("80.00"),
    ("4", "301"): Decimal("60.00"),
    ("4", "302"): Decimal("80.00"),
    ("4", "401"): Decimal("100.00"),
    ("4", "402"): Decimal("60.00"),
}
DOORS = ("301", "302", "401", "402")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a directory of their own, gone after the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def project_bodies(register):
    return three_bodies(register)


@pytest.fixture
def manager(project_bodies):
    return project_bodies.qingfeng_1_user


@pytest.fixture
def other_member(project_bodies):
    return project_bodies.bailajing_user


@pytest.fixture
def reader(member_a):
    return member_a


@pytest.fixture
def community_b_user(register):
    user = UserFactory(username="huangdeming", first_name="德明", last_name="黄")
    AccessGrantFactory(user=user, compound=register.compound_b)
    return user


@pytest.fixture
def courtyard_2_member(register):
    user = UserFactory(username="sunguilan", first_name="桂兰", last_name="孙")
    AccessGrantFactory(user=user, compound=register.compound_a, courtyard=register.courtyard_a2)
    return user


@pytest.fixture
def manager_client(manager, log_in):
    return log_in(manager)


@pytest.fixture
def reader_client(reader, log_in):
    return log_in(reader)


@dataclass
class Building18:
    building: Building
    unit_2: Unit
    unit_4: Unit
    households: dict[str, Household]  # by "unit-door": "2-301", ..., "4-402"
    owners: dict[str, Resident]


@pytest.fixture
def building_18(register):
    r = register
    unit_4 = UnitFactory(building=r.building_a1, number="4")
    households, owners = {"2-301": r.household_a1}, {"2-301": r.resident_a1}
    for unit in (r.unit_a1, unit_4):
        for door in DOORS:
            key = (unit.number, door)
            if key == ("2", "301"):
                continue
            household = HouseholdFactory(unit=unit, door_number=door, area=AREAS[key])
            owner = ResidentFactory(name=OWNER_NAMES[key], phone=OWNER_PHONES[key])
            MembershipFactory(resident=owner, household=household)
            households[f"{unit.number}-{door}"] = household
            owners[f"{unit.number}-{door}"] = owner
    return Building18(
        building=r.building_a1,
        unit_2=r.unit_a1,
        unit_4=unit_4,
        households=households,
        owners=owners,
    )


def record(project, household, answer, by, **kwargs):
    """Record `answer` through the service, over whatever the household has now."""
    current = ConsentRecord.objects.filter(project=project, household=household).first()
    return consent.consent_record(
        project=project,
        household=household,
        answer=answer,
        recorded_by=by,
        expected_version=current.version if current else 0,
        **kwargs,
    )


@pytest.fixture
def pipes(project_bodies, building_18, manager, staff_user):
    b = building_18
    project = ProjectFactory(
        name="铸铁管改造",
        description="2022年庆丰一号院铸铁管改造，住户自愿共同出资。",
        body=project_bodies.qingfeng_1,
        threshold=Decimal("0.5"),
        units=[b.unit_2, b.unit_4],
    )
    h = b.households
    record(
        project, h["2-301"], "agree", manager, contribution=Decimal("1200"), conditions="修复墙面"
    )
    record(project, h["2-302"], "agree", staff_user, contribution=Decimal("800.50"))
    record(project, h["2-401"], "decline", manager)
    record(project, h["2-402"], "undecided", manager)
    return project


@pytest.fixture
def fund(project_bodies, building_18, manager):
    b = building_18
    project = ProjectFactory(
        name="使用维修资金更换水泵",
        body=project_bodies.qingfeng_1,
        consent_kind=Project.ConsentKind.OWNERS_DECISION,
        matter=Matter.USE_FUND,
        units=[b.unit_4],
    )
    project = open_vote(project)
    h = b.households
    record(project, h["4-301"], "agree", manager)
    record(project, h["4-302"], "agree", manager)
    record(project, h["4-401"], "disagree", manager)
    return project


def owned_by(resident, household, relation=Membership.Relation.OWNER):
    return MembershipFactory(resident=resident, household=household, relation=relation)
