import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from committees.models import Ballot, ChairChoice, ElectionFiling
from tests.committees.rows import grow
from tests.factories import (
    BallotFactory,
    CandidateFactory,
    ElectionFactory,
    MemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What each changelist shows of the three bodies.
CHANGELIST_TEXT = {
    "body": "百腊井小区业主委员会",
    "term": "百腊井小区业主委员会, term 2",
    "member": "赵湘黔 · Chair",
    "election": "Election of 百腊井小区业主委员会, term 2",
    "candidate": "孙桂兰",
    "ballot": "百腊井小区 building 3 unit 1, 102",
    "chairchoice": "Chair of 百腊井小区业主委员会, term 2 chosen on 3 Jul 2017",
    "electionfiling": "Filing of the election of 百腊井小区业主委员会, term 2",
}

# A record of each model, and a text its change page shows.
RECORDS = {
    "body": (lambda b, e: b.bailajing, 'value="百腊井小区业主委员会"'),
    "term": (lambda b, e: b.bailajing_term_2, "赵湘黔"),  # its seats inline
    "member": (lambda b, e: b.bailajing_chair, "zhaoxiangqian · Committee member · 百腊井小区"),
    "election": (lambda b, e: e.election, "孙桂兰"),  # its candidates inline
    "candidate": (lambda b, e: e.candidates[1], "孙桂兰"),
    "ballot": (lambda b, e: Ballot.objects.get(), "孙桂兰"),
    "chairchoice": (lambda b, e: ChairChoice.objects.get(), "赵湘黔 · Chair"),
    "electionfiling": (lambda b, e: ElectionFiling.objects.get(), "盐务街街道办事处"),
}


@pytest.fixture
def election(bailajing_election):
    """The Bailajing election with one ballot: 孙桂兰 (102) votes for herself."""
    e = bailajing_election
    BallotFactory(
        election=e.election,
        household=e.households[1],
        voter=e.owners[1],
        owner_key=e.election.roll.entries.get(household=e.households[1]).owner_key,
        choices=[e.candidates[1]],
    )
    term = e.election.term
    ChairChoice.objects.create(
        term=term, chair=term.members.get(role="chair"), chosen_on=datetime.date(2017, 7, 3)
    )
    ElectionFiling.objects.create(
        term=term,
        due_on=datetime.date(2017, 7, 24),
        filed_on=datetime.date(2017, 7, 14),
        filed_with="盐务街街道办事处",
    )
    return e


def add_rows(bodies, election, n):
    """`n` more rows in every table the admin lists, other elections with ballots included."""
    grow(bodies, n, election.election)
    for _ in range(n):
        other = ElectionFactory()
        BallotFactory(election=other, choices=[CandidateFactory(election=other)])
        ElectionFiling.objects.create(term=other.term, due_on=other.held_on)
        ChairChoice.objects.create(
            term=other.term,
            chair=MemberFactory(term=other.term),
            vice_chair=MemberFactory(term=other.term, user=UserFactory()),
            chosen_on=other.held_on,
            recorded_by=UserFactory(),
        )


def count_queries(client, url):
    client.get(url)  # warms the process-wide caches (content types) the admin reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", CHANGELIST_TEXT)
def test_changelist_opens_for_the_superuser(admin_client, election, model):
    response = admin_client.get(reverse(f"admin:committees_{model}_changelist"))
    assertContains(response, CHANGELIST_TEXT[model])


@pytest.mark.parametrize("model", RECORDS)
def test_change_page_opens_for_the_superuser(admin_client, bodies, election, model):
    record, shown = RECORDS[model]
    url = reverse(f"admin:committees_{model}_change", args=[record(bodies, election).pk])
    assertContains(admin_client.get(url), shown)


@pytest.mark.parametrize("model", ["ballot", "chairchoice", "electionfiling"])
def test_ballots_chairs_and_filings_are_not_added_through_the_admin(admin_client, election, model):
    # Each comes from its page, which checks it: who may vote, who was elected, whether the
    # election is over.
    response = admin_client.get(reverse(f"admin:committees_{model}_add"))
    assert response.status_code == 403


def test_body_changelist_counts_terms(admin_client, bodies):
    response = admin_client.get(reverse("admin:committees_body_changelist"))
    assertContains(response, '<td class="field-term_count">2</td>')


@pytest.mark.parametrize("model", CHANGELIST_TEXT)
def test_changelist_queries_do_not_grow_with_rows(admin_client, bodies, election, model):
    url = reverse(f"admin:committees_{model}_changelist")
    add_rows(bodies, election, 2)
    small = count_queries(admin_client, url)
    add_rows(bodies, election, 3)
    assert count_queries(admin_client, url) == small


@pytest.mark.parametrize(
    "model, record, add_row",
    [
        (
            "term",
            lambda b, e: b.bailajing_term_2,
            lambda b, e: MemberFactory(term=b.bailajing_term_2),
        ),
        (
            "election",
            lambda b, e: e.election,
            lambda b, e: CandidateFactory(election=e.election),
        ),
        (
            "body",
            lambda b, e: b.bailajing,
            lambda b, e: b.bailajing.terms.create(
                number=b.bailajing.terms.count() + 1,
                starts_on=datetime.date(1990 + b.bailajing.terms.count(), 1, 1),
                ends_on=datetime.date(1990 + b.bailajing.terms.count(), 12, 31),
            ),
        ),
    ],
    ids=["term-seats", "election-candidates", "body-terms"],
)
def test_change_page_queries_do_not_grow_with_inline_rows(
    admin_client, bodies, election, model, record, add_row
):
    url = reverse(f"admin:committees_{model}_change", args=[record(bodies, election).pk])
    for _ in range(2):
        add_row(bodies, election)
    small = count_queries(admin_client, url)
    for _ in range(3):
        add_row(bodies, election)
    assert count_queries(admin_client, url) == small
