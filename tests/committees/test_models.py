"""The bodies' rules held by the models: in the database (IntegrityError) and, for forms and
services, as clear errors from full_clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.bodies import services
from committees.models import Body, Member, Term
from tests.factories import (
    BodyFactory,
    CompoundFactory,
    CourtyardFactory,
    MemberFactory,
    ResidentFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

date = datetime.date


def refused_by_database(obj):
    """Saving `obj` without validation breaks a database constraint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def messages_of(obj) -> list[str]:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.messages


# One committee of a kind per place


@pytest.fixture
def compound():
    return CompoundFactory(name="百腊井小区")


def test_second_owners_committee_for_a_compound_is_refused_by_the_database(compound):
    BodyFactory(compound=compound)
    refused_by_database(BodyFactory.build(compound=compound, name="第二业委会"))


def test_second_owners_committee_for_a_compound_is_a_clear_error(compound):
    BodyFactory(compound=compound)
    second = BodyFactory.build(compound=compound, name="第二业委会")
    assert messages_of(second) == [
        "This compound already has a committee of this kind. Dissolve it first."
    ]


def test_second_owners_committee_for_a_courtyard_is_refused_by_the_database(compound):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(compound=compound, courtyard=courtyard)
    refused_by_database(BodyFactory.build(compound=compound, courtyard=courtyard, name="第二"))


def test_second_owners_committee_for_a_courtyard_is_a_clear_error(compound):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(compound=compound, courtyard=courtyard)
    second = BodyFactory.build(compound=compound, courtyard=courtyard, name="第二业委会")
    assert messages_of(second) == [
        "This courtyard already has a committee of this kind. Dissolve it first."
    ]


def test_second_self_management_committee_for_a_courtyard_is_refused(compound):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(self_management=True, compound=compound, courtyard=courtyard)
    second = BodyFactory.build(
        self_management=True, compound=compound, courtyard=courtyard, name="第二自管会"
    )
    assert "This courtyard already has a committee of this kind." in messages_of(second)[0]
    refused_by_database(second)


def test_owners_committees_of_two_courtyards_of_one_compound_may_coexist(compound):
    BodyFactory(compound=compound, courtyard=CourtyardFactory(compound=compound))
    other = BodyFactory.build(compound=compound, courtyard=CourtyardFactory(compound=compound))
    other.full_clean()
    other.save()


def test_self_management_committee_for_a_courtyard_with_an_owners_committee_is_a_clear_error(
    compound,
):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(compound=compound, courtyard=courtyard)
    body = BodyFactory.build(self_management=True, compound=compound, courtyard=courtyard)
    assert messages_of(body) == [
        "A self-management committee serves a courtyard without an owners' committee; "
        "this place already has one."
    ]


def test_self_management_committee_under_a_compound_wide_owners_committee_is_a_clear_error(
    compound,
):
    BodyFactory(compound=compound)
    courtyard = CourtyardFactory(compound=compound)
    body = BodyFactory.build(self_management=True, compound=compound, courtyard=courtyard)
    assert "without an owners' committee" in messages_of(body)[0]


def test_self_management_committee_beside_another_courtyards_owners_committee_is_fine(compound):
    BodyFactory(compound=compound, courtyard=CourtyardFactory(compound=compound))
    body = BodyFactory.build(
        self_management=True, compound=compound, courtyard=CourtyardFactory(compound=compound)
    )
    body.full_clean()


def test_dissolved_committee_does_not_block_a_new_one(compound):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(compound=compound, dissolved_on=date(2016, 12, 31))
    BodyFactory(compound=compound, courtyard=courtyard, dissolved_on=date(2016, 12, 31))
    for body in (
        BodyFactory.build(compound=compound, name="新业委会"),
        BodyFactory.build(compound=compound, courtyard=courtyard, name="新院业委会"),
    ):
        body.full_clean()
        body.save()
    assert Body.objects.active().filter(compound=compound).count() == 2


def test_dissolved_owners_committee_does_not_block_a_self_management_committee(compound):
    courtyard = CourtyardFactory(compound=compound)
    BodyFactory(compound=compound, courtyard=courtyard, dissolved_on=date(2016, 12, 31))
    BodyFactory.build(self_management=True, compound=compound, courtyard=courtyard).full_clean()


