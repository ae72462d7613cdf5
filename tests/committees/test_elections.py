"""The owners' committee's election beyond the count (docs/domain.md, "The three bodies"):
its size, run-offs among candidates tied for the last seats, the chair the elected choose,
the filing due 30 days after the result, and a term of at most five years."""

import datetime
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committees.bodies import services
from committees.models import (
    ChairChoice,
    Election,
    ElectionFiling,
    Member,
    Term,
)
from residents.models import AccessGrant, OwnerRoll
from tests.committees.factories import closed, open_vote
from tests.factories import (
    BodyFactory,
    BuildingFactory,
    CompoundFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
    TermFactory,
    UnitFactory,
    UserFactory,
    stored,
)

pytestmark = pytest.mark.django_db

date = datetime.date
Role = Member.Role
ELECTION_DAY = date(2017, 6, 24)
RUNOFF_DAY = date(2017, 7, 8)


@pytest.fixture
def place():
    """百腊井小区, its owners' committee and its 2nd term (since 2017), with three owners of
    100 m² each."""
    compound = CompoundFactory(name="百腊井小区")
    unit = UnitFactory(building=BuildingFactory(compound=compound, number="3"), number="1")
    body = BodyFactory(compound=compound, name="百腊井小区业主委员会")
    term = TermFactory(body=body, number=2, starts_on=date(2017, 7, 1))
    voters = []
    for i, name in enumerate(["赵湘黔", "孙桂兰", "钱国强"]):
        owner = ResidentFactory(name=name)
        household = HouseholdFactory(unit=unit, door_number=f"{101 + i}", area=Decimal("100"))
        MembershipFactory(resident=owner, household=household)
        voters.append((household, owner))
    return SimpleNamespace(compound=compound, unit=unit, body=body, term=term, voters=voters)


def vote(election, voter, *candidates):
    household, owner = voter
    return services.ballot_record(
        election=election,
        household=household,
        voter=owner,
        candidates=candidates,
        recorded_by=None,
    )


NAMES = ["甲", "乙", "丙", "丁", "戊", "己"]


@pytest.fixture
def tied(place):
    """The closed election of five seats among six candidates 甲 to 己: 甲, 乙 and 丙 are on all
    three ballots, 丁, 戊 and 己 on two each (a majority too): three are elected, and 丁, 戊 and
    己 tie for the last two seats."""
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    c = {
        name: services.candidate_add(election=election, resident=ResidentFactory(name=name))
        for name in NAMES
    }
    election = open_vote(election)
    vote(election, place.voters[0], c["甲"], c["乙"], c["丙"], c["丁"], c["戊"])
    vote(election, place.voters[1], c["甲"], c["乙"], c["丙"], c["丁"], c["己"])
    vote(election, place.voters[2], c["甲"], c["乙"], c["丙"], c["戊"], c["己"])
    election = closed(election)
    return SimpleNamespace(election=stored(election), candidates=c)


def seated(term):
    return sorted(
        term.members.filter(ends_on__isnull=True).values_list("resident__name", flat=True)
    )


def runoff_candidates(election):
    return sorted(election.candidates.values_list("resident__name", flat=True))


# The committee's size


@pytest.mark.parametrize("seats", [5, 7, 9, 11])
def test_an_owners_committee_of_an_odd_size_from_5_to_11_is_elected(place, seats):
    election = services.election_create(term=place.term, seats=seats, held_on=ELECTION_DAY)
    assert (election.seats, election.round) == (seats, 1)


@pytest.mark.parametrize("seats", [1, 3, 4, 6, 10, 12, 13])
def test_an_owners_committee_of_another_size_is_refused_and_nothing_is_frozen(place, seats):
    with pytest.raises(ValidationError) as error:
        services.election_create(term=place.term, seats=seats, held_on=ELECTION_DAY)
    assert error.value.message_dict["seats"] == [
        "An owners' committee has an odd number of members, from 5 to 11."
    ]
    assert not Election.objects.exists()
    assert not OwnerRoll.objects.exists()


def test_the_committees_size_is_a_setting(place, settings):
    settings.OWNERS_COMMITTEE_SIZE = (3, 7)
    assert services.election_create(term=place.term, seats=3, held_on=ELECTION_DAY).seats == 3
    with pytest.raises(ValidationError, match="from 3 to 7"):
        Election(term=TermFactory(), seats=9, held_on=ELECTION_DAY).clean()


