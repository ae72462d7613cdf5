"""The tallies of meetings.projects.tally, counted by the database over the frozen roll.

Each owners' decision here covers one unit of a compound of its own; a household
with no owner on record counts as an owner by itself, so most tests need no
residents at all.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from meetings.models import ConsentRecord, Project
from meetings.projects import consent, tally
from residents.models import Household, Membership, OwnerRollEntry
from residents.owners.owners_vote import Matter
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    BuildingFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
    UnitFactory,
    UserFactory,
)
from tests.projects.factories import ProjectFactory, open_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    body = BodyFactory(name="百花小区业主委员会")
    return UnitFactory(building=BuildingFactory(compound=body.compound, number="9"), number="1")


@pytest.fixture
def worker(unit):
    """Neighbourhood-committee staff of the unit's community: may record in its projects."""
    user = UserFactory(username="gridworker")
    AccessGrantFactory(user=user, staff=True, community=unit.building.compound.community)
    return user


def homes(unit, *areas, **fields):
    """One household per area, doors 101, 102, ... after those the unit has."""
    first = 101 + unit.households.count()
    return [
        HouseholdFactory(unit=unit, door_number=str(first + i), area=Decimal(area), **fields)
        for i, area in enumerate(areas)
    ]


def decision(unit, matter=Matter.USE_FUND):
    project = ProjectFactory(
        consent_kind=Project.ConsentKind.OWNERS_DECISION,
        matter=matter,
        body=unit.building.compound.bodies.get(),
        units=[unit],
    )
    return open_vote(project)


def answer(project, household, value, by):
    """`value` recorded (an owners' decision: as the vote of the household's first owner
    on the roll)."""
    voter = None
    if project.is_decision:
        voter = project.roll.entries.get(household=household).owners.order_by("pk").first()
    return consent.consent_record(
        project=project, household=household, answer=value, recorded_by=by, voter=voter
    )


def vote(project, households, answers, by):
    for household, value in zip(households, answers, strict=False):
        if value:
            answer(project, household, value, by)
    return tally.decision_tally(project)


# Participation: two thirds or more of the owners AND of the area


