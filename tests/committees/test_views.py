import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from committees.bodies import services
from committees.models import Ballot, Candidate, Election, Member, Term
from residents.models import AccessGrant
from tests.factories import MembershipFactory, ResidentFactory, stored

pytestmark = pytest.mark.django_db

date = datetime.date


def text(response) -> str:
    return response.content.decode()


def card(response, name) -> str:
    """The body's card on the list page."""
    cards = re.findall(r'<li class="card body-card.*?</li>', text(response), re.S)
    (found,) = [c for c in cards if name in c]
    return found


def figure(block, label) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", block, re.S)
    assert match, f"no {label}"
    return match.group(1)


def stat(response, label) -> str:
    """The value of one of the page's figures."""
    match = re.search(
        rf'<span class="stat-value">([^<]*)</span><span class="stat-label">{label}[ ·<]',
        text(response),
    )
    assert match, f"no figure {label}"
    return match.group(1)


def member_rows(response) -> list[str]:
    section = text(response).split("<h2>Terms</h2>")[0]
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]*)', section)


# The list of bodies


def test_body_list_shows_each_body_with_its_current_term_and_chair(staff_client, bodies):
    response = staff_client.get(reverse("committees:body_list"))
    expected = {
        "金仓社区居民委员会": ("Term 7", "廖书英"),
        "百腊井小区业主委员会": ("Term 2", "赵湘黔"),
        "庆丰一号院业主委员会": ("Term 1", "李华玉"),
        "庆丰二号院自管会": ("Term 1", "武莉华"),
    }
    for name, (term, chair) in expected.items():
        block = card(response, name)
        assert figure(block, "Current term") == term
        assert figure(block, "Chair") == chair
    assertContains(response, "Neighbourhood committee")
    assertContains(response, "Self-management committee")


def test_body_list_counts_the_members_and_party_members_of_the_current_term(staff_client, bodies):
    block = card(staff_client.get(reverse("committees:body_list")), "百腊井小区业主委员会")
    assert (figure(block, "Members"), figure(block, "Party members")) == ("7", "4")


def test_body_list_shows_only_the_users_community(staff_client, bodies):
    response = staff_client.get(reverse("committees:body_list"))
    assertNotContains(response, "黔灵小区业主委员会")
    assertNotContains(response, "黄德明")


def test_body_without_a_running_term_says_so(staff_client, bodies):
    services.term_end(term=bodies.qingfeng_2_term, ends_on=date(2020, 12, 31))
    block = card(staff_client.get(reverse("committees:body_list")), "庆丰二号院自管会")
    assert "No term is running." in block
    assert "武莉华" not in block


def test_committee_member_sees_the_bodies_of_the_community(qingfeng_1_client, bodies):
    response = qingfeng_1_client.get(reverse("committees:body_list"))
    assertContains(response, "百腊井小区业主委员会")
    assertContains(response, "金仓社区居民委员会")
    assertNotContains(response, "黔灵小区业主委员会")


def test_anonymous_visitor_is_sent_to_log_in_from_the_bodies(client, bodies):
    for url in (
        reverse("committees:body_list"),
        reverse("committees:body", args=[bodies.bailajing.pk]),
    ):
        assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_user_without_a_role_may_not_see_the_bodies(outsider_client, bodies):
    for url in (
        reverse("committees:body_list"),
        reverse("committees:body", args=[bodies.bailajing.pk]),
    ):
        response = outsider_client.get(url)
        assertContains(response, "Not allowed", status_code=403)
        assertNotContains(response, "赵湘黔", status_code=403)


# A body's page


def test_body_page_shows_the_members_of_the_current_term(staff_client, bodies):
    response = staff_client.get(reverse("committees:body", args=[bodies.bailajing.pk]))
    assert member_rows(response) == [
        "赵湘黔",
        "孙桂兰",
        "钱国强",
        "周建华",
        "吴秀英",
        "郑海燕",
        "冯志明",
    ]
    assertContains(response, "Members of term 2")
    assertContains(response, "Vice-chair")
    assertContains(response, "Party member", count=4)
    assertNotContains(response, "马德胜")  # his seat ended with the 1st term


def test_body_page_shows_the_share_of_party_members(staff_client, bodies):
    response = staff_client.get(reverse("committees:body", args=[bodies.bailajing.pk]))
    assert stat(response, "members") == "7"
    assert stat(response, "party members") == "4"
    assert stat(response, "share of party members") == "57%"


