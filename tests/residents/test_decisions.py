"""Owners' decisions and committee elections under Civil Code Art. 278 (no database).

Participation: two thirds or more (以上) of the owners AND of the area answer.
Special matters: three quarters or more of the participants agree; every other
matter: more than half (过半数, exactly half fails), by head AND by area.
"""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from residents.owners.owners_vote import (
    SPECIAL_MATTERS,
    Electorate,
    Heads,
    Matter,
    Owner,
    owners_from_register,
    tally,
    tally_election,
)

ORDINARY_MATTERS = [m for m in Matter if m not in SPECIAL_MATTERS]
SPECIAL = [Matter.RAISE_FUND, Matter.RENOVATE, Matter.CHANGE_USE]


def electorate(*areas):
    """Owners o1, o2, ... with one household each and the given areas."""
    return Electorate(
        owners=tuple(
            Owner(key=f"o{i}", household_ids=frozenset({i}), area=Decimal(area))
            for i, area in enumerate(areas, start=1)
        )
    )


def answers(agree=(), disagree=(), abstain=()):
    """Answers keyed by owner number: answers(agree=[1, 2], disagree=[3])."""
    result = {f"o{i}": "agree" for i in agree}
    result |= {f"o{i}": "disagree" for i in disagree}
    result |= {f"o{i}": "abstain" for i in abstain}
    return result


def household(pk, area, developer_unsold=False, not_handed_over=False):
    return SimpleNamespace(
        pk=pk,
        area=Decimal(area),
        developer_unsold=developer_unsold,
        not_handed_over=not_handed_over,
    )


def groups(result):
    """The households of each owner, as a set of frozensets."""
    return {owner.household_ids for owner in result.owners}


# --- Participation ---------------------------------------------------------


def test_exactly_two_thirds_participation_is_enough():
    result = tally(
        electorate=electorate("10", "10", "10"),
        answers=answers(agree=[1, 2]),
        matter=Matter.OTHER,
    )

    assert result.participating == Heads(2, Decimal("20"))
    assert result.participation_reached
    assert result.passed


@pytest.mark.parametrize(
    ("participants", "reached"),
    [(5, False), (6, True)],
    ids=["five_of_nine_fails", "six_of_nine_is_enough"],
)
def test_participation_one_head_short_of_two_thirds_fails_however_large_the_area(
    participants, reached
):
    # The participants hold 500 or 600 of 504 or 604 square metres: area is never the issue.
    areas = ["100"] * participants + ["1"] * (9 - participants)
    result = tally(
        electorate=electorate(*areas),
        answers=answers(agree=range(1, participants + 1)),
        matter=Matter.OTHER,
    )

    assert result.participation_share[1] > Fraction(9, 10)
    assert result.participation_reached is reached


@pytest.mark.parametrize(
    ("absent_area", "reached"),
    [("90.01", False), ("90", True)],
    ids=["just_under_two_thirds_of_area_fails", "exactly_two_thirds_of_area_is_enough"],
)
def test_participation_needs_two_thirds_of_area_however_many_heads(absent_area, reached):
    # Nine of ten owners (20 each) take part; the tenth holds the rest of the area.
    result = tally(
        electorate=electorate(*(["20"] * 9), absent_area),
        answers=answers(agree=range(1, 10)),
        matter=Matter.OTHER,
    )

    assert result.participation_share[0] == Fraction(9, 10)
    assert result.participation_reached is reached


def test_abstentions_count_as_participation():
    result = tally(
        electorate=electorate("10", "10", "10"),
        answers=answers(agree=[1], abstain=[2]),
        matter=Matter.OTHER,
    )

    assert result.abstain == Heads(1, Decimal("10"))
    assert result.participating == Heads(2, Decimal("20"))
    assert result.participation_reached
    # The abstention weighs against approval: one agree of two participants is only half.
    assert not result.approved


def test_owners_who_did_not_answer_do_not_participate():
    result = tally(
        electorate=electorate("10", "10", "10"),
        answers=answers(agree=[1]),
        matter=Matter.OTHER,
    )

    assert result.participating == Heads(1, Decimal("10"))
    assert result.electorate == Heads(3, Decimal("30"))
    assert not result.participation_reached
    assert not result.passed
    assert result.not_answered == 2


# --- Ordinary matters: more than half ---------------------------------------


