"""Clients and an election on top of the three bodies (tests/conftest.py `bodies`): open,
closed on a tie, its run-off, and over."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from committees.bodies import services
from residents.models import Membership
from tests.committees.factories import closed, open_vote
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
def bailajing_draft(bodies):
    """The drafted election of Bailajing's 2nd term: 5 seats, two candidates (赵湘黔 and
    孙桂兰), and a tenant (钱小明) in 孙桂兰's household 102; the 7 owners of its households
    (60 to 90 m², 525 m² in all) go on the roll when the vote opens."""
    tenant = ResidentFactory(name="钱小明")
    MembershipFactory(
        resident=tenant,
        household=bodies.bailajing_households[1],
        relation=Membership.Relation.TENANT,
    )
    election = services.election_create(
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


@pytest.fixture
def bailajing_election(bailajing_draft):
    """The Bailajing election announced 16 days ago and its vote open since now, until 7
    days from now (tests/committees/factories.py `open_vote`)."""
    e = bailajing_draft
    return SimpleNamespace(**{**vars(e), "election": open_vote(e.election)})


def cast(election, voters, *candidates):
    household, owner = voters
    return services.ballot_record(
        election=election,
        household=household,
        voter=owner,
        candidates=candidates,
        recorded_by=None,
    )


@pytest.fixture
def bailajing_tie(bailajing_draft):
    """The Bailajing election, closed on a tie: six candidates (the owners of 101 to 106)
    for five seats. Every owner names 赵湘黔, 孙桂兰 and 钱国强; six of them name two of
    周建华, 吴秀英 and 郑海燕, each pair twice: each of the three is on 4 of 7 ballots, a
    majority by head and by area. 赵湘黔, 孙桂兰 and 钱国强 are elected; the others tie for
    the last two seats."""
    e = bailajing_draft
    candidates = [
        *e.candidates,
        *(services.candidate_add(election=e.election, resident=o) for o in e.owners[2:6]),
    ]
    e.election = open_vote(e.election)
    pairs = [(3, 4), (3, 4), (3, 5), (3, 5), (4, 5), (4, 5), ()]
    for i, pair in enumerate(pairs):
        chosen = [candidates[c] for c in (0, 1, 2, *pair)]
        cast(e.election, (e.households[i], e.owners[i]), *chosen)
    e.election = closed(e.election)
    return SimpleNamespace(
        **{**vars(e), "candidates": candidates},
        elected=e.owners[:3],
        tied=e.owners[3:6],
    )


@pytest.fixture
def bailajing_runoff(bailajing_tie):
    """The run-off of the tie, held five days ago, announced and its vote open."""
    e = bailajing_tie
    runoff = services.election_runoff(
        election=e.election, held_on=timezone.localdate() - datetime.timedelta(days=5)
    )
    runoff = open_vote(runoff)
    return SimpleNamespace(**vars(e), runoff=runoff)


@pytest.fixture
def bailajing_elected(bailajing_runoff):
    """The run-off closed: every owner names 周建华 and 吴秀英, who take the last two seats.
    The election is over; its filing is due 25 days from today."""
    e = bailajing_runoff
    by_resident = {c.resident_id: c for c in e.runoff.candidates.all()}
    for household, owner in zip(e.households, e.owners, strict=True):
        cast(e.runoff, (household, owner), by_resident[e.tied[0].pk], by_resident[e.tied[1].pk])
    e.runoff = closed(e.runoff)
    return e