def test_the_size_is_checked_by_the_model_too(place):
    with pytest.raises(ValidationError) as error:
        Election(term=place.term, round=1, seats=6, held_on=ELECTION_DAY).clean()
    assert "seats" in error.value.message_dict
    # A run-off fills the seats a tie left: any number of them.
    Election(term=place.term, round=2, seats=2, held_on=ELECTION_DAY).clean()


# Run-offs


def test_a_tie_for_the_last_seats_leaves_them_unfilled_and_seats_the_others(place, tied):
    assert seated(place.term) == ["丙", "乙", "甲"]
    assert set(place.term.members.values_list("elected_in", flat=True)) == {tied.election.pk}
    result = services.election_result(tied.election)
    candidates, seats = services.runoff_due(tied.election, result)
    assert sorted(c.resident.name for c in candidates) == sorted(["丁", "戊", "己"])
    assert seats == 2
    assert not services.election_is_over(place.term)
    assert not ElectionFiling.objects.exists()  # nothing to file before the result is final


def test_a_runoff_is_among_the_tied_only_for_the_unfilled_seats_only(place, tied):
    runoff = services.election_runoff(election=tied.election, held_on=RUNOFF_DAY)
    assert (runoff.roll_id, runoff.stage()) == (None, "draft")
    assert "丁、戊、己 tied for the last seats" in runoff.text
    runoff = open_vote(runoff)  # its own notice period, then its roll

    assert (runoff.term, runoff.round, runoff.seats, runoff.status) == (
        place.term,
        2,
        2,
        Election.Status.OPEN,
    )
    assert runoff_candidates(runoff) == sorted(["丁", "戊", "己"])
    assert runoff.roll_id != tied.election.roll_id  # the owners are frozen anew
    assert runoff.roll.description == "Owners of 百腊井小区, election of term 2, run-off 1"
    assert str(runoff) == "Election of 百腊井小区业主委员会, term 2, run-off 1"
    # The first round's elected stay elected.
    assert seated(place.term) == ["丙", "乙", "甲"]


def test_the_runoff_elects_and_the_result_is_final(place, tied):
    runoff = open_vote(services.election_runoff(election=tied.election, held_on=RUNOFF_DAY))
    c = {c.resident.name: c for c in runoff.candidates.select_related("resident")}
    vote(runoff, place.voters[0], c["丁"], c["戊"])
    vote(runoff, place.voters[1], c["丁"], c["戊"])
    vote(runoff, place.voters[2], c["丁"], c["己"])

    runoff = closed(runoff)

    assert seated(place.term) == sorted(["甲", "乙", "丙", "丁", "戊"])
    assert place.term.members.get(resident__name="丁").elected_in == runoff
    assert services.election_is_over(place.term)
    filing = ElectionFiling.objects.get()
    assert (filing.term, filing.due_on, filing.filed_on) == (
        place.term,
        RUNOFF_DAY + datetime.timedelta(days=30),
        None,
    )


def test_a_runoff_that_ties_again_leads_to_another_runoff(place, tied):
    runoff = open_vote(services.election_runoff(election=tied.election, held_on=RUNOFF_DAY))
    c = {c.resident.name: c for c in runoff.candidates.select_related("resident")}
    vote(runoff, place.voters[0], c["丁"], c["戊"])
    vote(runoff, place.voters[1], c["戊"], c["己"])
    vote(runoff, place.voters[2], c["丁"], c["己"])
    runoff = closed(runoff)

    assert seated(place.term) == ["丙", "乙", "甲"]  # 2 votes each: nobody is ahead
    assert not ElectionFiling.objects.exists()
    again = services.election_runoff(election=runoff, held_on=date(2017, 7, 22))
    assert (again.round, again.seats) == (3, 2)
    assert runoff_candidates(again) == sorted(["丁", "戊", "己"])


def test_a_runoff_without_two_thirds_of_the_owners_is_held_again(place, tied):
    runoff = open_vote(services.election_runoff(election=tied.election, held_on=RUNOFF_DAY))
    c = {c.resident.name: c for c in runoff.candidates.select_related("resident")}
    vote(runoff, place.voters[0], c["丁"], c["戊"])
    runoff = closed(runoff)

    again = services.election_runoff(election=runoff, held_on=date(2017, 7, 22))
    assert (again.round, again.seats) == (3, 2)
    assert runoff_candidates(again) == sorted(["丁", "戊", "己"])


