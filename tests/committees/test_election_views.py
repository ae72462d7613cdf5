"""The pages of an election beyond its count: the committee's size on the form, the run-off
a tie calls for, the chair the elected choose, the filing and its due date, the five-year
term on the term form, and the dashboard's warnings (docs/domain.md, "The three bodies")."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from committees.models import ChairChoice, Election, ElectionFiling, Member, Term
from residents.models import OwnerRoll
from tests.factories import stored

pytestmark = pytest.mark.django_db

date = datetime.date
Role = Member.Role


def text(response) -> str:
    return response.content.decode()


def election_url(election):
    return reverse("committees:election", args=[election.pk])


def runoff_url(election):
    return reverse("committees:election_runoff", args=[election.pk])


def chair_url(term):
    return reverse("committees:chair_choose", args=[term.pk])


def filing_url(filing):
    return reverse("committees:filing_record", args=[filing.pk])


def written():
    """What the election's pages could write."""
    return (
        list(Election.objects.order_by("pk").values_list("pk", "status")),
        OwnerRoll.objects.count(),
        list(Member.objects.order_by("pk").values_list("pk", "role", "elected_in")),
        ChairChoice.objects.count(),
        list(ElectionFiling.objects.values_list("pk", "filed_on", "filed_with")),
    )


# The committee's size


@pytest.mark.parametrize("seats", ["4", "6", "13", "3"])
def test_an_election_of_another_size_shows_the_rule_and_opens_nothing(staff_client, bodies, seats):
    url = reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
    response = staff_client.post(url, {"seats": seats, "held_on": "2017-06-24"})
    assertContains(
        response, escape("An owners' committee has an odd number of members, from 5 to 11.")
    )
    assert not Election.objects.exists()
    assert not OwnerRoll.objects.exists()


def test_the_election_form_says_the_committees_size(staff_client, bodies):
    url = reverse("committees:election_create", args=[bodies.bailajing_term_2.pk])
    assertContains(staff_client.get(url), "5 to 11 members, an odd number")


# A term of at most five years


def test_a_term_of_more_than_five_years_shows_its_last_day_and_starts_nothing(staff_client, bodies):
    url = reverse("committees:term_create", args=[bodies.bailajing.pk])
    response = staff_client.post(
        url,
        {"number": 3, "starts_on": "2022-07-01", "ends_on": "2027-07-02", "formed_by": "election"},
    )
    assertContains(response, "lasts at most five years: this one may end on 1 Jul 2027")
    assert bodies.bailajing.terms.count() == 2
    assert stored(bodies.bailajing_term_2).ends_on is None


# A tie and its run-off