@pytest.mark.parametrize("matter", ORDINARY_MATTERS)
def test_exactly_half_agreeing_fails_an_ordinary_matter(matter):
    result = tally(
        electorate=electorate("10", "10", "10", "10"),
        answers=answers(agree=[1, 2], disagree=[3, 4]),
        matter=matter,
    )

    assert result.participation_reached
    assert result.agree_share == (Fraction(1, 2), Fraction(1, 2))
    assert not result.approved
    assert not result.passed


@pytest.mark.parametrize("matter", ORDINARY_MATTERS)
def test_one_more_owner_and_more_area_than_half_passes_an_ordinary_matter(matter):
    result = tally(
        electorate=electorate("10", "10", "10", "10"),
        answers=answers(agree=[1, 2, 3], disagree=[4]),
        matter=matter,
    )

    assert result.approved
    assert result.passed


@pytest.mark.parametrize("matter", [Matter.USE_FUND, Matter.ELECT_COMMITTEE, Matter.OTHER])
@pytest.mark.parametrize(
    ("agree", "disagree"),
    [([1, 2, 3], [4]), ([1, 4], [2, 3])],
    ids=["three_of_four_heads_but_30_of_61_m2", "two_of_four_heads_but_41_of_61_m2"],
)
def test_ordinary_matter_needs_more_than_half_by_head_and_by_area(matter, agree, disagree):
    result = tally(
        electorate=electorate("10", "10", "10", "31"),
        answers=answers(agree=agree, disagree=disagree),
        matter=matter,
    )

    assert result.participation_reached
    assert not result.approved
    assert not result.passed


# --- Special matters: three quarters -----------------------------------------


@pytest.mark.parametrize("matter", SPECIAL)
def test_exactly_three_quarters_by_head_and_area_passes_a_special_matter(matter):
    result = tally(
        electorate=electorate("10", "10", "10", "10"),
        answers=answers(agree=[1, 2, 3], disagree=[4]),
        matter=matter,
    )

    assert result.agree_share == (Fraction(3, 4), Fraction(3, 4))
    assert result.passed


@pytest.mark.parametrize("matter", SPECIAL)
def test_just_under_three_quarters_of_area_fails_a_special_matter(matter):
    # Three of four heads, but 30 of 40.01 m² is just under three quarters.
    result = tally(
        electorate=electorate("10", "10", "10", "10.01"),
        answers=answers(agree=[1, 2, 3], disagree=[4]),
        matter=matter,
    )

    assert result.agree_share[0] == Fraction(3, 4)
    assert not result.approved


@pytest.mark.parametrize("matter", SPECIAL)
def test_just_under_three_quarters_of_heads_fails_a_special_matter(matter):
    # Five of eight heads (six would be three quarters), with 100 of 103 m².
    result = tally(
        electorate=electorate(*(["20"] * 5), "1", "1", "1"),
        answers=answers(agree=range(1, 6), disagree=[6, 7, 8]),
        matter=matter,
    )

    assert result.agree_share[1] > Fraction(3, 4)
    assert not result.approved


def test_special_matters_are_raising_the_fund_renovating_and_changing_use():
    assert set(SPECIAL_MATTERS) == {Matter.RAISE_FUND, Matter.RENOVATE, Matter.CHANGE_USE}


@pytest.mark.parametrize(
    ("matter", "passed"),
    [(Matter.USE_FUND, True), (Matter.RAISE_FUND, False)],
)
def test_using_the_fund_is_ordinary_and_raising_it_special(matter, passed):
    # Three of five owners and three fifths of the area: a majority, not three quarters.
    result = tally(
        electorate=electorate("10", "10", "10", "10", "10"),
        answers=answers(agree=[1, 2, 3], disagree=[4, 5]),
        matter=matter,
    )

    assert (matter in SPECIAL_MATTERS) is not passed
    assert result.passed is passed


# --- Exactness ---------------------------------------------------------------


def test_exactly_two_thirds_of_a_decimal_area_is_enough_where_floats_fall_short():
    # 0.3 + 2.4 + 0.3 = 3.0 of 4.5 m²; in floats 3 × 3.0 comes out at 8.999999999999998 < 9.
    result = tally(
        electorate=electorate("0.3", "2.4", "0.3", "1.5"),
        answers=answers(agree=[1, 2, 3]),
        matter=Matter.OTHER,
    )

    assert result.participation_share == (Fraction(3, 4), Fraction(2, 3))
    assert result.participation_reached


