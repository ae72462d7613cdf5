"""Writes on the three bodies: seats and the access they carry, terms, and owners' elections
counted under Civil Code Art. 278."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committees.bodies import services
from committees.models import Ballot, Body, Candidate, Election, Member, Term
from residents.access import Access
from residents.models import AccessGrant, Membership, OwnerRoll
from tests.committees.factories import closed, open_vote
from tests.factories import (
    BodyFactory,
    BuildingFactory,
    CandidateFactory,
    CompoundFactory,
    CourtyardFactory,
    HouseholdFactory,
    MemberFactory,
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
Relation = Membership.Relation


def fresh_access(user) -> Access:
    """The user's access as a new request would read it (Access.of caches on the user)."""
    return Access.of(stored(user))


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def place():
    """百腊井小区: one unit to put households in, its owners' committee and its running 2nd
    term (formed by election, since 2017)."""
    compound = CompoundFactory(name="百腊井小区")
    unit = UnitFactory(building=BuildingFactory(compound=compound, number="3"), number="1")
    body = BodyFactory(compound=compound, name="百腊井小区业主委员会")
    TermFactory(body=body, number=1, starts_on=date(2013, 6, 28), ends_on=date(2017, 6, 30))
    term = TermFactory(body=body, number=2, starts_on=date(2017, 7, 1))
    return SimpleNamespace(compound=compound, unit=unit, body=body, term=term)


def household(place, area, *owners, **relations):
    """A household of `area` m² owned by `owners` (the first owner, the others co-owners);
    `relations` adds others: household(place, 60, zhao, tenant=qian)."""
    h = HouseholdFactory(unit=place.unit, area=Decimal(area))
    for i, resident in enumerate(owners):
        MembershipFactory(
            resident=resident, household=h, relation=Relation.CO_OWNER if i else Relation.OWNER
        )
    for relation, resident in relations.items():
        MembershipFactory(resident=resident, household=h, relation=relation)
    return h


def owners(n):
    return [ResidentFactory() for _ in range(n)]


ELECTION_DAY = date(2017, 6, 24)


def draft(place, seats=5, held_on=ELECTION_DAY):
    """The drafted election of the place's term: candidates are named before it opens."""
    return services.election_create(term=place.term, seats=seats, held_on=held_on)


def open_election(place, seats=5, held_on=ELECTION_DAY):
    """The election announced and its vote open (its roll frozen), with one candidate who
    is not an owner of the place."""
    election = draft(place, seats, held_on)
    services.candidate_add(election=election, resident=ResidentFactory(name="候选人"))
    return open_vote(election)


def vote(election, household, voter, *candidates):
    return services.ballot_record(
        election=election,
        household=household,
        voter=voter,
        candidates=candidates,
        recorded_by=None,
    )


# Seats give access


def test_seat_with_an_account_on_an_owners_committee_grants_its_compound(place):
    user = UserFactory()
    seat = services.member_add(
        term=place.term,
        role=Role.CHAIR,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(name="赵湘黔"),
        user=user,
    )
    grant = seat.access_grant
    assert (grant.user, grant.role) == (user, AccessGrant.Role.COMMITTEE_MEMBER)
    assert (grant.community, grant.compound, grant.courtyard) == (
        place.compound.community,
        place.compound,
        None,
    )
    assert (grant.starts_on, grant.ends_on) == (date(2017, 7, 1), None)
    assert grant.reason == "Chair of 百腊井小区业主委员会, term 2"
    access = fresh_access(user)
    assert access.compound_ids == {place.compound.pk}
    assert not access.staff_community_ids


@pytest.mark.parametrize("kind", [Body.Kind.OWNERS, Body.Kind.SELF_MANAGEMENT])
def test_seat_on_a_courtyards_committee_grants_that_courtyard_only(kind):
    courtyard = CourtyardFactory(name="庆丰一号院")
    term = TermFactory(
        body=BodyFactory(kind=kind, compound=courtyard.compound, courtyard=courtyard),
        starts_on=date(2014, 4, 26),
    )
    user = UserFactory()
    seat = services.member_add(
        term=term,
        role=Role.MEMBER,
        starts_on=date(2014, 4, 26),
        resident=ResidentFactory(),
        user=user,
    )
    assert seat.access_grant.role == AccessGrant.Role.COMMITTEE_MEMBER
    assert (seat.access_grant.compound, seat.access_grant.courtyard) == (
        courtyard.compound,
        courtyard,
    )
    access = fresh_access(user)
    assert (access.courtyard_ids, access.compound_ids) == ({courtyard.pk}, set())