def test_a_round_that_left_no_tie_has_no_runoff(place):
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    candidate = services.candidate_add(election=election, resident=place.voters[0][1])
    election = open_vote(election)
    for voter in place.voters:
        vote(election, voter, candidate)
    election = closed(election)

    with pytest.raises(ValidationError, match="no run-off to hold"):
        services.election_runoff(election=election, held_on=RUNOFF_DAY)
    assert Election.objects.count() == 1
    assert OwnerRoll.objects.count() == 1
    assert services.election_is_over(place.term)
    assert ElectionFiling.objects.get().due_on == date(2017, 7, 24)


def test_an_open_round_has_no_runoff(place):
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    with pytest.raises(ValidationError, match="no run-off to hold"):
        services.election_runoff(election=election, held_on=RUNOFF_DAY)
    assert Election.objects.count() == 1


def test_a_round_already_followed_by_a_runoff_gets_no_second_one(place, tied):
    services.election_runoff(election=tied.election, held_on=RUNOFF_DAY)
    with pytest.raises(ValidationError, match="later round"):
        services.election_runoff(election=tied.election, held_on=RUNOFF_DAY)
    assert Election.objects.count() == 2
    assert OwnerRoll.objects.count() == 1  # the run-off's is frozen when its vote opens


def test_a_runoff_before_the_round_it_settles_is_refused(place, tied):
    with pytest.raises(ValidationError) as error:
        services.election_runoff(election=tied.election, held_on=date(2017, 6, 1))
    assert error.value.message_dict["held_on"] == [
        "A run-off is held after the round it settles, not before."
    ]
    assert Election.objects.count() == 1
    assert OwnerRoll.objects.count() == 1


def test_nobody_else_stands_in_a_runoff(place, tied):
    runoff = services.election_runoff(election=tied.election, held_on=RUNOFF_DAY)
    with pytest.raises(ValidationError, match="nobody else stands"):
        services.candidate_add(election=runoff, resident=ResidentFactory())
    assert runoff.candidates.count() == 3


def test_a_ballot_in_a_runoff_names_at_most_its_seats(place, tied):
    runoff = open_vote(services.election_runoff(election=tied.election, held_on=RUNOFF_DAY))
    with pytest.raises(ValidationError, match="at most 2 candidates"):
        vote(runoff, place.voters[0], *runoff.candidates.all())


def test_a_term_still_has_one_election(place, tied):
    with pytest.raises(ValidationError, match="already has an election"):
        services.election_create(term=place.term, seats=5, held_on=RUNOFF_DAY)
    assert Election.objects.count() == 1


def test_two_rounds_of_one_number_are_refused_by_the_database(place, tied):
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.create(
            term=place.term,
            round=1,
            seats=5,
            held_on=RUNOFF_DAY,
            roll=OwnerRoll.objects.create(description="x"),
        )


# The chair


@pytest.fixture
def elected(place):
    """A closed election of five seats that elected the three owners (the others did not
    stand), and a member seated by hand, not elected."""
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    candidates = [
        services.candidate_add(election=election, resident=owner) for _h, owner in place.voters
    ]
    election = open_vote(election)
    for voter in place.voters:
        vote(election, voter, *candidates)
    election = closed(election)
    appointed = services.member_add(
        term=place.term, role=Role.SECRETARY, starts_on=date(2017, 7, 1), resident=ResidentFactory()
    )
    seats = {m.resident.name: m for m in place.term.members.select_related("resident")}
    return SimpleNamespace(election=election, seats=seats, appointed=appointed)


def test_the_members_choice_gives_the_seats_their_roles(place, elected):
    zhao, sun = elected.seats["赵湘黔"], elected.seats["孙桂兰"]
    recorder = UserFactory()
    choice = services.chair_choose(
        term=place.term,
        chair=zhao,
        vice_chair=sun,
        chosen_on=date(2017, 7, 3),
        recorded_by=recorder,
    )
    assert (choice.chair, choice.vice_chair, choice.recorded_by) == (zhao, sun, recorder)
    roles = dict(place.term.members.values_list("resident__name", "role"))
    assert roles["赵湘黔"] == Role.CHAIR
    assert roles["孙桂兰"] == Role.VICE_CHAIR
    assert roles["钱国强"] == Role.MEMBER
    assert roles[elected.appointed.resident.name] == Role.SECRETARY