def test_exactly_half_of_a_decimal_area_fails_where_floats_would_pass():
    # 0.1 + 0.2 agree against 0.3: exactly half (floats make it 0.30000000000000004 > 0.3).
    result = tally(
        electorate=electorate("0.1", "0.2", "0.3"),
        answers=answers(agree=[1, 2], disagree=[3]),
        matter=Matter.USE_FUND,
    )

    assert result.agree == Heads(2, Decimal("0.3"))
    assert result.agree_share == (Fraction(2, 3), Fraction(1, 2))
    assert not result.approved


def test_exactly_three_quarters_of_a_decimal_area_passes_where_floats_fall_short():
    # 0.1 + 0.4 + 0.1 of 0.8 m² is exactly 3/4; in floats the share is 0.7499999999999999.
    result = tally(
        electorate=electorate("0.1", "0.4", "0.1", "0.2"),
        answers=answers(agree=[1, 2, 3], disagree=[4]),
        matter=Matter.RENOVATE,
    )

    assert result.agree_share == (Fraction(3, 4), Fraction(3, 4))
    assert result.passed


@pytest.mark.parametrize(
    ("participants", "reached"),
    [([1, 3], False), ([1, 2], True)],
    ids=["66.67_of_100.01_fails", "66.68_of_100.01_is_enough"],
)
def test_two_thirds_of_a_total_with_no_exact_decimal_compares_exactly(participants, reached):
    # Two thirds of 100.01 m² is 66.67333...: 66.67 is short, 66.68 is enough.
    result = tally(
        electorate=electorate("33.34", "33.34", "33.33"),
        answers=answers(agree=participants),
        matter=Matter.OTHER,
    )

    assert result.participation_share[0] == Fraction(2, 3)
    assert result.participation_reached is reached


# --- Result --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "participation_reached", "approved", "passed"),
    [
        (answers(agree=[1, 2, 3]), True, True, True),
        (answers(agree=[1], disagree=[2, 3]), True, False, False),
        (answers(agree=[1]), False, True, False),
    ],
    ids=["both", "participation_without_approval", "approval_without_participation"],
)
def test_result_passes_only_with_both_participation_and_approval(
    given, participation_reached, approved, passed
):
    result = tally(
        electorate=electorate("10", "10", "10", "10"),
        answers=given,
        matter=Matter.OTHER,
    )

    assert result.participation_reached is participation_reached
    assert result.approved is approved
    assert result.passed is passed


def test_result_shares_are_exact_fractions_by_head_and_by_area():
    result = tally(
        electorate=electorate("10", "20", "30"),
        answers=answers(agree=[1], disagree=[3]),
        matter=Matter.OTHER,
    )

    assert result.matter == Matter.OTHER
    assert result.participation_share == (Fraction(2, 3), Fraction(40, 60))
    assert result.agree_share == (Fraction(1, 2), Fraction(1, 4))
    assert result.disagree == Heads(1, Decimal("30"))


def test_result_shares_are_zero_when_nobody_answers():
    result = tally(electorate=electorate("10", "20"), answers={}, matter=Matter.OTHER)

    assert result.participation_share == (Fraction(0), Fraction(0))
    assert result.agree_share == (Fraction(0), Fraction(0))
    assert not result.passed


# --- Errors --------------------------------------------------------------------


def test_answer_from_outside_the_electorate_is_refused():
    with pytest.raises(ValueError, match="outside the electorate"):
        tally(
            electorate=electorate("10", "10"),
            answers={"o1": "agree", "stranger": "agree"},
            matter=Matter.OTHER,
        )


@pytest.mark.parametrize("answer", ["yes", "AGREE", "", None])
def test_unknown_answer_is_refused(answer):
    with pytest.raises(ValueError, match="unknown answer"):
        tally(
            electorate=electorate("10", "10"),
            answers={"o1": "agree", "o2": answer},
            matter=Matter.OTHER,
        )


# --- owners_from_register ------------------------------------------------------


def test_co_owners_of_one_household_count_as_one_owner():
    result = owners_from_register(
        [household(1, "60"), household(2, "40")],
        [(1, 100), (1, 101), (2, 102)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2})}