def test_seat_on_the_neighbourhood_committee_makes_staff_of_the_community():
    body = BodyFactory(neighbourhood=True, name="金仓社区居民委员会")
    term = TermFactory(body=body, number=7, starts_on=date(2021, 6, 1))
    user = UserFactory()
    seat = services.member_add(
        term=term, role=Role.CHAIR, starts_on=date(2021, 6, 1), user=user, name="廖书英"
    )
    grant = seat.access_grant
    assert grant.role == AccessGrant.Role.NEIGHBOURHOOD_STAFF
    assert (grant.community, grant.compound, grant.courtyard) == (body.community, None, None)
    access = fresh_access(user)
    assert access.staff_community_ids == {body.community.pk}
    assert access.is_staff_role


def test_seat_without_an_account_grants_nothing(place):
    seat = services.member_add(
        term=place.term, role=Role.MEMBER, starts_on=date(2017, 7, 1), resident=ResidentFactory()
    )
    assert seat.access_grant is None
    assert not AccessGrant.objects.exists()


def test_seat_of_a_staff_member_off_the_register_keeps_their_party_flag():
    term = TermFactory(body=BodyFactory(neighbourhood=True), number=7, starts_on=date(2021, 6, 1))
    seat = services.member_add(
        term=term,
        role=Role.VICE_CHAIR,
        starts_on=date(2021, 6, 1),
        name="王德兴",
        is_party_member=True,
    )
    assert seat.party_member


def test_seat_of_a_resident_ignores_a_party_flag_given_for_the_seat(place):
    seat = services.member_add(
        term=place.term,
        role=Role.MEMBER,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(is_party_member=False),
        is_party_member=True,
    )
    assert not seat.is_party_member
    assert not seat.party_member


def test_ending_a_seat_ends_its_access(place):
    user = UserFactory()
    seat = services.member_add(
        term=place.term,
        role=Role.MEMBER,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(),
        user=user,
    )
    assert fresh_access(user).compound_ids == {place.compound.pk}
    services.member_end(member=seat, ends_on=yesterday())
    seat.access_grant.refresh_from_db()
    assert seat.access_grant.ends_on == yesterday()
    access = fresh_access(user)
    assert access.compound_ids == set()
    assert not access.has_role


def test_seat_ending_today_still_gives_access_today(place):
    user = UserFactory()
    seat = services.member_add(
        term=place.term,
        role=Role.MEMBER,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(),
        user=user,
    )
    services.member_end(member=seat, ends_on=timezone.localdate())
    assert fresh_access(user).compound_ids == {place.compound.pk}


def test_ending_a_term_ends_every_open_seat_and_its_access(place):
    users = [UserFactory(), UserFactory()]
    seats = [
        services.member_add(
            term=place.term,
            role=role,
            starts_on=date(2017, 7, 1),
            resident=ResidentFactory(),
            user=user,
        )
        for role, user in zip([Role.CHAIR, Role.MEMBER], users, strict=True)
    ]
    services.term_end(term=place.term, ends_on=yesterday())
    assert stored(place.term).ends_on == yesterday()
    for seat in seats:
        seat.refresh_from_db()
        assert seat.ends_on == yesterday()
        assert stored(seat.access_grant).ends_on == yesterday()
    for user in users:
        assert not fresh_access(user).has_role


def test_ending_a_term_keeps_the_end_of_a_seat_that_ended_earlier(place):
    seat = MemberFactory(term=place.term, ends_on=date(2018, 3, 1))
    services.term_end(term=place.term, ends_on=date(2022, 6, 30))
    seat.refresh_from_db()
    assert seat.ends_on == date(2018, 3, 1)


def test_term_ending_before_it_starts_is_refused(place):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.term_end(term=place.term, ends_on=date(2017, 6, 30))
    assert stored(place.term).ends_on is None


def test_next_term_ends_the_running_terms_seats_and_access(place):
    user = UserFactory()
    seat = services.member_add(
        term=place.term,
        role=Role.CHAIR,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(),
        user=user,
    )
    start = timezone.localdate()
    services.term_start(body=place.body, number=3, starts_on=start)
    seat.refresh_from_db()
    assert seat.ends_on == start - datetime.timedelta(days=1)
    assert not fresh_access(user).has_role