def test_a_new_choice_replaces_the_chair_and_vice_chair_chosen_before(place, elected):
    zhao, sun, qian = (elected.seats[n] for n in ["赵湘黔", "孙桂兰", "钱国强"])
    services.chair_choose(
        term=place.term, chair=zhao, vice_chair=sun, chosen_on=date(2017, 7, 3), recorded_by=None
    )
    services.chair_choose(term=place.term, chair=qian, chosen_on=date(2019, 1, 5), recorded_by=None)
    roles = dict(place.term.members.values_list("resident__name", "role"))
    assert (roles["钱国强"], roles["赵湘黔"], roles["孙桂兰"]) == (
        Role.CHAIR,
        Role.MEMBER,
        Role.MEMBER,
    )
    assert ChairChoice.objects.count() == 2


def test_the_chairs_account_is_told_why_it_sees_the_register(place, elected):
    zhao = elected.seats["赵湘黔"]
    user = UserFactory()
    zhao.user = user
    zhao.save()
    zhao.access_grant = AccessGrant.objects.create(
        user=user,
        community=place.compound.community,
        compound=place.compound,
        reason="x",
        role=AccessGrant.Role.COMMITTEE_MEMBER,
        starts_on=date(2017, 7, 1),
    )
    zhao.save()
    services.chair_choose(term=place.term, chair=zhao, chosen_on=date(2017, 7, 3), recorded_by=None)
    assert stored(zhao.access_grant).reason == "Chair of 百腊井小区业主委员会, term 2"


def test_only_an_elected_member_can_be_chosen(place, elected):
    with pytest.raises(ValidationError) as error:
        services.chair_choose(
            term=place.term, chair=elected.appointed, chosen_on=date(2017, 7, 3), recorded_by=None
        )
    assert error.value.message_dict["chair"] == [
        "Only a member elected in this term's election can be chosen."
    ]
    with pytest.raises(ValidationError, match="Only a member elected"):
        services.chair_choose(
            term=place.term,
            chair=elected.seats["赵湘黔"],
            vice_chair=elected.appointed,
            chosen_on=date(2017, 7, 3),
            recorded_by=None,
        )
    assert not ChairChoice.objects.exists()
    assert stored(elected.seats["赵湘黔"]).role == Role.MEMBER


def test_a_member_of_another_term_cannot_be_chosen(place, elected):
    other = services.member_add(
        term=TermFactory(), role=Role.MEMBER, starts_on=date(2017, 7, 1), resident=ResidentFactory()
    )
    other.elected_in = elected.election
    other.save()
    with pytest.raises(ValidationError, match="Only a member elected"):
        services.chair_choose(
            term=place.term, chair=other, chosen_on=date(2017, 7, 3), recorded_by=None
        )


def test_the_chair_and_vice_chair_are_two_people(place, elected):
    zhao = elected.seats["赵湘黔"]
    with pytest.raises(ValidationError, match="two members"):
        services.chair_choose(
            term=place.term,
            chair=zhao,
            vice_chair=zhao,
            chosen_on=date(2017, 7, 3),
            recorded_by=None,
        )
    assert not ChairChoice.objects.exists()


def test_the_chair_is_chosen_after_the_election(place, elected):
    with pytest.raises(ValidationError) as error:
        services.chair_choose(
            term=place.term,
            chair=elected.seats["赵湘黔"],
            chosen_on=date(2017, 6, 1),
            recorded_by=None,
        )
    assert "chosen_on" in error.value.message_dict


def test_no_chair_is_chosen_while_a_runoff_is_due(place, tied):
    chosen = place.term.members.get(resident__name="甲")
    with pytest.raises(ValidationError, match="The election is not over"):
        services.chair_choose(
            term=place.term, chair=chosen, chosen_on=date(2017, 7, 3), recorded_by=None
        )
    assert stored(chosen).role == Role.MEMBER


def test_no_chair_is_chosen_while_the_count_is_open(place):
    services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    seat = services.member_add(
        term=place.term, role=Role.MEMBER, starts_on=date(2017, 7, 1), resident=place.voters[0][1]
    )
    with pytest.raises(ValidationError, match="The election is not over"):
        services.chair_choose(
            term=place.term, chair=seat, chosen_on=date(2017, 7, 3), recorded_by=None
        )