def test_body_page_shows_the_term_history(staff_client, bodies):
    response = staff_client.get(reverse("committees:body", args=[bodies.bailajing.pk]))
    history = text(response).split("<h2>Terms</h2>")[1]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(Term \d)</th>(.*?)</tr>", history, re.S)
    assert [term for term, _ in rows] == ["Term 2", "Term 1"]
    second, first = (row for _, row in rows)
    assert "running" in second and "7 (4 party)" in second
    assert "28 Jun 2013" in first and "30 Jun 2017" in first
    assert "2 (0 party)" in first


def test_body_page_shows_a_staff_member_by_name(staff_client, bodies):
    response = staff_client.get(reverse("committees:body", args=[bodies.neighbourhood.pk]))
    assert member_rows(response) == ["廖书英"]
    assertContains(response, "Has an account")


def test_body_page_shows_the_members_of_a_term_with_a_planned_end(staff_client, bodies):
    # A term elected for five years, its end date known: it runs until then.
    term = bodies.qingfeng_1_term
    term.ends_on = timezone.localdate() + datetime.timedelta(days=365)
    term.save()
    response = staff_client.get(reverse("committees:body", args=[bodies.qingfeng_1.pk]))
    assertContains(response, "Members of term 1")
    assert member_rows(response)[0] == "李华玉"


def test_body_of_another_community_is_not_found(staff_client, qingfeng_1_client, bodies):
    url = reverse("committees:body", args=[bodies.qianling.pk])
    for client in (staff_client, qingfeng_1_client):
        response = client.get(url)
        assertContains(response, "Not found", status_code=404)
        assertNotContains(response, "黄德明", status_code=404)


def test_member_of_another_body_sees_the_page_without_the_forms(qingfeng_1_client, bodies):
    response = qingfeng_1_client.get(reverse("committees:body", args=[bodies.bailajing.pk]))
    assertContains(response, "赵湘黔")
    assertNotContains(response, "Start a term")
    assertNotContains(response, "Add a member")
    assertNotContains(response, "End seat")


def test_staff_and_the_bodys_own_members_see_the_forms(staff_client, bailajing_client, bodies):
    url = reverse("committees:body", args=[bodies.bailajing.pk])
    for client in (staff_client, bailajing_client):
        response = client.get(url)
        assertContains(response, reverse("committees:term_create", args=[bodies.bailajing.pk]))
        assertContains(
            response, reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
        )
        assertContains(response, "End seat", count=7)
        assertContains(
            response, reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
        )


# Scopes follow seats


def household_url(household):
    return reverse("residents:household", args=[household.pk])


def test_committee_member_cannot_open_a_household_of_another_compound(qingfeng_1_client, bodies):
    response = qingfeng_1_client.get(household_url(bodies.bailajing_households[0]))
    assertContains(response, "Not found", status_code=404)
    assertNotContains(response, "赵湘黔", status_code=404)
    assertNotContains(response, "百腊井", status_code=404)


def test_committee_member_opens_the_households_of_their_courtyard(
    qingfeng_1_client, bodies, register
):
    response = qingfeng_1_client.get(household_url(register.household_a1))
    assertContains(response, "李华玉")
    assertContains(response, "301")
    response = qingfeng_1_client.get(household_url(register.household_a2))
    assertContains(response, "Not found", status_code=404)


def test_bailajing_member_opens_bailajing_but_not_qingfeng(bailajing_client, bodies, register):
    assertContains(bailajing_client.get(household_url(bodies.bailajing_households[3])), "周建华")
    response = bailajing_client.get(household_url(register.household_a1))
    assertContains(response, "Not found", status_code=404)


def test_neighbourhood_staff_seat_opens_every_household_of_the_community(bodies, register, log_in):
    staff = bodies.neighbourhood_term.members.get().user
    AccessGrant.objects.filter(user=staff, seat__isnull=True).delete()  # the hand-made grant
    client = log_in(staff)
    for household in (register.household_a1, register.household_a2, bodies.bailajing_households[0]):
        assert client.get(household_url(household)).status_code == 200
    assertContains(client.get(household_url(register.household_b)), "Not found", status_code=404)


