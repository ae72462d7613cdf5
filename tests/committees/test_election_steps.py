"""An election goes through the steps of an owners' decision (docs/domain.md, "Owners'
decisions"): drafted, announced with its seats, candidates and period, opened no earlier
than the notice period (its roll frozen then), ballots only within the period, closed by
itself at its closing time or early with a reason (its result frozen), result published."""

import datetime
from decimal import Decimal
from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from committees.bodies import services
from committees.models import Ballot, Candidate, Election, Member, Notice
from committees.notices.services import notice_withdraw
from residents.models import OwnerRoll
from tests.committees.conftest import cast
from tests.committees.factories import announced, closed, open_vote
from tests.factories import BallotFactory, ElectionFactory, TermFactory, stored

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)


def election_url(election):
    return reverse("committees:election", args=[election.pk])


def step_url(name, election):
    return reverse(f"committees:{name}", args=[election.pk])


def with_period(election, *, opens_in, closes_in=None):
    """`election` (a draft) with voting from `opens_in` to `closes_in` (a week later)."""
    now = timezone.now()
    election.text = "在小区活动室设投票箱，由居委会监督计票。"
    election.opens_at = now + opens_in
    election.closes_at = now + (closes_in or opens_in + 7 * DAY)
    election.save(update_fields=["text", "opens_at", "closes_at"])
    return election


def steps_written():
    """What the steps could write."""
    return (
        list(
            Election.objects.order_by("pk").values_list(
                "status",
                "announced_at",
                "vote_opened_at",
                "roll",
                "closed_at",
                "result",
                "published_at",
            )
        ),
        Notice.objects.count(),
        OwnerRoll.objects.count(),
        Ballot.objects.count(),
        Candidate.objects.count(),
        Member.objects.count(),
    )


# Announced


def test_announcing_puts_up_the_notice_of_the_seats_the_candidates_and_the_period(
    bailajing_draft, staff_user
):
    e = bailajing_draft
    election = with_period(e.election, opens_in=16 * DAY)
    election = services.election_announce(election=election, by=staff_user)

    assert (election.stage(), election.announced_by, election.roll_id) == (
        "announced",
        staff_user,
        None,
    )
    notice = stored(election.announcement)
    assert notice.title == "Election of 百腊井小区业主委员会, term 2"
    assert "Seats: 5. Candidates: 赵湘黔、孙桂兰." in notice.text
    assert "在小区活动室设投票箱" in notice.text
    assert f"closes at {timezone.localtime(election.closes_at):%Y-%m-%d %H:%M}" in notice.text
    assert list(notice.compounds.all()) == [e.election.term.body.compound]
    assert notice.locked_until == election.closes_at
    assert notice.is_locked
    # The candidates are those named in the notice: nobody else stands.
    with pytest.raises(ValidationError, match="nobody can stand any more"):
        services.candidate_add(election=election, resident=e.owners[4])


def test_announcing_inside_the_notice_period_is_refused_and_writes_nothing(bailajing_draft):
    election = with_period(bailajing_draft.election, opens_in=15 * DAY - 60 * SECOND)
    before = steps_written()
    with pytest.raises(ValidationError) as error:
        services.election_announce(election=election, by=None)
    assert "must be told 15 days before voting opens" in error.value.message_dict["opens_at"][0]
    assert steps_written() == before


def test_the_notice_period_is_the_compounds_rule(bailajing_draft):
    compound = bailajing_draft.election.term.body.compound
    type(compound).objects.filter(pk=compound.pk).update(decision_notice_days=20)
    election = with_period(stored(bailajing_draft.election), opens_in=16 * DAY)
    with pytest.raises(ValidationError, match="must be told 20 days"):
        services.election_announce(election=election, by=None)