def test_the_count_shows_the_tie_and_offers_a_runoff_to_those_who_manage(
    staff_client, qingfeng_1_client, bailajing_tie
):
    e = bailajing_tie
    response = staff_client.get(election_url(e.election))
    rows = dict(re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', text(response), re.S))
    assert "✓ elected" in rows["赵湘黔"]
    assert "tied for the last seats" in rows["周建华"]
    assertContains(
        response,
        "周建华, 吴秀英, 郑海燕 tied for the last seats, which stay unfilled until a run-off "
        "among them settles them. Seats left unfilled: 2.",
    )
    assertContains(response, runoff_url(e.election))
    assertNotContains(response, "Record the chair")  # not before the seats have their result
    response = qingfeng_1_client.get(election_url(e.election))
    assertContains(response, "Seats left unfilled: 2.")
    assertNotContains(response, runoff_url(e.election))


def test_the_runoff_form_names_the_tied_and_their_seats(staff_client, bailajing_tie):
    response = staff_client.get(runoff_url(bailajing_tie.election))
    assertContains(response, "Hold a run-off")
    assertContains(
        response,
        "周建华, 吴秀英, 郑海燕 tied for the last seats: they stand again, among themselves "
        "only, for the seats left unfilled (2). Those elected before stay elected.",
    )


def runoff_period(days=20):
    """A voting period of a week from `days` days from now, as the form posts it."""
    opens = timezone.localtime() + datetime.timedelta(days=days)
    closes = opens + datetime.timedelta(days=7)
    return {"opens_at": f"{opens:%Y-%m-%dT%H:%M}", "closes_at": f"{closes:%Y-%m-%dT%H:%M}"}


def test_holding_a_runoff_drafts_its_round_among_the_tied(staff_client, bailajing_tie):
    e = bailajing_tie
    response = staff_client.post(
        runoff_url(e.election), {"held_on": "2017-07-08", **runoff_period()}, follow=True
    )
    runoff = Election.objects.get(round=2)
    assertRedirects(response, election_url(runoff))
    assertContains(response, "The run-off is drafted among the tied candidates")
    assertContains(response, "<h1>Election of term 2, run-off 1</h1>", html=True)
    assertContains(response, "2 seats")
    assert sorted(runoff.candidates.values_list("resident__name", flat=True)) == sorted(
        ["周建华", "吴秀英", "郑海燕"]
    )
    assert (runoff.roll_id, runoff.stage()) == (None, "draft")  # frozen when its vote opens
    assertContains(response, reverse("committees:election_announce", args=[runoff.pk]))
    assertNotContains(response, "Record a ballot")  # not before its vote opens
    assertNotContains(response, "Add a candidate")  # nobody else stands
    # Both rounds link to each other.
    assertContains(response, election_url(e.election))
    first = staff_client.get(election_url(e.election))
    assertContains(first, election_url(runoff))
    assertNotContains(first, runoff_url(e.election))  # held already


def test_a_runoff_dated_before_its_round_shows_the_error_and_opens_nothing(
    staff_client, bailajing_tie
):
    before = written()
    response = staff_client.post(
        runoff_url(bailajing_tie.election), {"held_on": "2017-06-01", **runoff_period()}
    )
    assertContains(response, "A run-off is held after the round it settles, not before.")
    assert written() == before


def test_a_runoff_where_no_tie_was_shows_the_error_and_opens_nothing(
    staff_client, bailajing_election
):
    before = written()
    response = staff_client.post(
        runoff_url(bailajing_election.election), {"held_on": "2017-07-08", **runoff_period()}
    )
    assertContains(response, "there is no run-off to hold")
    assert written() == before


def test_the_body_page_lists_the_rounds_of_a_terms_election(staff_client, bodies, bailajing_runoff):
    response = staff_client.get(reverse("committees:body", args=[bodies.bailajing.pk]))
    assertContains(response, election_url(bailajing_runoff.election))
    assertContains(response, election_url(bailajing_runoff.runoff))
    assertContains(response, "Run-off 1 · Voting")


# The chair


def test_once_the_seats_have_their_result_the_page_offers_to_record_the_chair(
    staff_client, qingfeng_1_client, bailajing_elected
):
    e = bailajing_elected
    response = staff_client.get(election_url(e.runoff))
    assertContains(response, "their choice is not recorded yet")
    assertContains(response, chair_url(e.election.term))
    assertNotContains(response, runoff_url(e.runoff))
    assertNotContains(qingfeng_1_client.get(election_url(e.runoff)), chair_url(e.election.term))


def test_the_chair_form_offers_the_elected_members_only(staff_client, bailajing_elected):
    e = bailajing_elected
    term = e.election.term
    response = staff_client.get(chair_url(term))
    options = re.findall(r'<option value="\d+">([^<]*)</option>', text(response))
    # 郑海燕 lost the run-off and 冯志明 did not stand: their seats are not elected ones.
    assert sorted(set(options)) == sorted(["赵湘黔", "孙桂兰", "钱国强", "周建华", "吴秀英"])


def test_recording_the_chair_gives_the_seats_their_roles(staff_client, bodies, bailajing_elected):
    e = bailajing_elected
    term = e.election.term
    seats = {m.resident.name: m for m in term.members.select_related("resident")}
    response = staff_client.post(
        chair_url(term),
        {
            "chair": seats["周建华"].pk,
            "vice_chair": seats["吴秀英"].pk,
            "chosen_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    assertRedirects(response, reverse("committees:body", args=[bodies.bailajing.pk]))
    assertContains(response, "The chair chosen by the members is recorded.")
    roles = dict(term.members.values_list("resident__name", "role"))
    assert (roles["周建华"], roles["吴秀英"], roles["赵湘黔"], roles["孙桂兰"]) == (
        Role.CHAIR,
        Role.VICE_CHAIR,
        Role.MEMBER,
        Role.MEMBER,
    )
    assert ChairChoice.objects.get().recorded_by.username == "liaoshuying"
    page = staff_client.get(election_url(e.runoff))
    assertContains(page, "The elected members chose 周建华 as chair on")
    assertContains(page, "Vice-chair: 吴秀英.")


def test_a_member_who_was_not_elected_cannot_be_chosen(staff_client, bailajing_elected):
    term = bailajing_elected.election.term
    not_elected = term.members.get(resident__name="冯志明")
    before = written()
    response = staff_client.post(
        chair_url(term),
        {"chair": not_elected.pk, "chosen_on": timezone.localdate().isoformat()},
    )
    assertContains(response, "Select a valid choice")
    assert written() == before


def test_the_chair_is_not_chosen_before_the_runoff(staff_client, bailajing_tie):
    term = bailajing_tie.election.term
    zhao = term.members.get(resident__name="赵湘黔")
    before = written()
    response = staff_client.post(
        chair_url(term), {"chair": zhao.pk, "chosen_on": timezone.localdate().isoformat()}
    )
    assertContains(response, "The election is not over")
    assert written() == before


# The filing


def test_the_filing_is_due_30_days_after_the_result(staff_client, bailajing_elected):
    e = bailajing_elected
    filing = ElectionFiling.objects.get()
    assert filing.due_on == e.runoff.held_on + datetime.timedelta(days=30)
    response = staff_client.get(election_url(e.runoff))
    assertContains(response, "due in 25 days")
    assertContains(response, filing_url(filing))
    # Every round's page shows the filing of the term's election.
    assertContains(staff_client.get(election_url(e.election)), "due in 25 days")


def test_an_overdue_filing_says_by_how_many_days(staff_client, bailajing_elected):
    ElectionFiling.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    response = staff_client.get(election_url(bailajing_elected.runoff))
    assertContains(response, "overdue by 3 days")


def test_recording_the_filing(staff_client, qingfeng_1_client, bailajing_elected):
    filing = ElectionFiling.objects.get()
    today = timezone.localdate().isoformat()
    data = {"filed_on": today, "filed_with": "盐务街街道办事处", "reference": "盐业备〔2017〕3号"}
    response = staff_client.post(filing_url(filing), data, follow=True)
    assertRedirects(response, election_url(bailajing_elected.election))
    assertContains(response, "The filing is recorded.")
    assertContains(response, "with 盐务街街道办事处.")
    assertContains(response, "Reference number 盐业备〔2017〕3号.")
    assertNotContains(response, filing_url(filing))
    filing = stored(filing)
    assert (filing.filed_on.isoformat(), filing.recorded_by.username) == (today, "liaoshuying")
    # Once only.
    response = staff_client.post(filing_url(filing), data)
    assertContains(response, "This filing is already recorded.")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"filed_on": "2017-06-01", "filed_with": "街道"},
            "The election is filed after it was held.",
        ),
        ({"filed_on": "2099-01-01", "filed_with": "街道"}, "A filing is recorded once it is made."),
        ({"filed_on": "2017-07-14", "filed_with": ""}, "This field is required."),
    ],
)
def test_a_filing_that_cannot_be_shows_the_error_and_records_nothing(
    staff_client, bailajing_elected, data, error
):
    before = written()
    response = staff_client.post(filing_url(ElectionFiling.objects.get()), data)
    assertContains(response, error)
    assert written() == before


