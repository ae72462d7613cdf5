"""Every page of the committees runs a fixed number of queries, however many rows it shows.

Each test measures a page, adds rows at every level it shows (bodies, terms, members,
candidates, ballots, households on the roll) and measures again. The first queries of every
page are the same three: the session, the user, and the user's active access grants.
"""

import pytest
from django.urls import reverse

from committees.models import ElectionFiling
from tests.committees.rows import grow

pytestmark = pytest.mark.django_db

# session + user + the user's active access grants
BASE = 3


def rows(response, marker):
    return response.content.decode().count(marker)


@pytest.fixture
def measure(django_assert_num_queries, bodies):
    """Request `url` twice, after adding 2 and then 4 more rows of everything: `n` queries
    each time, and (with `marker`) more rows shown the second time."""

    def measure(client, url, n, marker=None, election=None, method="get", data=None, **extra):
        responses = []
        for more in (2, 4):
            grow(bodies, more, election)
            payload = data() if callable(data) else data
            with django_assert_num_queries(n):
                response = getattr(client, method)(url, payload, **extra)
            assert response.status_code == 200, response.content.decode()[:2000]
            responses.append(response)
        small, large = responses
        if marker:
            assert rows(large, marker) > rows(small, marker) >= 2
        return large

    return measure


def test_body_list_queries_do_not_grow_with_bodies_terms_or_members(measure, staff_client):
    # BASE + the bodies with their places + their current terms with counts + the chairs
    response = measure(
        staff_client, reverse("committees:body_list"), BASE + 3, marker='class="card body-card'
    )
    assert "赵湘黔" in response.content.decode()


def test_body_page_queries_do_not_grow_with_terms_or_members(measure, staff_client, bodies):
    # BASE + the body + its terms with counts + their election rounds + the current term
    # (by date) + the current term's seats + the households of its party members (whose
    # party membership the user may be shown: residents.access.Disclosure)
    url = reverse("committees:body", args=[bodies.bailajing.pk])
    measure(staff_client, url, BASE + 6, marker="End seat")


def test_body_page_for_its_member_adds_one_query(measure, bailajing_client, bodies):
    # the same, + is the user a current member of the body (staff need no query)
    url = reverse("committees:body", args=[bodies.bailajing.pk])
    measure(bailajing_client, url, BASE + 7, marker="End seat")


def test_election_page_queries_do_not_grow_with_candidates_ballots_or_owners(
    measure, staff_client, bailajing_election
):
    # BASE + the election with its term, body, filing, roll and who took its steps + the
    # count (ballots, candidates, choices, roll) + the term's rounds + the number of
    # ballots + the ballot form (owners, households on the roll, candidates); no candidate
    # form once the election is announced
    election = bailajing_election.election
    url = reverse("committees:election", args=[election.pk])
    response = measure(staff_client, url, BASE + 10, marker='<th scope="row">', election=election)
    assert "Record a ballot" in response.content.decode()


def test_election_page_for_a_reader_queries_do_not_grow(
    measure, qingfeng_1_client, bailajing_election
):
    # BASE + the election + may the user manage the body + the count + the rounds + the
    # number of ballots
    election = bailajing_election.election
    url = reverse("committees:election", args=[election.pk])
    measure(qingfeng_1_client, url, BASE + 8, marker='<th scope="row">', election=election)


def test_htmx_ballot_queries_do_not_grow_with_candidates_ballots_or_owners(
    measure, staff_client, bailajing_election
):
    # BASE + the election + the form's choices (owners, households) and its candidates +
    # the household and the voter; recording (savepoint, locked election, roll entry,
    # ownership, earlier ballot, insert, choices read and written, release); then the
    # count as on the page (with the rounds)
    e = bailajing_election
    voters = iter(range(1, 7))

    def ballot():
        i = next(voters)
        return {
            "household": e.households[i].pk,
            "voter": e.owners[i].pk,
            "choices": [e.candidates[0].pk],
        }

    url = reverse("committees:ballot_record", args=[e.election.pk])
    response = measure(
        staff_client,
        url,
        BASE + 24,
        marker='<th scope="row">',
        election=e.election,
        method="post",
        data=ballot,
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().strip().startswith('<div id="count">')
    assert "Ballot recorded." in response.content.decode()


def test_term_form_queries_are_fixed(measure, staff_client, bodies):
    # BASE + the body + the last term (the next number)
    measure(staff_client, reverse("committees:term_create", args=[bodies.bailajing.pk]), BASE + 2)


def test_member_form_queries_do_not_grow_with_residents_or_accounts(measure, staff_client, bodies):
    # BASE + the term with its body + the residents of the place + the accounts
    url = reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
    measure(staff_client, url, BASE + 3, marker="<option value=")


def test_election_form_queries_are_fixed(measure, staff_client, bodies):
    # BASE + the term with its body
    url = reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
    measure(staff_client, url, BASE + 1)


def test_member_end_form_queries_are_fixed(measure, staff_client, bodies):
    # BASE + the seat with its term, body, person and grant
    url = reverse("committees:member_end", args=[bodies.bailajing_members[3].pk])
    measure(staff_client, url, BASE + 1)


def test_election_page_after_the_result_queries_do_not_grow(
    measure, staff_client, bailajing_elected
):
    # BASE + the election with its term, body, filing, roll and who took its steps + the
    # candidates of its frozen result + the rounds + the chair chosen. Rows added after
    # the close (candidates, ballots) do not show: the page reads the result frozen then.
    e = bailajing_elected
    url = reverse("committees:election", args=[e.runoff.pk])
    response = measure(staff_client, url, BASE + 4, election=e.runoff)
    assert "Record the chair chosen by the members" in response.content.decode()
    assert response.content.decode().count('<th scope="row">') == len(e.runoff.result["candidates"])


def test_runoff_form_queries_do_not_grow_with_candidates_or_ballots(
    measure, staff_client, bailajing_tie
):
    # BASE + the election with its term, body, filing and roll + the candidates of the
    # frozen result of the round it settles
    e = bailajing_tie
    url = reverse("committees:election_runoff", args=[e.election.pk])
    measure(staff_client, url, BASE + 2, election=e.election)


def test_chair_form_queries_do_not_grow_with_members(
    django_assert_num_queries, staff_client, bodies, bailajing_elected
):
    # BASE + the term with its body + the elected members (once for each of the two lists)
    e = bailajing_elected
    url = reverse("committees:chair_choose", args=[e.election.term.pk])
    counts = []
    for more in (2, 4):
        grow(bodies, more)
        # The seats the growth added to the term count as elected.
        e.election.term.members.filter(elected_in=None, ends_on=None).update(elected_in=e.runoff)
        with django_assert_num_queries(BASE + 3):
            response = staff_client.get(url)
        counts.append(rows(response, "<option value="))
    assert counts[1] > counts[0]


def test_filing_form_queries_are_fixed(measure, staff_client, bailajing_elected):
    # BASE + the filing with its term and body
    url = reverse("committees:filing_record", args=[ElectionFiling.objects.get().pk])
    measure(staff_client, url, BASE + 1)