def test_second_neighbourhood_committee_of_a_community_is_refused(compound):
    BodyFactory(neighbourhood=True, community=compound.community)
    second = BodyFactory.build(neighbourhood=True, community=compound.community, name="第二居委会")
    assert messages_of(second) == ["This community already has a neighbourhood committee."]
    refused_by_database(second)


def test_neighbourhood_committee_with_a_compound_is_refused(compound):
    body = BodyFactory.build(kind=Body.Kind.NEIGHBOURHOOD, compound=compound)
    assert messages_of(body) == [
        "A neighbourhood committee serves the whole community; owners' and "
        "self-management committees serve a compound or one of its courtyards."
    ]
    refused_by_database(body)


def test_owners_committee_without_a_compound_is_refused(compound):
    body = BodyFactory.build(
        kind=Body.Kind.OWNERS, compound=None, community=compound.community, name="无小区业委会"
    )
    assert "serve a compound or one of its courtyards" in messages_of(body)[0]
    refused_by_database(body)


def test_self_management_committee_without_a_compound_is_refused(compound):
    body = BodyFactory.build(
        kind=Body.Kind.SELF_MANAGEMENT, compound=None, community=compound.community, name="自管会"
    )
    refused_by_database(body)


def test_compound_of_another_community_is_a_clear_error(compound):
    other = CompoundFactory()
    body = BodyFactory.build(compound=compound, community=other.community)
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert error.value.message_dict["compound"] == ["The compound must belong to the community."]


def test_courtyard_of_another_compound_is_a_clear_error(compound):
    body = BodyFactory.build(compound=compound, courtyard=CourtyardFactory())
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert error.value.message_dict["courtyard"] == ["The courtyard must belong to the compound."]


def test_body_dissolved_before_it_was_founded_is_refused(compound):
    body = BodyFactory.build(
        compound=compound, founded_on=date(2014, 1, 1), dissolved_on=date(2013, 1, 1)
    )
    assert messages_of(body) == ["A body cannot be dissolved before it was founded."]
    refused_by_database(body)


def test_place_of_a_body_is_its_courtyard_else_compound_else_community(compound):
    courtyard = CourtyardFactory(compound=compound)
    assert BodyFactory(compound=compound, courtyard=courtyard).place == courtyard
    assert BodyFactory(self_management=True, compound=compound).place == compound
    neighbourhood = BodyFactory(neighbourhood=True, community=compound.community)
    assert neighbourhood.place == compound.community


# Terms


@pytest.fixture
def body(compound):
    return BodyFactory(compound=compound)


@pytest.fixture
def first_term(body):
    """Bailajing's 1st term, 2013-2017."""
    return TermFactory(body=body, number=1, starts_on=date(2013, 6, 28), ends_on=date(2017, 6, 30))


def test_term_number_is_unique_per_body(body, first_term):
    twin = TermFactory.build(body=body, number=1, starts_on=date(2017, 7, 1))
    assert messages_of(twin) == ["This body already has a term with this number."]
    refused_by_database(twin)


def test_same_term_number_in_another_body_is_fine(first_term):
    other = TermFactory.build(body=BodyFactory(), number=1, starts_on=first_term.starts_on)
    other.full_clean()
    other.save()


def test_term_ending_before_it_starts_is_refused(body):
    term = TermFactory.build(body=body, starts_on=date(2017, 7, 1), ends_on=date(2017, 6, 30))
    assert "A term cannot end before it starts." in messages_of(term)
    refused_by_database(term)


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [
        (date(2015, 1, 1), date(2015, 12, 31)),  # inside
        (date(2012, 1, 1), date(2013, 6, 28)),  # ends on its first day
        (date(2017, 6, 30), None),  # starts on its last day, open-ended
        (date(2010, 1, 1), None),  # open-ended from before
        (date(2010, 1, 1), date(2020, 1, 1)),  # around it
    ],
    ids=["inside", "ends-on-first-day", "starts-on-last-day", "open-before", "around"],
)
def test_term_overlapping_another_term_of_the_body_is_refused(body, first_term, starts_on, ends_on):
    term = TermFactory.build(body=body, number=2, starts_on=starts_on, ends_on=ends_on)
    assert messages_of(term) == [
        "The dates overlap another term of this body; end that term first."
    ]


