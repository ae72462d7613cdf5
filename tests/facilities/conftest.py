"""Facilities of compound A (庆丰小区) on top of tests/conftest.py's register and bodies:
the fitness area of courtyard A1 (庆丰一号院, whose owners' committee `qingfeng_1_user`
chairs), the micro fire station of courtyard A2, and a parking shed of compound B."""

import pytest

from committees.models import Facility


@pytest.fixture
def fitness(register):
    return Facility.objects.create(
        compound=register.compound_a,
        courtyard=register.courtyard_a1,
        kind=Facility.Kind.FITNESS,
        name="健身区",
        location="一号院16栋北侧",
    )


@pytest.fixture
def fire_station(register):
    return Facility.objects.create(
        compound=register.compound_a,
        courtyard=register.courtyard_a2,
        kind=Facility.Kind.MICRO_FIRE_STATION,
        name="微型消防站",
    )


@pytest.fixture
def shed_b(register):
    return Facility.objects.create(
        compound=register.compound_b, kind=Facility.Kind.PARKING_SHED, name="停车棚"
    )