def test_ending_the_seat_closes_the_register(qingfeng_1_client, bodies, register):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.member_end(member=bodies.qingfeng_1_chair, ends_on=yesterday)
    response = qingfeng_1_client.get(household_url(register.household_a1))
    assertContains(response, "Not allowed", status_code=403)


# Who may use the forms


@pytest.fixture
def forms_of_bailajing(bodies, bailajing_election):
    """Every form of Bailajing's committee: (url, POST data that would be valid)."""
    b, e = bodies, bailajing_election
    election = e.election.pk
    # A drafted election, in the first term: candidates are named and it is announced.
    now = timezone.now()
    draft = services.election_create(
        term=b.bailajing_term_1,
        seats=5,
        held_on=date(2013, 6, 20),
        text="在小区活动室设投票箱。",
        opens_at=now + datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=27),
    )
    services.candidate_add(election=draft, resident=e.owners[4])
    newcomer = ResidentFactory(name="陈志强")
    MembershipFactory(resident=newcomer, household=e.households[0], relation="family")
    return {
        "term_create": (
            reverse("committees:term_create", args=[b.bailajing.pk]),
            {"number": 3, "starts_on": "2022-07-01", "formed_by": "election"},
        ),
        "member_create": (
            reverse("committees:member_create", args=[b.bailajing_term_2.pk]),
            {"resident": newcomer.pk, "role": "member", "starts_on": "2022-01-01"},
        ),
        "member_end": (
            reverse("committees:member_end", args=[b.bailajing_members[6].pk]),
            {"ends_on": "2022-01-01"},
        ),
        "election_create": (
            reverse("committees:election_create", args=[b.bailajing_term_1.pk]),
            {"seats": 7, "held_on": "2013-06-20"},
        ),
        "ballot_record": (
            reverse("committees:ballot_record", args=[election]),
            {"household": e.households[2].pk, "voter": e.owners[2].pk},
        ),
        "candidate_add": (
            reverse("committees:candidate_add", args=[draft.pk]),
            {"resident": e.owners[3].pk},
        ),
        "election_announce": (reverse("committees:election_announce", args=[draft.pk]), {}),
        "election_close": (
            reverse("committees:election_close", args=[election]),
            {"reason": "业主大会决定提前结束投票"},
        ),
    }


def snapshot():
    """What the forms could write."""
    return (
        Term.objects.count(),
        list(Member.objects.order_by("pk").values_list("pk", "ends_on")),
        Election.objects.count(),
        list(
            Election.objects.order_by("pk").values_list(
                "status", "announced_at", "vote_opened_at", "closed_at", "published_at"
            )
        ),
        Candidate.objects.count(),
        Ballot.objects.count(),
    )


FORMS = [
    "term_create",
    "member_create",
    "member_end",
    "election_create",
    "ballot_record",
    "candidate_add",
    "election_announce",
    "election_close",
]
GET_FORMS = FORMS[:4]


# One test per kind of refusal, each trying every form: the fixtures cost more than the requests.


def test_member_of_another_body_may_not_open_or_post_its_forms(
    qingfeng_1_client, forms_of_bailajing
):
    before = snapshot()
    for form, (url, data) in forms_of_bailajing.items():
        if form in GET_FORMS:
            response = qingfeng_1_client.get(url)
            assert response.status_code == 403, form
        response = qingfeng_1_client.post(url, data)
        assert response.status_code == 403, form
        assertContains(response, "Not allowed", status_code=403)
    assert snapshot() == before


def test_forms_of_another_communitys_body_are_not_found(staff_client, bodies):
    b = bodies
    election = services.election_create(term=b.qianling_term, seats=5, held_on=date(2018, 4, 20))
    urls = [
        reverse("committees:term_create", args=[b.qianling.pk]),
        reverse("committees:member_create", args=[b.qianling_term.pk]),
        reverse("committees:member_end", args=[b.qianling_term.members.get().pk]),
        reverse("committees:election_create", args=[b.qianling_term.pk]),
        reverse("committees:ballot_record", args=[election.pk]),
        reverse("committees:candidate_add", args=[election.pk]),
        reverse("committees:election_close", args=[election.pk]),
        reverse("committees:election_announce", args=[election.pk]),
        reverse("committees:election_vote_open", args=[election.pk]),
        reverse("committees:election_publish", args=[election.pk]),
        reverse("committees:election", args=[election.pk]),
    ]
    before = snapshot()
    for url in urls:
        response = staff_client.post(url, {})
        assert response.status_code == 404, url
        assertContains(response, "Not found", status_code=404)
        assertNotContains(response, "黄德明", status_code=404)
    assert snapshot() == before