def test_seat_starting_before_its_term_is_refused_and_nothing_is_written(place):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.member_add(
            term=place.term,
            role=Role.MEMBER,
            starts_on=date(2017, 6, 30),
            resident=ResidentFactory(),
            user=user,
        )
    assert error.value.message_dict == {"starts_on": ["The seat starts before the term does."]}
    assert not place.term.members.exists()
    assert not AccessGrant.objects.exists()


def test_seat_starting_after_its_term_ended_is_refused(place):
    ended = place.body.terms.get(number=1)
    with pytest.raises(ValidationError, match="starts after the term has ended"):
        services.member_add(
            term=ended, role=Role.MEMBER, starts_on=date(2017, 7, 1), resident=ResidentFactory()
        )
    assert not ended.members.exists()


def test_second_chair_is_refused_and_gets_no_access(place):
    services.member_add(
        term=place.term, role=Role.CHAIR, starts_on=date(2017, 7, 1), resident=ResidentFactory()
    )
    user = UserFactory()
    with pytest.raises(ValidationError, match="already has a chair"):
        services.member_add(
            term=place.term,
            role=Role.CHAIR,
            starts_on=date(2017, 7, 1),
            resident=ResidentFactory(),
            user=user,
        )
    assert place.term.members.count() == 1
    assert not AccessGrant.objects.filter(user=user).exists()