def test_one_person_owning_several_households_is_one_owner_with_their_total_area():
    result = owners_from_register(
        [household(1, "60.5"), household(2, "40.25"), household(3, "50")],
        [(1, 100), (2, 100), (3, 101)],
    )

    owner = result.owner_of_household()[1]
    assert owner.household_ids == frozenset({1, 2})
    assert owner.area == Decimal("100.75")
    assert result.owner_of_household()[2] is owner
    assert result.total_owners == 2


def test_two_people_owning_different_households_are_two_owners():
    result = owners_from_register(
        [household(1, "60"), household(2, "40")],
        [(1, 100), (2, 101)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2})}
    assert result.total_owners == 2


def test_sets_of_co_owners_sharing_a_person_are_different_owners():
    # H owns unit 1; W and M own unit 2; H and W own unit 3: three buyers, three owners
    # (the court's "same buyer"), not one owner joined through H and W.
    h, w, m = 100, 101, 102
    result = owners_from_register(
        [household(1, "10"), household(2, "20"), household(3, "30")],
        [(1, h), (2, w), (2, m), (3, h), (3, w)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2}), frozenset({3})}
    assert result.total_owners == 3
    assert result.total_area == Decimal("60")


def test_the_same_co_owners_of_two_households_are_one_owner_with_the_summed_area():
    result = owners_from_register(
        [household(1, "60.5"), household(2, "40.25"), household(3, "50")],
        [(1, 100), (1, 101), (2, 101), (2, 100), (3, 100)],
    )

    owner = result.owner_of_household()[1]
    assert owner.household_ids == frozenset({1, 2})
    assert owner.area == Decimal("100.75")
    # 100 alone on h3 is another buyer than 100 and 101 together.
    assert groups(result) == {frozenset({1, 2}), frozenset({3})}


def test_a_person_owning_one_household_alone_and_another_jointly_is_two_owners():
    result = owners_from_register(
        [household(1, "60"), household(2, "40")],
        [(1, 100), (2, 100), (2, 101)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2})}
    assert result.total_owners == 2


def test_developer_unsold_households_are_one_owner_together():
    result = owners_from_register(
        [
            household(1, "60"),
            household(2, "70", developer_unsold=True),
            household(3, "80", developer_unsold=True),
            household(4, "90", developer_unsold=True),
        ],
        [(1, 100)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2, 3, 4})}
    assert result.owner_of_household()[2].area == Decimal("240")


def test_units_sold_but_not_handed_over_count_with_the_developers_unsold_units():
    # h3 and h4 are sold (their buyers are on record) but not yet handed over: they count
    # with the developer's unsold h2, whoever bought them; 101 still owns h5 alone.
    result = owners_from_register(
        [
            household(1, "60"),
            household(2, "70", developer_unsold=True),
            household(3, "80", not_handed_over=True),
            household(4, "90", not_handed_over=True),
            household(5, "50"),
        ],
        [(1, 100), (3, 101), (4, 102), (5, 101)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2, 3, 4}), frozenset({5})}
    assert result.owner_of_household()[3].area == Decimal("240")


def test_units_not_handed_over_are_one_owner_even_without_unsold_units():
    result = owners_from_register(
        [household(1, "60", not_handed_over=True), household(2, "40", not_handed_over=True)],
        [],
    )

    assert groups(result) == {frozenset({1, 2})}


def test_household_with_no_owner_on_record_still_counts_as_one_owner():
    result = owners_from_register([household(1, "60"), household(2, "40")], [(1, 100)])

    assert groups(result) == {frozenset({1}), frozenset({2})}
    assert result.total_area == Decimal("100")


def test_households_without_owners_on_record_are_one_owner_each():
    result = owners_from_register([household(1, "60"), household(2, "40"), household(3, "50")], [])

    assert groups(result) == {frozenset({1}), frozenset({2}), frozenset({3})}


def test_links_to_households_outside_the_list_are_ignored():
    # 100 and 101 co-own h99, which is out of scope: it neither appears nor joins h1 and h2.
    result = owners_from_register(
        [household(1, "60"), household(2, "40")],
        [(1, 100), (99, 100), (99, 101), (2, 101), (98, 102)],
    )

    assert groups(result) == {frozenset({1}), frozenset({2})}
    assert 99 not in result.owner_of_household()