def test_term_overlapping_a_running_term_is_refused(body):
    TermFactory(body=body, number=1, starts_on=date(2017, 7, 1))
    term = TermFactory.build(body=body, number=2, starts_on=date(2020, 1, 1))
    assert "overlap another term" in messages_of(term)[0]


def test_adjacent_terms_are_fine(body, first_term):
    term = TermFactory.build(body=body, number=2, starts_on=date(2017, 7, 1))
    term.full_clean()
    before = TermFactory.build(
        body=body, number=3, starts_on=date(2010, 1, 1), ends_on=date(2013, 6, 27)
    )
    before.full_clean()


def test_term_of_another_body_may_overlap(first_term):
    TermFactory.build(body=BodyFactory(), number=1, starts_on=date(2015, 1, 1)).full_clean()


def test_editing_a_term_does_not_overlap_itself(first_term):
    first_term.notes = "第一届"
    first_term.full_clean()


def test_term_start_ends_the_running_term_the_day_before(body):
    running = TermFactory(body=body, number=1, starts_on=date(2013, 6, 28))
    second = services.term_start(body=body, number=2, starts_on=date(2017, 7, 1))
    running.refresh_from_db()
    assert running.ends_on == date(2017, 6, 30)
    assert second.ends_on is None
    assert list(Term.objects.current(date(2017, 6, 30))) == [running]
    assert list(Term.objects.current(date(2017, 7, 1))) == [second]


def test_term_start_refuses_a_term_overlapping_an_ended_term(body, first_term):
    with pytest.raises(ValidationError, match="overlap another term"):
        services.term_start(body=body, number=2, starts_on=date(2016, 1, 1))
    assert body.terms.count() == 1


def test_term_start_refuses_a_duplicate_number_and_leaves_the_running_term_running(body):
    running = TermFactory(body=body, number=1, starts_on=date(2013, 6, 28))
    with pytest.raises(ValidationError, match="already has a term with this number"):
        services.term_start(body=body, number=1, starts_on=date(2017, 7, 1))
    running.refresh_from_db()
    assert running.ends_on is None
    assert body.terms.count() == 1


def test_term_start_after_a_term_with_an_end_date_leaves_it_alone(body, first_term):
    second = services.term_start(body=body, number=2, starts_on=date(2017, 7, 1))
    first_term.refresh_from_db()
    assert first_term.ends_on == date(2017, 6, 30)
    assert list(body.terms.order_by("number")) == [first_term, second]


# Seats


@pytest.fixture
def term(body):
    return TermFactory(body=body, number=2, starts_on=date(2017, 7, 1))


def test_one_chair_per_term(term):
    MemberFactory(term=term, role=Member.Role.CHAIR)
    second = MemberFactory.build(term=term, role=Member.Role.CHAIR, resident=ResidentFactory())
    assert messages_of(second) == ["This term already has a chair; end that seat first."]
    refused_by_database(second)


def test_new_chair_once_the_old_chair_seat_has_ended(term):
    MemberFactory(term=term, role=Member.Role.CHAIR, ends_on=date(2019, 1, 1))
    MemberFactory.build(
        term=term, role=Member.Role.CHAIR, resident=ResidentFactory(), starts_on=date(2019, 1, 2)
    ).full_clean()


def test_one_chair_in_each_of_two_terms(term, body):
    MemberFactory(term=term, role=Member.Role.CHAIR)
    other = TermFactory(body=body, number=1, starts_on=date(2013, 6, 28), ends_on=date(2017, 6, 30))
    MemberFactory.build(term=other, role=Member.Role.CHAIR, resident=ResidentFactory()).full_clean()


def test_one_seat_per_resident_per_term(term):
    seat = MemberFactory(term=term)
    second = MemberFactory.build(term=term, resident=seat.resident, role=Member.Role.SECRETARY)
    assert messages_of(second) == ["This resident already holds a seat in this term."]
    refused_by_database(second)