def test_seat_ending_before_it_starts_is_refused_and_keeps_its_access(place):
    user = UserFactory()
    seat = services.member_add(
        term=place.term,
        role=Role.MEMBER,
        starts_on=date(2017, 7, 1),
        resident=ResidentFactory(),
        user=user,
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.member_end(member=seat, ends_on=date(2017, 6, 30))
    assert stored(seat).ends_on is None
    assert fresh_access(user).compound_ids == {place.compound.pk}


# Opening an election freezes the owners and their areas


def test_opening_an_election_freezes_the_owners_of_the_place(place):
    zhao, sun, qian = owners(3)
    h1 = household(place, "60.00", zhao)
    h2 = household(place, "75.50", sun, qian)
    household_elsewhere = HouseholdFactory()  # another compound
    election = open_election(place, seats=7)
    assert (election.term, election.seats, election.status) == (
        place.term,
        7,
        Election.Status.OPEN,
    )
    entries = {e.household_id: e.area for e in election.roll.entries.all()}
    assert entries == {h1.pk: Decimal("60.00"), h2.pk: Decimal("75.50")}
    assert household_elsewhere.pk not in entries
    assert election.roll.description == "Owners of 百腊井小区, election of term 2"


def test_later_changes_to_the_register_do_not_move_the_electorate(place):
    zhao, sun = owners(2)
    h1 = household(place, "60.00", zhao)
    household(place, "80.00", sun)
    election = open_election(place)
    before = services.election_result(election).electorate
    h1.area = Decimal("160.00")
    h1.save()
    household(place, "90.00", ResidentFactory())
    MembershipFactory(resident=ResidentFactory(), household=h1, relation=Relation.CO_OWNER)
    after = services.election_result(stored(election)).electorate
    assert after == before
    assert (after.owners, after.area) == (2, Decimal("140.00"))


def test_election_of_a_courtyards_committee_counts_that_courtyards_owners_only():
    courtyard = CourtyardFactory(name="庆丰一号院")
    inside = HouseholdFactory(
        unit__building=BuildingFactory(compound=courtyard.compound, courtyard=courtyard)
    )
    HouseholdFactory(unit__building=BuildingFactory(compound=courtyard.compound))
    body = BodyFactory(compound=courtyard.compound, courtyard=courtyard)
    election = services.election_create(
        term=TermFactory(body=body), seats=5, held_on=date(2019, 4, 20)
    )
    services.candidate_add(election=election, resident=ResidentFactory())
    election = open_vote(election)
    assert list(election.roll.entries.values_list("household", flat=True)) == [inside.pk]


@pytest.mark.parametrize("kind", ["neighbourhood", "self_management"])
def test_only_an_owners_committee_is_elected_by_the_owners(kind):
    term = TermFactory(body=BodyFactory(**{kind: True}))
    with pytest.raises(ValidationError, match="Only owners' committees are elected"):
        services.election_create(term=term, seats=5, held_on=date(2017, 6, 24))
    assert not Election.objects.exists()
    assert not OwnerRoll.objects.exists()


def test_term_formed_by_appointment_has_no_election():
    term = TermFactory(body=BodyFactory(), formed_by=Term.FormedBy.APPOINTMENT)
    with pytest.raises(ValidationError, match="formed by appointment"):
        services.election_create(term=term, seats=5, held_on=date(2017, 6, 24))
    assert not OwnerRoll.objects.exists()


def test_term_has_one_election(place):
    open_election(place)
    with pytest.raises(ValidationError, match="already has an election"):
        open_election(place)
    assert OwnerRoll.objects.count() == 1


# Recording ballots: one per owner


@pytest.fixture
def owners_election(place):
    """Four owners: 赵 and 孙 co-own 101; 钱 owns 102 and 103; 李 owns 104 (with a tenant and
    a family member); two candidates, five seats."""
    people = SimpleNamespace(
        **{
            key: ResidentFactory(name=name)
            for key, name in [
                ("zhao", "赵湘黔"),
                ("sun", "孙桂兰"),
                ("qian", "钱国强"),
                ("li", "李华玉"),
                ("tenant", "周建华"),
                ("family", "吴秀英"),
            ]
        }
    )
    h101 = household(place, "60.00", people.zhao, people.sun)
    h102 = household(place, "70.00", people.qian)
    h103 = household(place, "50.00", people.qian)
    h104 = household(place, "80.00", people.li, tenant=people.tenant, family=people.family)
    election = draft(place)
    candidates = [
        services.candidate_add(election=election, resident=people.zhao),
        services.candidate_add(election=election, resident=people.li),
    ]
    election = open_vote(election)
    return SimpleNamespace(
        election=election,
        people=people,
        h101=h101,
        h102=h102,
        h103=h103,
        h104=h104,
        candidates=candidates,
    )


def refused(e, household, voter, *candidates, field):
    """The ballot is refused with an error on `field`, and no ballot is written."""
    before = Ballot.objects.count()
    with pytest.raises(ValidationError) as error:
        vote(e.election, household, voter, *candidates)
    assert Ballot.objects.count() == before
    return error.value.message_dict[field]


def test_owner_casts_a_ballot(owners_election):
    e = owners_election
    ballot = vote(e.election, e.h104, e.people.li, e.candidates[1])
    assert ballot.voter == e.people.li
    assert list(ballot.choices.all()) == [e.candidates[1]]
    assert ballot.owner_key == e.election.roll.entries.get(household=e.h104).owner_key


def test_blank_ballot_is_recorded(owners_election):
    e = owners_election
    assert not vote(e.election, e.h104, e.people.li).choices.exists()


def test_ballot_from_a_household_not_on_the_roll_is_refused(owners_election, place):
    e = owners_election
    newcomer = ResidentFactory()
    added_later = household(place, "90.00", newcomer)
    assert refused(e, added_later, newcomer, field="household") == [
        "This household is not on the election's roll of owners."
    ]
    elsewhere = MembershipFactory().household
    refused(e, elsewhere, elsewhere.memberships.get().resident, field="household")


@pytest.mark.parametrize("who", ["tenant", "family"])
def test_ballot_from_someone_who_does_not_own_the_household_is_refused(owners_election, who):
    e = owners_election
    assert refused(e, e.h104, getattr(e.people, who), field="voter") == [
        "Only an owner or co-owner of the household can cast its ballot."
    ]


def test_ballot_from_the_owner_of_another_household_is_refused(owners_election):
    e = owners_election
    refused(e, e.h104, e.people.qian, field="voter")


def test_second_ballot_from_the_same_household_is_refused(owners_election):
    e = owners_election
    vote(e.election, e.h104, e.people.li)
    assert refused(e, e.h104, e.people.li, e.candidates[0], field="household") == [
        "This owner has already voted (co-owners vote together, and an owner of several "
        "units votes once)."
    ]


def test_second_ballot_from_another_unit_of_the_same_owner_is_refused(owners_election):
    e = owners_election
    vote(e.election, e.h102, e.people.qian)
    refused(e, e.h103, e.people.qian, field="household")


def test_ballot_from_the_other_co_owner_of_a_household_that_voted_is_refused(owners_election):
    e = owners_election
    vote(e.election, e.h101, e.people.zhao, e.candidates[0])
    refused(e, e.h101, e.people.sun, e.candidates[1], field="household")


def test_either_co_owner_may_cast_the_households_ballot(owners_election):
    e = owners_election
    assert vote(e.election, e.h101, e.people.sun).voter == e.people.sun


def test_ballot_naming_more_candidates_than_seats_is_refused(owners_election):
    e = owners_election
    more = [CandidateFactory(election=e.election) for _ in range(4)]  # named before it opened
    assert refused(e, e.h104, e.people.li, *e.candidates, *more, field="choices") == [
        "A ballot may name at most 5 candidates."
    ]


def test_ballot_naming_another_elections_candidate_is_refused(owners_election):
    e = owners_election
    other = services.election_create(
        term=TermFactory(body=BodyFactory()), seats=5, held_on=date(2017, 6, 24)
    )
    stranger = services.candidate_add(election=other, resident=ResidentFactory())
    assert refused(e, e.h104, e.people.li, stranger, field="choices") == [
        "Choose among this election's candidates."
    ]


def test_ballot_in_a_closed_election_is_refused(owners_election):
    e = owners_election
    closed(e.election)
    before = Ballot.objects.count()
    with pytest.raises(ValidationError, match="The election is closed"):
        vote(e.election, e.h104, e.people.li)
    assert Ballot.objects.count() == before


def test_candidate_cannot_be_added_to_a_closed_election(owners_election):
    e = owners_election
    closed(e.election)
    with pytest.raises(ValidationError, match="nobody can stand any more"):
        services.candidate_add(election=stored(e.election), resident=e.people.qian)
    assert e.election.candidates.count() == 2


def test_candidate_cannot_be_added_to_an_election_closed_meanwhile(owners_election):
    # Like ballot_record, candidate_add must read the election's status under a lock, not
    # trust the caller's copy: a close and an addition may come in at the same time.
    e = owners_election
    closed(e.election)
    with pytest.raises(ValidationError, match="nobody can stand any more"):
        services.candidate_add(election=e.election, resident=e.people.qian)
    assert e.election.candidates.count() == 2


def test_same_candidate_twice_is_refused(place):
    election = draft(place)
    zhao = ResidentFactory(name="赵湘黔")
    services.candidate_add(election=election, resident=zhao)
    with pytest.raises(ValidationError, match="already a candidate"):
        services.candidate_add(election=election, resident=zhao)
    assert Candidate.objects.count() == 1


def test_no_candidate_is_added_once_the_election_is_announced(owners_election):
    e = owners_election
    with pytest.raises(ValidationError, match="nobody can stand any more"):
        services.candidate_add(election=e.election, resident=e.people.qian)
    assert Candidate.objects.count() == 2


# The count


def test_co_owned_unit_counts_once_by_head(owners_election):
    e = owners_election
    vote(e.election, e.h101, e.people.zhao)
    result = services.election_result(e.election)
    assert (result.electorate.owners, result.electorate.area) == (3, Decimal("260.00"))
    assert (result.participating.owners, result.participating.area) == (1, Decimal("60.00"))


def test_owner_of_several_units_counts_once_by_head_with_all_their_area(owners_election):
    e = owners_election
    vote(e.election, e.h103, e.people.qian, e.candidates[1])
    result = services.election_result(e.election)
    assert (result.participating.owners, result.participating.area) == (1, Decimal("120.00"))
    li = next(row for row in result.candidates if row.candidate == e.candidates[1])
    assert (li.votes.owners, li.votes.area) == (1, Decimal("120.00"))


def equal_owners(place, n, area="100.00"):
    """`n` owners with one household of `area` each: [(household, owner), ...]."""
    result = []
    for owner in owners(n):
        result.append((household(place, area, owner), owner))
    return result


def test_exactly_two_thirds_of_owners_and_area_taking_part_is_enough(place):
    voters = equal_owners(place, 3)
    election = open_election(place)
    for h, owner in voters[:2]:
        vote(election, h, owner)
    result = services.election_result(election)
    assert (result.participating.owners, result.electorate.owners) == (2, 3)
    assert result.participation_reached


def test_just_under_two_thirds_of_the_area_is_not_enough(place):
    voters = equal_owners(place, 2)
    household(place, "100.01", ResidentFactory())
    election = open_election(place)
    for h, owner in voters:
        vote(election, h, owner)
    result = services.election_result(election)
    assert (result.participating.area, result.electorate.area) == (
        Decimal("200.00"),
        Decimal("300.01"),
    )
    assert not result.participation_reached


def test_just_under_two_thirds_of_the_owners_is_not_enough(place):
    # 3 of 5 owners (60 %) holding 300 of 340 m² (88 %)
    voters = equal_owners(place, 3)
    household(place, "20.00", ResidentFactory())
    household(place, "20.00", ResidentFactory())
    election = open_election(place)
    for h, owner in voters:
        vote(election, h, owner)
    result = services.election_result(election)
    assert not result.participation_reached


def test_candidate_with_exactly_half_of_the_participants_is_not_elected(place):
    voters = equal_owners(place, 4)
    election = draft(place)
    half, more = (
        services.candidate_add(election=election, resident=voters[0][1]),
        services.candidate_add(election=election, resident=voters[1][1]),
    )
    election = open_vote(election)
    vote(election, *voters[0], half, more)
    vote(election, *voters[1], half, more)
    vote(election, *voters[2], more)
    vote(election, *voters[3])
    result = services.election_result(election)
    rows = {row.candidate: row for row in result.candidates}
    assert rows[half].votes.owners == 2 and not rows[half].majority
    assert rows[more].majority
    assert result.elected == [more]


def test_candidate_with_most_owners_but_exactly_half_of_the_area_is_not_elected(place):
    big_owner = ResidentFactory()
    big = household(place, "100.00", big_owner)
    smalls = [(household(place, "50.00", o), o) for o in owners(2)]
    election = draft(place)
    candidate = services.candidate_add(election=election, resident=big_owner)
    election = open_vote(election)
    vote(election, big, big_owner)
    for h, owner in smalls:
        vote(election, h, owner, candidate)
    result = services.election_result(election)
    (row,) = result.candidates
    assert (row.votes.owners, row.votes.area) == (2, Decimal("100.00"))
    assert not row.majority
    assert result.elected == []


def test_nobody_is_elected_when_participation_is_not_reached(place):
    voters = equal_owners(place, 3)
    election = draft(place)
    candidate = services.candidate_add(election=election, resident=voters[0][1])
    election = open_vote(election)
    vote(election, *voters[0], candidate)
    result = services.election_result(election)
    assert result.candidates[0].majority
    assert result.elected == []


# Closing the count


def test_closing_seats_the_elected_as_members(place):
    voters = equal_owners(place, 3)
    election = draft(place, held_on=date(2017, 6, 24))
    elected = services.candidate_add(election=election, resident=voters[0][1])
    beaten = services.candidate_add(election=election, resident=voters[1][1])
    election = open_vote(election)
    vote(election, *voters[0], elected, beaten)
    for h, owner in voters[1:]:
        vote(election, h, owner, elected)

    closed(election)

    assert stored(election).status == Election.Status.CLOSED
    seat = place.term.members.get()
    assert (seat.resident, seat.role, seat.starts_on) == (
        voters[0][1],
        Role.MEMBER,
        date(2017, 7, 1),  # the term's start, after the election day
    )


def test_closing_does_not_seat_an_elected_candidate_twice(place):
    voters = equal_owners(place, 3)
    election = draft(place)
    candidate = services.candidate_add(election=election, resident=voters[0][1])
    services.member_add(
        term=place.term, role=Role.CHAIR, starts_on=date(2017, 7, 1), resident=voters[0][1]
    )
    election = open_vote(election)
    for h, owner in voters:
        vote(election, h, owner, candidate)
    closed(election)
    assert place.term.members.get().role == Role.CHAIR


def test_closing_without_participation_seats_nobody(place):
    voters = equal_owners(place, 3)
    election = draft(place)
    candidate = services.candidate_add(election=election, resident=voters[0][1])
    election = open_vote(election)
    vote(election, *voters[0], candidate)
    closed(election)
    assert stored(election).status == Election.Status.CLOSED
    assert not place.term.members.exists()


def test_closing_twice_is_refused(place):
    voters = equal_owners(place, 3)
    election = draft(place)
    candidate = services.candidate_add(election=election, resident=voters[0][1])
    election = open_vote(election)
    for h, owner in voters:
        vote(election, h, owner, candidate)
    closed(election)
    with pytest.raises(ValidationError, match="The election is closed"):
        services.election_close(election=election)
    assert place.term.members.count() == 1