def test_register_totals_count_owners_once_and_all_their_area():
    result = owners_from_register(
        [
            household(1, "60.1"),
            household(2, "40.2"),
            household(3, "55.3"),
            household(4, "70", developer_unsold=True),
            household(5, "80", developer_unsold=True),
            household(6, "45"),
        ],
        [(1, 100), (2, 100), (3, 101), (3, 102)],
    )

    # {1, 2}, {3}, {4, 5} and the unclaimed {6}.
    assert result.total_owners == 4
    assert result.total_area == Decimal("350.6")


def test_owner_keys_are_deterministic_whatever_the_order_of_links_and_households():
    households = [household(pk, "50") for pk in (1, 2, 3, 4, 5)]
    links = [(1, 100), (2, 100), (3, 101), (4, 102), (5, 102), (3, 103)]

    first = owners_from_register(households, links)
    again = owners_from_register(households, links)
    reordered = owners_from_register(list(reversed(households)), list(reversed(links)))

    assert first == again == reordered
    assert len({o.key for o in first.owners}) == first.total_owners == 3


# --- tally_election ------------------------------------------------------------


def candidate(name):
    return SimpleNamespace(name=name)


def votes_of(result, who):
    return next(c for c in result.candidates if c.candidate is who)


def test_blank_ballots_count_towards_participation():
    zhang = candidate("张伟")
    result = tally_election(
        electorate=electorate("10", "10", "10"),
        ballots={"o1": [zhang], "o2": []},
        candidates=[zhang],
        seats=1,
    )

    assert result.participating == Heads(2, Decimal("20"))
    assert result.participation_reached
    # One vote of two participants is exactly half: not a majority.
    assert not votes_of(result, zhang).majority
    assert result.elected == []


@pytest.mark.parametrize(
    ("voters", "majority"),
    [
        ([1, 2, 3], False),  # 3 of 4 heads, 30 of 60 m²: exactly half the area
        ([1, 4], False),  # 2 of 4 heads, 40 of 60 m²: exactly half the heads
        ([1, 2, 4], True),  # 3 of 4 heads, 50 of 60 m²
    ],
)
def test_candidate_needs_more_than_half_of_participating_heads_and_area(voters, majority):
    zhang, li = candidate("张伟"), candidate("李娜")
    ballots = {f"o{i}": [zhang] if i in voters else [li] for i in (1, 2, 3, 4)}
    result = tally_election(
        electorate=electorate("10", "10", "10", "30"),
        ballots=ballots,
        candidates=[zhang, li],
        seats=1,
    )

    assert result.participation_reached
    assert votes_of(result, zhang).majority is majority
    assert (result.elected == [zhang]) is majority


def test_more_area_does_not_break_a_tie_of_ballots():
    # 李娜 and 王芳 are each named on 3 of 5 ballots; 王芳's voters hold 31 m², 李娜's 30: the
    # area decides nothing, the last seat goes to a run-off between them.
    zhang, li, wang = candidate("张伟"), candidate("李娜"), candidate("王芳")
    result = tally_election(
        electorate=electorate("10", "10", "10", "10", "11"),
        ballots={
            "o1": [zhang, li],
            "o2": [zhang, li],
            "o3": [zhang, wang],
            "o4": [li, wang],
            "o5": [wang, zhang],
        },
        candidates=[zhang, li, wang],
        seats=2,
    )

    assert votes_of(result, li).votes == Heads(3, Decimal("30"))
    assert votes_of(result, wang).votes == Heads(3, Decimal("31"))
    assert all(c.majority for c in result.candidates)
    assert result.elected == [zhang]
    assert result.tied == (li, wang)


def test_the_seats_go_to_those_named_on_most_ballots_whatever_their_area():
    # 李娜 is on 4 ballots holding 50 m², 王芳 on 3 holding 55 m², 张伟 on 3 holding 45 m²
    # (of 75): 李娜 takes the first seat; 王芳 and 张伟 tie for the second.
    zhang, li, wang = candidate("张伟"), candidate("李娜"), candidate("王芳")
    result = tally_election(
        electorate=electorate("10", "10", "10", "20", "25"),
        ballots={
            "o1": [zhang, li],
            "o2": [zhang, li],
            "o3": [li, wang],
            "o4": [li, wang],
            "o5": [zhang, wang],
        },
        candidates=[zhang, li, wang],
        seats=2,
    )

    assert votes_of(result, li).votes == Heads(4, Decimal("50"))
    assert votes_of(result, wang).votes == Heads(3, Decimal("55"))
    assert votes_of(result, zhang).votes == Heads(3, Decimal("45"))
    assert all(c.majority for c in result.candidates)
    assert result.elected == [li]
    assert result.tied == (zhang, wang)