@pytest.mark.parametrize("form", GET_FORMS)
def test_staff_and_the_bodys_members_open_its_forms(
    staff_client, bailajing_client, forms_of_bailajing, form
):
    url, _data = forms_of_bailajing[form]
    for client in (staff_client, bailajing_client):
        response = client.get(url)
        assertContains(response, "Save")
        assertContains(response, "百腊井小区业主委员会")


@pytest.mark.parametrize("form", [f for f in FORMS if f != "election_create"])
def test_neighbourhood_staff_use_every_form(staff_client, forms_of_bailajing, form):
    # Opening an election: test_opening_the_election_leads_to_its_page (the fixture's term
    # already has one).
    url, data = forms_of_bailajing[form]
    before = snapshot()
    response = staff_client.post(url, data)
    assert response.status_code == 302, text(response)
    assert snapshot() != before


def test_member_form_offers_the_residents_of_the_bodys_place(staff_client, bodies):
    url = reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
    response = staff_client.get(url)
    residents = response.content.decode().split('id="id_resident"')[1].split("</select>")[0]
    assert "赵湘黔" in residents
    assert "李华玉" not in residents  # Qingfeng No.1 (her login account is offered, by name)
    assertNotContains(response, 'name="name"')  # staff off the register: the neighbourhood's


def test_term_form_proposes_the_next_number(staff_client, bodies):
    response = staff_client.get(reverse("committees:term_create", args=[bodies.bailajing.pk]))
    assertContains(response, 'name="number" value="3"')


# Forms in use


def test_starting_a_term_ends_the_running_one(staff_client, bodies):
    url = reverse("committees:term_create", args=[bodies.bailajing.pk])
    response = staff_client.post(
        url, {"number": 3, "starts_on": "2022-07-01", "formed_by": "election"}, follow=True
    )
    assertRedirects(response, reverse("committees:body", args=[bodies.bailajing.pk]))
    assertContains(response, "The new term has started.")
    second = stored(bodies.bailajing_term_2)
    assert second.ends_on == date(2022, 6, 30)
    assert not second.members.filter(ends_on__isnull=True).exists()
    assert bodies.bailajing.terms.get(number=3).ends_on is None


def test_overlapping_term_shows_the_error_and_saves_nothing(staff_client, bodies):
    url = reverse("committees:term_create", args=[bodies.bailajing.pk])
    before = snapshot()
    response = staff_client.post(
        url,
        {"number": 3, "starts_on": "2015-01-01", "ends_on": "2015-12-31", "formed_by": "election"},
    )
    assertContains(response, "The dates overlap another term of this body; end that term first.")
    assert snapshot() == before


def test_term_with_a_taken_number_shows_the_error_and_keeps_the_running_term(staff_client, bodies):
    url = reverse("committees:term_create", args=[bodies.bailajing.pk])
    before = snapshot()
    response = staff_client.post(
        url, {"number": 2, "starts_on": "2022-07-01", "formed_by": "election"}
    )
    assertContains(response, "This body already has a term with this number.")
    assert snapshot() == before
    assert stored(bodies.bailajing_term_2).ends_on is None


def test_term_ending_before_it_starts_shows_the_error_and_saves_nothing(staff_client, bodies):
    url = reverse("committees:term_create", args=[bodies.bailajing.pk])
    before = snapshot()
    response = staff_client.post(
        url,
        {"number": 3, "starts_on": "2022-07-01", "ends_on": "2022-06-30", "formed_by": "election"},
    )
    assertContains(response, "A term cannot end before it starts.")
    assert snapshot() == before


def test_adding_a_member_with_an_account_gives_them_the_register(staff_client, bodies, log_in):
    resident = ResidentFactory(name="陈志强")
    MembershipFactory(
        resident=resident, household=bodies.bailajing_households[0], relation="family"
    )
    account = bodies.qingfeng_1_user
    url = reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
    response = staff_client.post(
        url,
        {"resident": resident.pk, "user": account.pk, "role": "member", "starts_on": "2022-01-01"},
    )
    assertRedirects(response, reverse("committees:body", args=[bodies.bailajing.pk]))
    seat = bodies.bailajing_term_2.members.get(resident=resident)
    assert seat.access_grant.compound == bodies.bailajing_compound
    household = bodies.bailajing_households[0]
    assert log_in(account).get(household_url(household)).status_code == 200