def test_an_election_without_candidates_is_not_announced(bodies):
    election = services.election_create(
        term=bodies.bailajing_term_2,
        seats=5,
        held_on=datetime.date(2017, 6, 24),
        text="书面投票。",
        opens_at=timezone.now() + 20 * DAY,
        closes_at=timezone.now() + 27 * DAY,
    )
    with pytest.raises(ValidationError, match="Name the candidates before announcing"):
        services.election_announce(election=election, by=None)
    assert stored(election).announced_at is None


def test_announcing_from_the_page(staff_client, bailajing_draft):
    election = with_period(bailajing_draft.election, opens_in=16 * DAY)
    response = staff_client.get(election_url(election))
    assertContains(response, step_url("election_announce", election))
    response = staff_client.post(step_url("election_announce", election), follow=True)
    assertContains(response, "Announced: the notice of the seats, the candidates and the period")
    assertContains(response, "The vote may open from")
    assertNotContains(response, "Add a candidate")
    assert stored(election).announced_by.username == "liaoshuying"


# Opened


def test_the_vote_opens_after_the_notice_period_and_freezes_the_roll(bailajing_draft):
    election = announced(bailajing_draft.election)
    assert election.roll_id is None
    election = services.election_vote_open(election=election)
    assert election.stage() == "open"
    assert election.roll.entries.count() == 7
    assert election.roll.description == "Owners of 百腊井小区, election of term 2"


def test_the_vote_does_not_open_before_the_notice_period_ends(staff_client, bailajing_draft):
    election = announced(bailajing_draft.election, days_ago=10)
    before = steps_written()
    with pytest.raises(ValidationError, match="The notice period runs until"):
        services.election_vote_open(election=election)
    response = staff_client.post(step_url("election_vote_open", election), follow=True)
    assertContains(response, "The notice period runs until")
    assert steps_written() == before


def test_a_ballot_before_the_vote_opens_is_refused(bailajing_draft):
    e = bailajing_draft
    announced(e.election)
    with pytest.raises(ValidationError, match="The vote has not been opened yet"):
        cast(stored(e.election), (e.households[0], e.owners[0]), e.candidates[0])
    assert not Ballot.objects.exists()


# Ballots within the voting period only


def test_a_ballot_one_second_after_the_closing_time_is_refused(bailajing_election):
    e = bailajing_election
    election = stored(e.election)
    with pytest.raises(ValidationError) as error:
        services.ballot_record(
            election=election,
            household=e.households[0],
            voter=e.owners[0],
            candidates=[e.candidates[0]],
            recorded_by=None,
            recorded_at=election.closes_at + SECOND,
        )
    assert error.value.messages == [
        "No ballot can be recorded: The vote closed at "
        f"{timezone.localtime(election.closes_at):%Y-%m-%d %H:%M}: answers can no longer be "
        "recorded."
    ]
    assert not Ballot.objects.exists()