def test_nobody_is_elected_without_two_thirds_participation_even_with_majorities():
    zhang = candidate("张伟")
    result = tally_election(
        electorate=electorate("10", "10", "10", "10"),
        ballots={"o1": [zhang], "o2": [zhang]},
        candidates=[zhang],
        seats=1,
    )

    assert not result.participation_reached
    assert votes_of(result, zhang).majority
    assert not votes_of(result, zhang).elected
    assert result.elected == []


def test_a_ballot_naming_the_same_candidate_twice_counts_once():
    zhang, li = candidate("张伟"), candidate("李娜")
    result = tally_election(
        electorate=electorate("10", "20", "30"),
        ballots={"o1": [zhang, zhang], "o2": [li], "o3": [li]},
        candidates=[zhang, li],
        seats=2,
    )

    assert votes_of(result, zhang).votes == Heads(1, Decimal("10"))


def test_candidates_named_by_equal_values_are_counted():
    # Candidates as resident ids, ballots as ids read back from a form: equal, not identical.
    candidates = [1001, 1002]
    result = tally_election(
        electorate=electorate("10", "10", "10"),
        ballots={"o1": [int("1001")], "o2": [int("1001")], "o3": [int("1002")]},
        candidates=candidates,
        seats=1,
    )

    assert result.elected == [1001]


def test_a_ballot_naming_someone_who_is_not_a_candidate_is_refused():
    zhang, outsider = candidate("张伟"), candidate("赵强")
    with pytest.raises(ValueError, match="not a candidate"):
        tally_election(
            electorate=electorate("10", "10", "10"),
            ballots={"o1": [zhang], "o2": [outsider]},
            candidates=[zhang],
            seats=1,
        )


def test_a_ballot_from_outside_the_electorate_is_refused():
    zhang = candidate("张伟")
    with pytest.raises(ValueError, match="outside the electorate"):
        tally_election(
            electorate=electorate("10", "10", "10"),
            ballots={"o1": [zhang], "stranger": [zhang]},
            candidates=[zhang],
            seats=1,
        )


def test_an_owner_of_several_units_casts_one_ballot_carrying_all_their_area():
    # Resident 100 owns h1 and h2 (100 m² together); 101 owns h3, 102 owns h4.
    register = owners_from_register(
        [household(1, "60"), household(2, "40"), household(3, "50"), household(4, "50")],
        [(1, 100), (2, 100), (3, 101), (4, 102)],
    )
    by_household = register.owner_of_household()
    assert by_household[1] is by_household[2]
    zhang, li = candidate("张伟"), candidate("李娜")

    result = tally_election(
        electorate=register,
        ballots={by_household[1].key: [zhang], by_household[3].key: [li]},
        candidates=[zhang, li],
        seats=1,
    )

    assert result.electorate == Heads(3, Decimal("200"))
    assert result.participating == Heads(2, Decimal("150"))
    assert result.participation_reached
    assert votes_of(result, zhang).votes == Heads(1, Decimal("100"))
    # 张伟 has two thirds of the area but only one of two heads: no majority.
    assert not votes_of(result, zhang).majority
    assert result.elected == []


def test_candidates_tied_for_the_last_seat_both_stay_out():
    voters = electorate(*[10] * 5)
    a, b, c = "甲", "乙", "丙"
    keys = [o.key for o in voters.owners]
    choices = [[a, b], [a, b], [a, c], [a, c], [b, c]]  # a 4, b 3, c 3 of 5: all majorities
    ballots = dict(zip(keys, choices, strict=True))
    result = tally_election(electorate=voters, ballots=ballots, candidates=[a, b, c], seats=2)
    assert result.elected == [a]
    assert set(result.tied) == {b, c}


def test_a_ballot_naming_more_candidates_than_seats_is_refused():
    voters = electorate(10, 10, 10)
    key = voters.owners[0].key
    with pytest.raises(ValueError, match="seats"):
        tally_election(
            electorate=voters, ballots={key: ["甲", "乙"]}, candidates=["甲", "乙"], seats=1
        )