def test_second_chair_shows_the_error_and_saves_nothing(staff_client, bodies):
    resident = ResidentFactory(name="陈志强")
    MembershipFactory(
        resident=resident, household=bodies.bailajing_households[0], relation="family"
    )
    url = reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
    before = snapshot()
    response = staff_client.post(
        url, {"resident": resident.pk, "role": "chair", "starts_on": "2022-01-01"}
    )
    assertContains(response, "This term already has a chair; end that seat first.")
    assert snapshot() == before


def test_seat_before_its_term_shows_the_error_and_saves_nothing(staff_client, bodies):
    url = reverse("committees:member_create", args=[bodies.bailajing_term_2.pk])
    before = snapshot()
    resident = bodies.bailajing_term_1.members.first().resident
    MembershipFactory(
        resident=resident, household=bodies.bailajing_households[0], relation="family"
    )
    response = staff_client.post(
        url, {"resident": resident.pk, "role": "member", "starts_on": "2017-06-30"}
    )
    assertContains(response, "The seat starts before the term does.")
    assert snapshot() == before


def test_ending_a_seat_before_it_started_shows_the_error(staff_client, bodies):
    seat = bodies.bailajing_members[6]
    response = staff_client.post(
        reverse("committees:member_end", args=[seat.pk]), {"ends_on": "2017-06-30"}
    )
    assertContains(response, "A seat cannot end before it starts.")
    assertContains(response, "End the seat of 冯志明")
    assert stored(seat).ends_on is None


def test_ended_seat_cannot_be_ended_again(staff_client, bodies):
    seat = bodies.bailajing_term_1.members.first()
    response = staff_client.get(reverse("committees:member_end", args=[seat.pk]))
    assertContains(response, "Not found", status_code=404)


def election_data(**changes):
    opens = timezone.localtime() + datetime.timedelta(days=20)
    return {
        "seats": 7,
        "held_on": "2017-06-24",
        "text": "在小区活动室设投票箱，由居委会监督计票。",
        "opens_at": f"{opens:%Y-%m-%dT%H:%M}",
        "closes_at": f"{opens + datetime.timedelta(days=7):%Y-%m-%dT%H:%M}",
        **changes,
    }


def test_drafting_the_election_leads_to_its_page(staff_client, bodies):
    url = reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
    response = staff_client.post(url, election_data(), follow=True)
    election = Election.objects.get(term=bodies.bailajing_term_2)
    assertRedirects(response, reverse("committees:election", args=[election.pk]))
    assertContains(response, "The election is drafted: name the candidates")
    assert (election.stage(), election.roll_id, election.text) == (
        "draft",
        None,
        "在小区活动室设投票箱，由居委会监督计票。",
    )
    assertContains(response, "Add a candidate")
    assertNotContains(response, "Record a ballot")  # not before the vote opens
    assertNotContains(response, "owners taking part")


def test_a_period_that_ends_before_it_starts_shows_the_error_and_drafts_nothing(
    staff_client, bodies
):
    url = reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
    data = election_data()
    data["closes_at"] = data["opens_at"]
    response = staff_client.post(url, data)
    assertContains(response, "Voting must close after it opens.")
    assert not Election.objects.exists()


def test_election_of_a_self_management_committee_shows_the_error(staff_client, bodies):
    url = reverse("committees:election_create", args=[bodies.qingfeng_2_term.pk])
    response = staff_client.post(url, election_data(seats=5))
    assertContains(response, escape("Only owners' committees are elected by the owners."))
    assert not Election.objects.exists()


# The election page


def ballot_url(e):
    return reverse("committees:ballot_record", args=[e.election.pk])


def election_url(e):
    return reverse("committees:election", args=[e.election.pk])


def cast(e, i, *candidates):
    """The owner of household i votes for `candidates` (indexes)."""
    services.ballot_record(
        election=e.election,
        household=e.households[i],
        voter=e.owners[i],
        candidates=[e.candidates[c] for c in candidates],
        recorded_by=None,
    )


