"""Clients and an open election on top of the three bodies (tests/conftest.py `bodies`)."""

import datetime
from types import SimpleNamespace

import pytest

from committees.bodies import services
from residents.models import Membership
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ResidentFactory


@pytest.fixture
def qingfeng_1_client(bodies):
    """李华玉, chair of 庆丰一号院业主委员会: her seat gives her courtyard A1."""
    return logged_in(bodies.qingfeng_1_user)


@pytest.fixture
def bailajing_client(bodies):
    """赵湘黔, chair of 百腊井小区业主委员会."""
    return logged_in(bodies.bailajing_user)


@pytest.fixture
def bailajing_election(bodies):
    """The open election of Bailajing's 2nd term: 5 seats, the 7 owners of its households on
    the roll (60 to 90 m², 525 m² in all), two candidates (赵湘黔 and 孙桂兰), and a tenant
    (钱小明) in 孙桂兰's household 102."""
    tenant = ResidentFactory(name="钱小明")
    MembershipFactory(
        resident=tenant,
        household=bodies.bailajing_households[1],
        relation=Membership.Relation.TENANT,
    )
    election = services.election_open(
        term=bodies.bailajing_term_2, seats=5, held_on=datetime.date(2017, 6, 24)
    )
    owners = [m.resident for m in bodies.bailajing_members]
    candidates = [
        services.candidate_add(election=election, resident=owners[0]),
        services.candidate_add(election=election, resident=owners[1]),
    ]
    return SimpleNamespace(
        election=election,
        households=bodies.bailajing_households,
        owners=owners,
        candidates=candidates,
        tenant=tenant,
    )