def test_exactly_two_thirds_of_owners_and_area_taking_part_reaches_participation(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00")
    result = vote(decision(unit), people, ["agree", "disagree", None], worker)
    assert result.participating.owners == 2
    assert result.participating.area == Decimal("120.00")
    assert result.electorate.owners == 3
    assert result.electorate.area == Decimal("180.00")
    assert result.participation_reached


def test_a_hundredth_of_a_square_metre_under_two_thirds_of_the_area_misses_participation(
    unit, worker
):
    people = homes(unit, "60.00", "60.00", "60.01")
    result = vote(decision(unit), people, ["agree", "agree", None], worker)
    # two of three owners took part: by head it is reached, by area it is not
    assert result.participation_share[0] == Fraction(2, 3)
    assert result.participating.area * 3 < result.electorate.area * 2
    assert not result.participation_reached
    assert result.approved
    assert not result.passed


def test_one_owner_short_of_two_thirds_misses_participation_however_much_area_took_part(
    unit, worker
):
    # nine owners: six are two thirds, five are not, although the five hold 500 of 540 m²
    people = homes(unit, *["100.00"] * 5, *["10.00"] * 4)
    project = decision(unit)
    short = vote(project, people, ["agree"] * 5, worker)
    assert (short.participating.owners, short.electorate.owners) == (5, 9)
    assert short.participating.area == Decimal("500.00")
    assert not short.participation_reached

    enough = vote(project, people[5:], ["agree"], worker)
    assert (enough.participating.owners, enough.electorate.owners) == (6, 9)
    assert enough.participation_reached
    assert enough.passed


def test_abstaining_owners_take_part(unit, worker):
    people = homes(unit, "50.00", "50.00", "50.00")
    result = vote(decision(unit), people, ["agree", "abstain", None], worker)
    assert result.participating.owners == 2
    assert result.abstain.owners == 1
    assert result.participation_reached


# Approval of a special matter: three quarters or more of the participants


def test_exactly_three_quarters_agreeing_approves_a_renovation(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00", "60.00")
    result = vote(decision(unit, Matter.RENOVATE), people, ["agree"] * 3 + ["disagree"], worker)
    assert (result.agree.owners, result.participating.owners) == (3, 4)
    assert (result.agree.area, result.participating.area) == (Decimal("180.00"), Decimal("240.00"))
    assert result.approved
    assert result.passed


def test_a_hundredth_of_a_square_metre_under_three_quarters_does_not_approve_a_renovation(
    unit, worker
):
    people = homes(unit, "60.00", "60.00", "60.00", "60.01")
    result = vote(decision(unit, Matter.RENOVATE), people, ["agree"] * 3 + ["disagree"], worker)
    assert (result.agree.owners, result.participating.owners) == (3, 4)
    assert result.participation_reached
    assert not result.approved
    assert not result.passed


def test_under_three_quarters_of_the_participating_owners_does_not_approve_a_renovation(
    unit, worker
):
    # three of five participants agree (60%), holding 300 of 302 m² (99.3%)
    people = homes(unit, "100.00", "100.00", "100.00", "1.00", "1.00")
    answers = ["agree", "agree", "agree", "disagree", "abstain"]
    result = vote(decision(unit, Matter.RENOVATE), people, answers, worker)
    assert (result.agree.owners, result.participating.owners) == (3, 5)
    assert result.agree.area == Decimal("300.00")
    assert not result.approved


def test_the_three_quarter_rule_applies_to_raising_the_fund_and_changing_the_use_only(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00")
    # two of three agree: more than half, less than three quarters
    answers = ["agree", "agree", "disagree"]
    project = decision(unit, Matter.RAISE_FUND)
    assert not vote(project, people, answers, worker).approved
    for matter, approved in [
        (Matter.CHANGE_USE, False),
        (Matter.RENOVATE, False),
        (Matter.USE_FUND, True),
        (Matter.PROPERTY_MANAGER, True),
        (Matter.OTHER, True),
    ]:
        Project.objects.filter(pk=project.pk).update(matter=matter)
        project.refresh_from_db()
        assert tally.decision_tally(project).approved is approved, matter


# Approval of an ordinary matter: more than half


def test_exactly_half_agreeing_does_not_approve_using_the_maintenance_fund(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00", "60.00")
    result = vote(
        decision(unit, Matter.USE_FUND), people, ["agree", "agree"] + ["disagree"] * 2, worker
    )
    assert result.participation_reached
    assert (result.agree.owners, result.participating.owners) == (2, 4)
    assert not result.approved


def test_exactly_half_of_the_area_fails_even_with_most_owners_agreeing(unit, worker):
    people = homes(unit, "50.00", "50.00", "100.00")
    result = vote(decision(unit, Matter.USE_FUND), people, ["agree", "agree", "disagree"], worker)
    assert (result.agree.owners, result.participating.owners) == (2, 3)
    assert (result.agree.area, result.participating.area) == (Decimal("100.00"), Decimal("200.00"))
    assert not result.approved


def test_one_more_than_half_approves_using_the_maintenance_fund(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00", "60.00")
    result = vote(decision(unit), people, ["agree"] * 3 + ["disagree"], worker)
    assert result.approved
    assert result.passed


# Who counts as an owner, and with how much area


def test_one_owner_of_several_units_counts_once_by_head_with_all_their_area(unit, worker):
    big, small, other, another = homes(unit, "60.00", "40.00", "100.00", "100.00")
    landlord = ResidentFactory(name="房东王")
    MembershipFactory(resident=landlord, household=big)
    MembershipFactory(resident=landlord, household=small)
    project = decision(unit)

    answer(project, small, "agree", worker)

    # the answer given at one door is the owner's, for every household they own
    assert dict(project.consents.values_list("household", "answer")) == {
        big.pk: "agree",
        small.pk: "agree",
    }
    result = tally.decision_tally(project)
    assert (result.electorate.owners, result.electorate.area) == (3, Decimal("300.00"))
    assert (result.agree.owners, result.agree.area) == (1, Decimal("100.00"))
    assert not result.participation_reached

    result = vote(project, [other], ["agree"], worker)
    assert (result.participating.owners, result.participating.area) == (2, Decimal("200.00"))
    assert result.participation_reached


def test_the_co_owners_of_a_unit_count_once_with_one_answer(unit, worker):
    shared, single = homes(unit, "90.00", "70.00")
    MembershipFactory(resident=ResidentFactory(name="张大伟"), household=shared)
    MembershipFactory(
        resident=ResidentFactory(name="张二妹"),
        household=shared,
        relation=Membership.Relation.CO_OWNER,
    )
    MembershipFactory(resident=ResidentFactory(name="刘单身"), household=single)
    project = decision(unit)

    result = vote(project, [shared], ["agree"], worker)

    assert (result.electorate.owners, result.electorate.area) == (2, Decimal("160.00"))
    assert (result.agree.owners, result.agree.area) == (1, Decimal("90.00"))
    assert project.consents.count() == 1


def test_a_co_owner_who_owns_another_unit_alone_is_another_owner_there(unit, worker):
    # 张大伟 and 张二妹 bought `shared` together, 张二妹 bought `own` alone: two buyers,
    # two owners (the court's "same buyer"), not one joined through 张二妹.
    shared, own, _other = homes(unit, "90.00", "50.00", "70.00")
    sister = ResidentFactory(name="张二妹")
    MembershipFactory(resident=ResidentFactory(name="张大伟"), household=shared)
    MembershipFactory(resident=sister, household=shared, relation=Membership.Relation.CO_OWNER)
    MembershipFactory(resident=sister, household=own)
    project = decision(unit)

    result = vote(project, [own], ["disagree"], worker)

    assert result.electorate.owners == 3
    assert (result.disagree.owners, result.disagree.area) == (1, Decimal("50.00"))
    assert not project.consents.filter(household=shared).exists()


def test_sets_of_co_owners_sharing_a_person_are_counted_as_different_owners(unit, worker):
    # H owns 101; W and M own 102; H and W own 103: three owners, each with their own answer.
    one, two, three = homes(unit, "60.00", "70.00", "80.00")
    h, w, m = (ResidentFactory(name=name) for name in ("何建国", "王秀英", "马丽"))
    co_owner = Membership.Relation.CO_OWNER
    MembershipFactory(resident=h, household=one)
    MembershipFactory(resident=w, household=two)
    MembershipFactory(resident=m, household=two, relation=co_owner)
    MembershipFactory(resident=h, household=three)
    MembershipFactory(resident=w, household=three, relation=co_owner)
    project = decision(unit)

    result = vote(project, [one, two, three], ["agree", "disagree", "agree"], worker)

    assert (result.electorate.owners, result.electorate.area) == (3, Decimal("210.00"))
    assert (result.agree.owners, result.agree.area) == (2, Decimal("140.00"))
    assert (result.disagree.owners, result.disagree.area) == (1, Decimal("70.00"))
    assert result.passed
    keys = set(OwnerRollEntry.objects.filter(roll=project.roll).values_list("owner_key"))
    assert len(keys) == 3


def test_the_developers_unsold_units_count_as_one_owner_together(unit, worker):
    unsold = homes(unit, "80.00", "90.00", "100.00", developer_unsold=True)
    sold = homes(unit, "70.00", "60.00")
    project = decision(unit)

    result = tally.decision_tally(project)
    assert (result.electorate.owners, result.electorate.area) == (3, Decimal("400.00"))

    result = vote(project, [unsold[0]], ["agree"], worker)
    assert (result.agree.owners, result.agree.area) == (1, Decimal("270.00"))
    assert project.consents.filter(answer="agree").count() == 3

    # both other owners disagree: counted unit by unit the developer's three would carry
    # it (3 of 5), counted as one owner it is 1 of 3 by head and fails
    result = vote(project, sold, ["disagree", "disagree"], worker)
    assert (result.participating.owners, result.participating.area) == (3, Decimal("400.00"))
    assert (result.agree.owners, result.agree.area) == (1, Decimal("270.00"))
    assert result.participation_reached
    assert not result.approved


def test_units_sold_but_not_handed_over_count_with_the_developers_unsold_units(unit, worker):
    unsold = homes(unit, "80.00", developer_unsold=True)
    sold_not_handed_over = homes(unit, "90.00", "100.00", not_handed_over=True)
    buyer = ResidentFactory(name="刘洋")
    MembershipFactory(resident=buyer, household=sold_not_handed_over[0])
    owned = homes(unit, "70.00")
    MembershipFactory(resident=buyer, household=owned[0])
    project = decision(unit)

    result = tally.decision_tally(project)
    # the developer's three units are one owner; 刘洋's handed-over unit is another
    assert (result.electorate.owners, result.electorate.area) == (2, Decimal("340.00"))

    result = vote(project, [sold_not_handed_over[1]], ["agree"], worker)
    assert (result.agree.owners, result.agree.area) == (1, Decimal("270.00"))
    assert project.consents.get(household=unsold[0]).answer == "agree"
    assert project.consents.filter(answer="agree").count() == 3
    assert not project.consents.filter(household=owned[0]).exists()


def test_a_unit_with_no_registered_area_counts_by_head_only(unit, worker):
    bare, *others = homes(unit, "0.00", "100.00", "100.00")
    project = decision(unit)

    result = vote(project, [bare], ["agree"], worker)
    assert (result.electorate.owners, result.electorate.area) == (3, Decimal("200.00"))
    assert (result.agree.owners, result.agree.area) == (1, Decimal("0"))

    # two of three owners by head, but half of the area: participation is not reached
    result = vote(project, others[:1], ["agree"], worker)
    assert result.participating.owners == 2
    assert result.participating.area == Decimal("100.00")
    assert not result.participation_reached


# The denominator is frozen when the vote opens


def test_the_electorate_does_not_move_when_the_register_changes_after_the_vote_opens(unit, worker):
    people = homes(unit, "60.00", "60.00", "60.00")
    project = decision(unit)
    before = tally.decision_tally(project)

    homes(unit, "500.00")
    Household.objects.filter(pk=people[0].pk).update(area=Decimal("1000.00"))
    MembershipFactory(resident=ResidentFactory(name="新业主"), household=people[1])

    after = vote(project, people[:2], ["agree", "agree"], worker)
    assert (before.electorate.owners, before.electorate.area) == (3, Decimal("180.00"))
    assert after.electorate == before.electorate
    assert (after.agree.owners, after.agree.area) == (2, Decimal("120.00"))
    assert after.passed
    assert OwnerRollEntry.objects.filter(roll=project.roll).count() == 3


def test_the_tally_is_exact_decimal_arithmetic(unit, worker):
    people = homes(unit, "33.33", "33.33", "33.34")
    result = vote(decision(unit), people, ["agree", "agree", "disagree"], worker)
    assert result.electorate.area == Decimal("100.00")
    assert isinstance(result.agree.area, Decimal)
    assert result.agree.area == Decimal("66.66")
    assert result.participation_reached


# Co-funding: per unit, and whether each unit goes ahead


@pytest.fixture
def campaign(unit, worker):
    """A co-funding campaign over two units of four households each."""
    second = UnitFactory(building=unit.building, number="2")
    homes(unit, "60", "60", "60", "60")
    homes(second, "70", "70", "70", "70")
    return ProjectFactory(body=unit.building.compound.bodies.get(), units=[unit, second])


def households_of(unit):
    return list(unit.households.order_by("door_number"))


def progress_of(project):
    return {u.unit: u for building in tally.cofunding_progress(project) for u in building.units}


def test_cofunding_progress_counts_each_units_answers(campaign, unit, worker):
    first = households_of(unit)
    answer(campaign, first[0], "agree", worker)
    answer(campaign, first[1], "decline", worker)
    answer(campaign, first[2], "undecided", worker)

    progress = progress_of(campaign)

    one, two = progress["1"], progress["2"]
    assert (one.households, one.agree, one.decline, one.undecided) == (4, 1, 1, 1)
    assert (one.not_reached, one.to_visit) == (1, 2)
    assert (two.households, two.agree, two.not_reached, two.to_visit) == (4, 0, 4, 4)
    (building,) = tally.cofunding_progress(campaign)
    assert (building.households, building.agree, building.to_visit) == (8, 1, 6)


def test_cofunding_pledges_are_summed_as_decimals_of_agreeing_households_only(
    campaign, unit, worker
):
    first = households_of(unit)
    for household, amount in zip(first[:3], ["1200.50", "800.25", "0.10"], strict=True):
        consent.consent_record(
            project=campaign,
            household=household,
            answer="agree",
            contribution=Decimal(amount),
            recorded_by=worker,
        )
    consent.consent_record(
        project=campaign,
        household=first[3],
        answer="decline",
        contribution=Decimal("999"),
        recorded_by=worker,
    )

    one = progress_of(campaign)["1"]
    assert one.pledged == Decimal("2000.85")
    assert isinstance(one.pledged, Decimal)
    assert progress_of(campaign)["2"].pledged == Decimal(0)
    (building,) = tally.cofunding_progress(campaign)
    assert building.pledged == Decimal("2000.85")


@pytest.mark.parametrize(
    ("threshold", "agreeing", "goes_ahead"),
    [
        ("0.5", 2, True),
        ("0.5", 1, False),
        ("0.75", 3, True),
        ("0.75", 2, False),
        ("1", 4, True),
        ("1", 3, False),
    ],
)
def test_a_unit_goes_ahead_exactly_at_its_threshold(
    campaign, unit, worker, threshold, agreeing, goes_ahead
):
    Project.objects.filter(pk=campaign.pk).update(threshold=Decimal(threshold))
    campaign.refresh_from_db()
    first = households_of(unit)
    for household in first[:agreeing]:
        answer(campaign, household, "agree", worker)
    for household in first[agreeing:]:
        answer(campaign, household, "decline", worker)

    progress = progress_of(campaign)

    assert progress["1"].goes_ahead is goes_ahead
    assert progress["2"].goes_ahead is False
    (building,) = tally.cofunding_progress(campaign)
    assert building.units_going_ahead == (1 if goes_ahead else 0)


# A constant number of queries, whatever the size


def many_households(unit, n):
    Household.objects.bulk_create(
        Household(unit=unit, door_number=str(1001 + i), area=Decimal(50 + i % 40)) for i in range(n)
    )
    return list(unit.households.order_by("pk"))


ANSWER_CYCLE = ["agree", "disagree", "abstain", None]


@pytest.mark.parametrize("n", [20, 200])
def test_decision_tally_runs_one_query_for_any_number_of_households(
    unit, worker, django_assert_num_queries, n
):
    people = many_households(unit, n)
    project = decision(unit)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(project=project, household=h, answer=ANSWER_CYCLE[i % 4])
        for i, h in enumerate(people)
        if ANSWER_CYCLE[i % 4]
    )

    with django_assert_num_queries(1):
        result = tally.decision_tally(project)

    assert result.electorate.owners == n
    assert result.participating.owners == n * 3 // 4


@pytest.mark.parametrize("n", [20, 200])
def test_cofunding_progress_runs_one_query_for_any_number_of_households(
    campaign, unit, worker, django_assert_num_queries, n
):
    people = many_households(UnitFactory(building=unit.building, number="3"), n)
    campaign.units.add(people[0].unit)
    ConsentRecord.objects.bulk_create(
        ConsentRecord(project=campaign, household=h, answer="agree", contribution=Decimal("10.01"))
        for h in people[::2]
    )

    with django_assert_num_queries(1):
        progress = tally.cofunding_progress(campaign)

    three = {u.unit: u for u in progress[0].units}["3"]
    assert (three.households, three.agree) == (n, n // 2)
    assert three.pledged == Decimal("10.01") * (n // 2)