def test_resident_may_take_a_new_seat_after_the_old_one_ended(term):
    seat = MemberFactory(term=term, ends_on=date(2018, 1, 1))
    MemberFactory.build(
        term=term, resident=seat.resident, role=Member.Role.CHAIR, starts_on=date(2018, 1, 2)
    ).full_clean()


def test_resident_may_sit_on_several_bodies(term):
    seat = MemberFactory(term=term)
    MemberFactory.build(term=TermFactory(), resident=seat.resident).full_clean()


def test_seat_needs_someone(term):
    seat = MemberFactory.build(term=term, resident=None, user=None, name="")
    assert messages_of(seat) == ["Choose a resident or a staff account."]
    refused_by_database(seat)


def test_seat_ending_before_it_starts_is_refused(term):
    seat = MemberFactory.build(
        term=term,
        resident=ResidentFactory(),
        starts_on=date(2018, 1, 1),
        ends_on=date(2017, 12, 31),
    )
    assert "A seat cannot end before it starts." in messages_of(seat)
    refused_by_database(seat)


def test_party_member_reads_the_residents_flag(term):
    seat = MemberFactory(term=term, resident=ResidentFactory(is_party_member=True))
    assert seat.party_member is True
    seat.resident.is_party_member = False
    assert seat.party_member is False


def test_party_member_ignores_the_seats_own_flag_for_a_resident(term):
    seat = MemberFactory(term=term, resident=ResidentFactory(is_party_member=False))
    seat.is_party_member = True
    assert seat.party_member is False


def test_party_member_of_a_staff_member_off_the_register_is_the_seats_flag(term):
    assert MemberFactory(term=term, resident=None, name="王德兴", is_party_member=True).party_member
    assert not MemberFactory(term=term, resident=None, name="罗建国").party_member


def test_display_name_is_the_residents_then_the_name_then_the_account(term):
    resident = ResidentFactory(name="赵湘黔")
    assert MemberFactory(term=term, resident=resident).display_name == "赵湘黔"
    assert MemberFactory(term=term, resident=None, name="王德兴").display_name == "王德兴"


# Counts


def test_term_counts_members_and_party_members_like_bailajing_2nd_term(term):
    for party in [True] * 4 + [False] * 3:
        MemberFactory(term=term, resident=ResidentFactory(is_party_member=party))
    MemberFactory(
        term=term, resident=ResidentFactory(is_party_member=True), ends_on=date(2018, 1, 1)
    )
    counted = Term.objects.with_counts().get(pk=term.pk)
    assert (counted.n_members, counted.n_party) == (7, 4)


def test_term_counts_staff_off_the_register_by_the_seats_flag(body):
    term = TermFactory(body=BodyFactory(neighbourhood=True), number=7)
    MemberFactory(term=term, resident=None, name="王德兴", is_party_member=True)
    MemberFactory(term=term, resident=None, name="罗建国", is_party_member=False)
    MemberFactory(term=term, resident=ResidentFactory(is_party_member=True))
    counted = Term.objects.with_counts().get(pk=term.pk)
    assert (counted.n_members, counted.n_party) == (3, 2)


def test_ended_term_counts_the_members_who_served_to_its_end(first_term):
    for party in (True, False, False):
        MemberFactory(
            term=first_term,
            resident=ResidentFactory(is_party_member=party),
            ends_on=first_term.ends_on,
        )
    MemberFactory(
        term=first_term, resident=ResidentFactory(is_party_member=True), ends_on=date(2015, 1, 1)
    )
    counted = Term.objects.with_counts().get(pk=first_term.pk)
    assert (counted.n_members, counted.n_party) == (3, 1)


def test_current_term_is_the_one_running_on_the_day(body, first_term):
    second = TermFactory(body=body, number=2, starts_on=date(2017, 7, 1))
    assert list(Term.objects.current(date(2015, 1, 1))) == [first_term]
    assert list(Term.objects.current()) == [second]
    assert list(Term.objects.current(date(2013, 6, 27))) == []