def test_election_page_shows_participation_and_the_elected(staff_client, bailajing_election):
    e = bailajing_election
    # Households 102-106 (65 to 85 m²) vote: 5 of 7 owners, 375 of 525 m².
    for i in (1, 2, 3, 4, 5):
        cast(e, i, *((0, 1) if i < 3 else (0,)))
    response = staff_client.get(election_url(e))
    assert stat(response, "ballots") == "5"
    assert stat(response, "owners taking part") == "5 / 7"
    assert stat(response, "m² taking part") == "375 / 525"
    assertContains(response, "two thirds reached")
    rows = re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', text(response), re.S)
    result = dict(rows)
    # Still counting: elected so far, not yet elected.
    assert "elected so far" in result["赵湘黔"] and ">5<" in result["赵湘黔"]
    assert "✓ elected" not in result["赵湘黔"]
    assert "375.00" in result["赵湘黔"]
    assert "elected" not in result["孙桂兰"] and "not more than half" in result["孙桂兰"]


def test_a_closed_count_says_who_is_elected(staff_client, bailajing_election):
    e = bailajing_election
    Member.objects.filter(term=e.election.term).delete()  # an empty term to fill
    for i in (1, 2, 3, 4, 5):
        cast(e, i, 0)
    staff_client.post(
        reverse("committees:election_close", args=[e.election.pk]), {"reason": "计票提前完成"}
    )
    response = staff_client.get(election_url(e))
    result = dict(re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', text(response), re.S))
    assert "✓ elected" in result["赵湘黔"]
    assert "so far" not in result["赵湘黔"]


def test_election_page_shows_the_shares_taking_part(staff_client, bailajing_election):
    e = bailajing_election
    for i in (1, 2, 3, 4, 5):
        cast(e, i, 0)
    response = staff_client.get(election_url(e))
    # 5 of 7 owners, 375 of 525 m²: 71.4 % each
    assertContains(response, "owners taking part · 71.4%")
    assertContains(response, "m² taking part · 71.4%")


def test_election_page_before_two_thirds_elects_nobody(staff_client, bailajing_election):
    e = bailajing_election
    for i in (0, 1, 2, 3):
        cast(e, i, 0)
    response = staff_client.get(election_url(e))
    assert stat(response, "owners taking part") == "4 / 7"
    assertContains(response, "two thirds not yet reached")
    assertNotContains(response, "✓ elected")


def test_election_page_shows_the_forms_to_those_who_manage_the_body(
    staff_client, qingfeng_1_client, bailajing_election
):
    e = bailajing_election
    response = staff_client.get(election_url(e))
    assertContains(response, "Record a ballot")
    assertContains(response, "Close the vote early")
    response = qingfeng_1_client.get(election_url(e))
    assertContains(response, "赵湘黔")
    assertNotContains(response, "Record a ballot")
    assertNotContains(response, "Close the vote early")


def test_ballot_form_offers_the_households_on_the_roll_and_their_owners(
    staff_client, bailajing_election
):
    response = staff_client.get(election_url(bailajing_election))
    assertContains(response, "3-1-102 孙桂兰")
    assertNotContains(response, "钱小明")  # a tenant does not vote


def test_recording_a_ballot_returns_to_the_count(staff_client, bailajing_election):
    e = bailajing_election
    response = staff_client.post(
        ballot_url(e),
        {"household": e.households[0].pk, "voter": e.owners[0].pk, "choices": [e.candidates[0].pk]},
        follow=True,
    )
    assertRedirects(response, election_url(e))
    assertContains(response, "Ballot recorded.", count=1)
    assert stat(response, "owners taking part") == "1 / 7"
    ballot = Ballot.objects.get()
    assert (ballot.voter, ballot.recorded_by.username) == (e.owners[0], "liaoshuying")


def test_htmx_ballot_returns_only_the_count(staff_client, bailajing_election):
    e = bailajing_election
    cast(e, 6, 0)
    response = staff_client.post(
        ballot_url(e),
        {"household": e.households[5].pk, "voter": e.owners[5].pk, "choices": [e.candidates[0].pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = text(response).strip()
    assert html.startswith('<div id="count">')
    assert "<html" not in html and "<h1>" not in html
    assert stat(response, "ballots") == "2"
    assert stat(response, "owners taking part") == "2 / 7"
    assert stat(response, "m² taking part") == "175 / 525"
    assertContains(response, "Ballot recorded.")


def test_ballot_from_a_non_owner_shows_the_error_and_saves_nothing(
    staff_client, bailajing_election
):
    e = bailajing_election
    # 赵湘黔 owns 101, not 102
    response = staff_client.post(
        ballot_url(e), {"household": e.households[1].pk, "voter": e.owners[0].pk}
    )
    assertContains(response, "Only an owner or co-owner of the household can cast its ballot.")
    assert not Ballot.objects.exists()


def test_ballot_from_a_tenant_shows_the_error_and_saves_nothing(staff_client, bailajing_election):
    e = bailajing_election
    response = staff_client.post(
        ballot_url(e),
        {"household": e.households[1].pk, "voter": e.tenant.pk},
        HTTP_HX_REQUEST="true",
    )
    assert text(response).strip().startswith('<div id="count">')
    assertContains(response, "Select a valid choice")
    assert not Ballot.objects.exists()


def test_second_ballot_from_a_household_shows_the_error_and_saves_nothing(
    staff_client, bailajing_election
):
    e = bailajing_election
    cast(e, 1, 1)
    response = staff_client.post(
        ballot_url(e),
        {"household": e.households[1].pk, "voter": e.owners[1].pk, "choices": [e.candidates[0].pk]},
        HTTP_HX_REQUEST="true",
    )
    assertContains(response, "This owner has already voted")
    assert stat(response, "ballots") == "1"
    assert Ballot.objects.get().choices.get() == e.candidates[1]


def test_ballot_naming_too_many_candidates_shows_the_error(staff_client, bailajing_election):
    e = bailajing_election
    e.election.seats = 1
    e.election.save()
    response = staff_client.post(
        ballot_url(e),
        {
            "household": e.households[0].pk,
            "voter": e.owners[0].pk,
            "choices": [c.pk for c in e.candidates],
        },
    )
    assertContains(response, "A ballot may name at most 1 candidates.")
    assert not Ballot.objects.exists()


def test_adding_a_candidate_shows_them_in_the_count(staff_client, bailajing_draft):
    e = bailajing_draft
    response = staff_client.post(
        reverse("committees:candidate_add", args=[e.election.pk]),
        {"resident": e.owners[4].pk},
        HTTP_HX_REQUEST="true",
    )
    assertContains(response, '<th scope="row">吴秀英</th>')
    assert e.election.candidates.count() == 3


def test_no_candidate_is_added_once_the_election_is_announced(staff_client, bailajing_election):
    e = bailajing_election
    response = staff_client.post(
        reverse("committees:candidate_add", args=[e.election.pk]),
        {"resident": e.owners[4].pk},
        HTTP_HX_REQUEST="true",
    )
    assertContains(response, "nobody can stand any more")
    assert e.election.candidates.count() == 2


def test_closing_the_count_seats_the_elected_and_cannot_be_repeated(
    staff_client, bodies, bailajing_election
):
    e = bailajing_election
    Member.objects.filter(term=bodies.bailajing_term_2).delete()  # an empty term to fill
    for i in (1, 2, 3, 4, 5):
        cast(e, i, 0)
    url = reverse("committees:election_close", args=[e.election.pk])
    response = staff_client.post(url, {"reason": "计票提前完成"}, follow=True)
    assertContains(response, "The vote is closed and its result frozen; the elected take")
    assertContains(response, "by 廖书英: 计票提前完成")
    assertNotContains(response, "Record a ballot")
    assert [m.resident for m in bodies.bailajing_term_2.members.all()] == [e.owners[0]]
    response = staff_client.post(url, {"reason": "再次"}, follow=True)
    assertContains(response, "The election is closed; its ballots can no longer change.")
    assert bodies.bailajing_term_2.members.count() == 1


def test_another_bodys_page_names_its_members_without_their_party_membership(
    qingfeng_1_client, bailajing_client, bodies
):
    url = reverse("committees:body", args=[bodies.bailajing.pk])
    # 李华玉 serves courtyard A1: 百腊井小区's residents lie outside her part.
    response = qingfeng_1_client.get(url)
    assertContains(response, "赵湘黔")
    assertNotContains(response, "Party member")
    assert stat(response, "party members") == "4"  # the body's composition, a figure
    # 赵湘黔 serves 百腊井小区 itself, as a committee member: party membership is not for him.
    assertNotContains(bailajing_client.get(url), "Party member")