# The filing


@pytest.fixture
def filing(place, elected):
    return ElectionFiling.objects.get(term=place.term)


def test_a_final_result_makes_the_filing_due_30_days_after_the_election(filing):
    assert (filing.due_on, filing.filed_on, filing.filed_with) == (date(2017, 7, 24), None, "")


def test_an_election_that_elected_nobody_has_nothing_to_file(place):
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    candidate = services.candidate_add(election=election, resident=place.voters[0][1])
    election = open_vote(election)
    vote(election, place.voters[0], candidate)  # one of three owners: no two thirds
    election = closed(election)
    assert services.election_is_over(place.term)
    assert not ElectionFiling.objects.exists()


def test_the_filing_is_recorded(filing):
    user = UserFactory()
    services.filing_record(
        filing=filing,
        filed_on=date(2017, 7, 14),
        filed_with="盐务街街道办事处",
        reference="盐业备〔2017〕3号",
        recorded_by=user,
    )
    filing = stored(filing)
    assert (filing.filed_on, filing.filed_with, filing.reference, filing.recorded_by) == (
        date(2017, 7, 14),
        "盐务街街道办事处",
        "盐业备〔2017〕3号",
        user,
    )
    assert filing.recorded_at is not None


def test_a_filing_is_recorded_once(filing):
    services.filing_record(
        filing=filing, filed_on=date(2017, 7, 14), filed_with="盐务街街道办事处", recorded_by=None
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.filing_record(
            filing=filing, filed_on=date(2017, 7, 20), filed_with="云岩区住建局", recorded_by=None
        )
    assert stored(filing).filed_with == "盐务街街道办事处"


@pytest.mark.parametrize(
    ("filed_on", "filed_with", "field"),
    [
        (date(2017, 6, 1), "盐务街街道办事处", "filed_on"),  # before the election
        ("tomorrow", "盐务街街道办事处", "filed_on"),
        (date(2017, 7, 14), "", "__all__"),  # with whom?
    ],
)
def test_a_filing_that_cannot_be_is_refused(filing, filed_on, filed_with, field):
    if filed_on == "tomorrow":
        filed_on = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.filing_record(
            filing=filing, filed_on=filed_on, filed_with=filed_with, recorded_by=None
        )
    assert field in error.value.message_dict
    assert stored(filing).filed_on is None


def test_days_left_count_down_to_the_due_date_and_below(filing):
    assert filing.days_left(date(2017, 7, 14)) == 10
    assert filing.days_left(date(2017, 7, 24)) == 0
    assert filing.days_left(date(2017, 8, 3)) == -10


# A term of at most five years


def owners_term(**fields):
    return Term(body=BodyFactory(), number=1, **fields)


def test_a_term_of_five_years_is_fine():
    owners_term(starts_on=date(2014, 4, 26), ends_on=date(2019, 4, 26)).full_clean()


def test_a_term_longer_than_five_years_is_refused_with_its_last_day():
    with pytest.raises(ValidationError) as error:
        owners_term(starts_on=date(2014, 4, 26), ends_on=date(2019, 4, 27)).full_clean()
    assert error.value.message_dict["ends_on"] == [
        "A term of an owners' committee lasts at most five years: this one may end on "
        "26 Apr 2019 at the latest."
    ]


def test_a_term_from_29_february_may_end_on_28_february():
    owners_term(starts_on=date(2016, 2, 29), ends_on=date(2021, 2, 28)).full_clean()
    with pytest.raises(ValidationError):
        owners_term(starts_on=date(2016, 2, 29), ends_on=date(2021, 3, 1)).full_clean()


def test_a_self_management_committee_has_no_five_year_rule():
    Term(
        body=BodyFactory(self_management=True),
        number=1,
        starts_on=date(2014, 9, 20),
        ends_on=date(2020, 9, 20),
    ).full_clean()


def test_starting_a_term_of_more_than_five_years_is_refused():
    body = BodyFactory()
    with pytest.raises(ValidationError) as error:
        services.term_start(
            body=body, number=1, starts_on=date(2017, 7, 1), ends_on=date(2023, 7, 1)
        )
    assert "ends_on" in error.value.message_dict
    assert not Term.objects.exists()


def test_a_running_term_that_overran_is_ended_on_the_day_it_did():
    # The law sets the length; when a term overruns, its end is recorded as it happened (and
    # the dashboard warned while it overran).
    body = BodyFactory()
    first = services.term_start(body=body, number=1, starts_on=date(2017, 7, 1))
    services.term_start(body=body, number=2, starts_on=date(2023, 5, 1))
    assert stored(first).ends_on == date(2023, 4, 30)


# What the dashboard warns about


def names(terms):
    return sorted((t.body.name, t.number, t.is_ending, t.filing_overdue) for t in terms)


def test_terms_needing_attention(place):
    today = date(2026, 12, 3)
    ending = TermFactory(
        body=BodyFactory(name="将满"), starts_on=date(2022, 1, 1), ends_on=date(2027, 1, 1)
    )
    over = TermFactory(
        body=BodyFactory(name="已满"), starts_on=date(2020, 1, 1), ends_on=date(2024, 12, 31)
    )
    open_ended = TermFactory(body=BodyFactory(name="未定"), starts_on=date(2021, 12, 31))
    young = TermFactory(body=BodyFactory(name="新届"), starts_on=date(2024, 5, 11))
    renewed = BodyFactory(name="换届")
    TermFactory(body=renewed, number=1, starts_on=date(2016, 1, 1), ends_on=date(2020, 12, 31))
    TermFactory(body=renewed, number=2, starts_on=date(2021, 1, 1), ends_on=date(2025, 12, 31))
    TermFactory(body=renewed, number=3, starts_on=date(2026, 1, 1))
    TermFactory(
        body=BodyFactory(name="已解散", dissolved_on=date(2025, 1, 1)),
        starts_on=date(2015, 1, 1),
    )
    TermFactory(body=BodyFactory(self_management=True, name="自管"), starts_on=date(2015, 1, 1))
    ElectionFiling.objects.create(term=young, due_on=date(2024, 6, 10))
    ElectionFiling.objects.create(
        term=ending, due_on=date(2022, 1, 30), filed_on=date(2022, 1, 20), filed_with="街道"
    )
    ElectionFiling.objects.create(term=place.term, due_on=today + datetime.timedelta(days=5))
    terms = Term.objects.needing_attention(today).select_related("body")
    assert names(terms) == sorted(
        [
            ("已满", over.number, True, False),
            ("将满", ending.number, True, False),
            ("新届", young.number, False, True),
            ("未定", open_ended.number, True, False),
            # Running since 2017 without an end date: past its five years. Its filing is
            # due in five days, not overdue.
            ("百腊井小区业主委员会", 2, True, False),
        ]
    )


def test_a_term_starts_to_warn_90_days_before_its_end():
    term = TermFactory(body=BodyFactory(), starts_on=date(2022, 3, 3), ends_on=date(2027, 3, 3))
    assert not Term.objects.needing_attention(date(2026, 12, 2)).filter(pk=term.pk).exists()
    assert Term.objects.needing_attention(date(2026, 12, 3)).filter(pk=term.pk).exists()
    running = TermFactory(body=BodyFactory(), starts_on=date(2022, 3, 3))
    assert not Term.objects.needing_attention(date(2026, 12, 2)).filter(pk=running.pk).exists()
    assert Term.objects.needing_attention(date(2026, 12, 3)).filter(pk=running.pk).exists()


# The migration that made elections rounds


def test_the_migration_marks_the_elected_and_makes_their_filing_due(place):
    migration = import_module("committees.migrations.0013_election_rounds_chair_filing")
    election = services.election_create(term=place.term, seats=5, held_on=ELECTION_DAY)
    zhao = place.voters[0][1]
    services.candidate_add(election=election, resident=zhao)
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    seat = services.member_add(
        term=place.term, role=Role.CHAIR, starts_on=date(2017, 7, 1), resident=zhao
    )
    other = services.member_add(
        term=place.term, role=Role.MEMBER, starts_on=date(2017, 7, 1), resident=place.voters[1][1]
    )
    open_one = services.election_create(
        term=TermFactory(body=BodyFactory()), seats=5, held_on=ELECTION_DAY
    )
    migration.settle_existing_elections(apps, None)
    assert stored(seat).elected_in == election
    assert stored(other).elected_in is None
    assert ElectionFiling.objects.get().due_on == date(2017, 7, 24)
    assert not ElectionFiling.objects.filter(term=open_one.term).exists()