def test_a_ballot_posted_after_the_closing_time_is_refused_on_the_page(
    staff_client, bailajing_election
):
    e = bailajing_election
    Election.objects.filter(pk=e.election.pk).update(closes_at=timezone.now() - SECOND)
    response = staff_client.post(
        step_url("ballot_record", e.election),
        {"household": e.households[0].pk, "voter": e.owners[0].pk, "choices": [e.candidates[0].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not Ballot.objects.exists()
    assert stored(e.election).closed_at is not None  # the view found it closed, and closed it


# Closed


def test_the_vote_closes_by_itself_when_its_page_is_viewed_and_freezes_its_result(
    staff_client, bodies, bailajing_election
):
    e = bailajing_election
    Member.objects.filter(term=bodies.bailajing_term_2).delete()  # an empty term to fill
    for i in (1, 2, 3, 4, 5):
        cast(e.election, (e.households[i], e.owners[i]), e.candidates[0])
    closes_at = timezone.now() - SECOND
    Election.objects.filter(pk=e.election.pk).update(closes_at=closes_at)

    response = staff_client.get(election_url(e.election))

    election = stored(e.election)
    assert (election.closed_at, election.closed_by, election.status) == (
        closes_at,
        None,
        Election.Status.CLOSED,
    )
    assertContains(response, "at the end of the voting period")
    assertNotContains(response, "Record a ballot")
    result = election.result
    assert (result["electorate"], result["participating"], result["ballots"]) == (
        [7, "525.00"],
        [5, "375.00"],
        5,
    )
    zhao = next(row for row in result["candidates"] if row["name"] == "赵湘黔")
    assert (zhao["votes"], zhao["majority"], zhao["elected"]) == ([5, "375.00"], True, True)
    assert result["tied"] == []
    assert [m.resident for m in bodies.bailajing_term_2.members.all()] == [e.owners[0]]


def test_the_frozen_result_does_not_change_when_the_records_do(staff_client, bailajing_elected):
    e = bailajing_elected
    runoff = stored(e.runoff)
    frozen = runoff.result
    page = staff_client.get(election_url(runoff)).content.decode()
    # Afterwards: a household's area changes, an owner leaves, a ballot is slipped in.
    household = e.households[0]
    household.area = Decimal("300.00")
    household.save()
    household.memberships.all().delete()
    late = BallotFactory(
        election=runoff,
        household=e.households[1],
        voter=e.owners[1],
        owner_key="slipped-in",
        choices=[runoff.candidates.first()],
    )
    assert late.pk

    assert stored(runoff).result == frozen
    result = services.election_result(stored(runoff))
    assert (result.participating.owners, result.electorate.owners) == (7, 7)
    assert staff_client.get(election_url(runoff)).content.decode().count("7 / 7") == page.count(
        "7 / 7"
    )
    assert services.ballot_count(stored(runoff)) == 7


def test_closing_early_needs_a_reason_and_writes_nothing_without_one(
    staff_client, bailajing_election
):
    e = bailajing_election
    before = steps_written()
    response = staff_client.post(
        step_url("election_close", e.election), {"reason": " "}, follow=True
    )
    assertContains(response, "Say why the vote closes before its closing time.")
    assert steps_written() == before
    with pytest.raises(ValidationError):
        services.election_close(election=e.election, by=None)  # not by itself: still open
    assert steps_written() == before


def test_a_closed_vote_never_reopens(bailajing_tie):
    election = stored(bailajing_tie.election)
    with pytest.raises(ValidationError, match="never reopens"):
        services.election_vote_open(election=election)


def test_close_decisions_closes_the_elections_past_their_closing_time(bailajing_election):
    e = bailajing_election
    Election.objects.filter(pk=e.election.pk).update(closes_at=timezone.now() - SECOND)
    out = StringIO()
    call_command("close_decisions", stdout=out)
    election = stored(e.election)
    assert election.closed_at == election.closes_at and election.result is not None
    assert "Election of 百腊井小区业主委员会, term 2" in out.getvalue()
    out = StringIO()
    call_command("close_decisions", stdout=out)  # nothing left to close
    assert "百腊井" not in out.getvalue()


# Published


def test_publishing_puts_up_the_result_notice_locked_for_its_period(
    staff_client, bailajing_tie, settings
):
    e = bailajing_tie
    response = staff_client.get(election_url(e.election))
    assertContains(response, step_url("election_publish", e.election))
    response = staff_client.post(step_url("election_publish", e.election), follow=True)
    assertContains(response, "The result notice is published.")

    election = stored(e.election)
    notice = election.result_notice
    assert election.published_by.username == "liaoshuying"
    assert notice.is_locked
    assert notice.locked_until == election.published_at + datetime.timedelta(
        days=settings.DECISION_RESULT_DAYS
    )
    assert "- 赵湘黔: 7 owners, 525.00 m², elected" in notice.text
    assert "- 周建华: 4 owners, 270.00 m², tied for the last seats" in notice.text
    assert "Elected: 赵湘黔、孙桂兰、钱国强." in notice.text
    assert "钱小明" not in notice.text  # nobody's ballot is named, nor anyone who did not stand
    assert "冯志明" not in notice.text
    with pytest.raises(ValidationError):
        notice_withdraw(notice=notice)
    assert stored(notice).withdrawn_at is None
    assert stored(election).stage() == "published"


def test_an_open_vote_has_no_result_to_publish(bailajing_election):
    before = steps_written()
    with pytest.raises(ValidationError, match="Only a closed vote's result can be published"):
        services.election_publish(election=bailajing_election.election, by=None)
    assert steps_written() == before


# A run-off goes through the same steps


def test_a_runoff_is_announced_with_its_own_notice_period(bailajing_tie):
    runoff = services.election_runoff(
        election=bailajing_tie.election,
        held_on=timezone.localdate(),
        opens_at=timezone.now() + 10 * DAY,
        closes_at=timezone.now() + 17 * DAY,
    )
    with pytest.raises(ValidationError, match="must be told 15 days before voting opens"):
        services.election_announce(election=runoff, by=None)
    runoff = open_vote(runoff)
    assert runoff.announcement.text.startswith(
        "百腊井小区业主委员会 announces a run-off of the owners' election of term 2"
    )
    assert "Seats: 2. Candidates: 周建华、吴秀英、郑海燕." in runoff.announcement.text
    assert runoff.roll_id != bailajing_tie.election.roll_id


# Only the body's managers


@pytest.mark.parametrize(
    ("step", "prepare", "data"),
    [
        ("election_announce", None, {}),
        ("election_vote_open", announced, {}),
        ("election_close", open_vote, {"reason": "提前结束"}),
        ("election_publish", lambda e: closed(open_vote(e)), {}),
    ],
)
def test_only_the_bodys_managers_take_the_steps(
    qingfeng_1_client, bailajing_draft, step, prepare, data
):
    election = with_period(bailajing_draft.election, opens_in=16 * DAY)
    if prepare:
        election = prepare(election)
    before = steps_written()
    response = qingfeng_1_client.post(step_url(step, election), data)
    assertContains(response, "Not allowed", status_code=403)
    assert steps_written() == before


def test_the_admin_shows_an_announced_elections_matter_read_only(admin_client, bailajing_election):
    url = reverse("admin:committees_election_change", args=[bailajing_election.election.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assertNotContains(response, 'name="text"')
    assertNotContains(response, 'name="closes_at_0"')
    assertNotContains(response, "add candidates")


# The migration that put existing elections through the steps


def test_existing_elections_migrate_as_opened_and_if_closed_closed(place_of_migration):
    migration = import_module("committees.migrations.0014_election_decision_steps")
    e = place_of_migration
    migration.opened_and_closed(apps, None)
    open_one, closed_one = stored(e.open_one), stored(e.closed_one)
    assert (open_one.vote_opened_at, open_one.closed_at) == (e.frozen_at, None)
    assert open_one.stage() == "open"
    assert (closed_one.vote_opened_at, closed_one.closed_at) == (e.frozen_at, e.last_ballot)
    assert closed_one.stage() == "closed"
    assert closed_one.result is None  # counted live, as before


@pytest.fixture
def place_of_migration(bodies):
    frozen_at = timezone.now() - 30 * DAY
    last_ballot = frozen_at + DAY
    open_one = ElectionFactory(term=bodies.bailajing_term_2, vote_opened_at=None)
    closed_one = ElectionFactory(
        term=TermFactory(body=bodies.bailajing, number=9, starts_on=datetime.date(2030, 1, 1)),
        vote_opened_at=None,
        status=Election.Status.CLOSED,
    )
    OwnerRoll.objects.filter(pk__in=[open_one.roll_id, closed_one.roll_id]).update(
        created_at=frozen_at
    )
    BallotFactory(election=closed_one, recorded_at=last_ballot)
    return SimpleNamespace(
        open_one=open_one, closed_one=closed_one, frozen_at=frozen_at, last_ballot=last_ballot
    )