# Only those who manage the body


def test_a_member_of_another_body_may_not_hold_a_runoff_choose_a_chair_or_record_a_filing(
    qingfeng_1_client, bailajing_elected
):
    e = bailajing_elected
    term = e.election.term
    zhao = term.members.get(resident__name="赵湘黔")
    Election.objects.filter(pk=e.runoff.pk).update(status=Election.Status.CLOSED)
    posts = [
        (runoff_url(e.election), {"held_on": "2017-07-08", **runoff_period()}),
        (chair_url(term), {"chair": zhao.pk, "chosen_on": timezone.localdate().isoformat()}),
        (
            filing_url(ElectionFiling.objects.get()),
            {"filed_on": timezone.localdate().isoformat(), "filed_with": "街道"},
        ),
    ]
    before = written()
    for url, data in posts:
        assertContains(qingfeng_1_client.get(url), "Not allowed", status_code=403)
        assertContains(qingfeng_1_client.post(url, data), "Not allowed", status_code=403)
    assert written() == before


def test_another_communitys_pages_are_not_found(staff_client, bodies):
    term = bodies.qianling_term
    filing = ElectionFiling.objects.create(term=term, due_on=date(2018, 5, 20))
    election = Election.objects.create(
        term=term, seats=5, held_on=date(2018, 4, 20), roll=OwnerRoll.objects.create()
    )
    before = written()
    for url in (runoff_url(election), chair_url(term), filing_url(filing)):
        assertContains(staff_client.get(url), "Not found", status_code=404)
        assertContains(staff_client.post(url, {}), "Not found", status_code=404)
    assert written() == before


# The dashboard


def test_the_dashboard_warns_of_terms_past_their_five_years_and_overdue_filings(
    staff_client, bodies
):
    b = bodies
    # Bailajing's 2nd term runs since 2017-07-01 without an end date; Qingfeng No.1's since
    # 2014-04-26; Qianling's (community B) is not the user's.
    ElectionFiling.objects.create(term=b.bailajing_term_2, due_on=date(2017, 7, 24))
    response = staff_client.get(reverse("dashboard"))
    assertContains(response, "Term 2 has run more than five years: it was to end by 1 Jul 2022.")
    assertContains(response, "Term 1 has run more than five years: it was to end by 26 Apr 2019.")
    assertContains(
        response,
        "The election of term 2 was to be filed with the sub-district by 24 Jul 2017",
    )
    assertNotContains(response, "黔灵小区业主委员会")


def test_the_dashboard_counts_down_to_a_terms_end(staff_client, bodies):
    today = timezone.localdate()
    Term.objects.filter(pk=bodies.bailajing_term_2.pk).update(
        starts_on=today - datetime.timedelta(days=1000),
        ends_on=today + datetime.timedelta(days=30),
    )
    response = staff_client.get(reverse("dashboard"))
    assertContains(response, "in 30 days.")
