import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from residents.access import Access, Disclosure
from residents.models import AccessGrant, Building, Compound, Household, Membership, Resident, Unit
from tests.factories import (
    AccessGrantFactory,
    BuildingFactory,
    CompoundFactory,
    CourtyardFactory,
    HouseholdFactory,
    MembershipFactory,
    ResidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@contextmanager
def rejected_by_database():
    """The statement must fail, without breaking the test's transaction (PostgreSQL)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# Factories


def test_factories_build_records_that_pass_validation():
    membership = MembershipFactory()
    membership.resident.full_clean()
    membership.household.full_clean()
    AccessGrantFactory().full_clean()
    AccessGrantFactory(staff=True).full_clean()


def test_generated_residents_have_distinct_valid_id_numbers():
    residents = ResidentFactory.create_batch(30)
    assert len({r.id_number for r in residents}) == 30
    for resident in residents:
        resident.full_clean()


# Constraints


def test_duplicate_door_number_in_a_unit_is_rejected(register):
    with rejected_by_database():
        Household.objects.create(unit=register.unit_a1, door_number="301", area=Decimal("50"))


def test_same_door_number_in_another_unit_is_allowed(register):
    Household.objects.create(unit=register.unit_a2, door_number="301", area=Decimal("50"))
    assert Household.objects.filter(door_number="301").count() == 2


def test_negative_area_is_rejected_by_the_check_constraint(register):
    with rejected_by_database():
        Household.objects.create(unit=register.unit_a1, door_number="999", area=Decimal("-0.01"))
    assert not Household.objects.filter(door_number="999").exists()


def test_zero_area_is_allowed(register):
    Household.objects.create(unit=register.unit_a1, door_number="000", area=Decimal("0"))


def test_negative_area_fails_model_validation(register):
    household = Household(unit=register.unit_a1, door_number="999", area=Decimal("-1"))
    with pytest.raises(ValidationError) as excinfo:
        household.full_clean()
    assert "area" in excinfo.value.message_dict


def test_duplicate_id_number_is_rejected(register):
    with rejected_by_database():
        Resident.objects.create(name="重复", id_number=register.resident_a1.id_number)


def test_two_residents_without_id_number_are_allowed():
    Resident.objects.create(name="甲", id_number="")
    Resident.objects.create(name="乙", id_number="")
    assert Resident.objects.filter(id_number="").count() == 2


def test_duplicate_building_number_in_a_compound_is_rejected(register):
    with rejected_by_database():
        Building.objects.create(compound=register.compound_a, number="18")
    Building.objects.create(compound=register.compound_b, number="18")


def test_duplicate_unit_number_in_a_building_is_rejected(register):
    with rejected_by_database():
        Unit.objects.create(building=register.building_a1, number="2")


def test_duplicate_compound_name_in_a_community_is_rejected(register):
    with rejected_by_database():
        Compound.objects.create(community=register.community_a, name="庆丰小区")
    Compound.objects.create(community=register.community_b, name="庆丰小区")


def test_resident_belongs_to_a_household_only_once(register):
    with rejected_by_database():
        Membership.objects.create(
            resident=register.resident_a1,
            household=register.household_a1,
            relation=Membership.Relation.FAMILY,
        )


def grant(**kwargs):
    return AccessGrant.objects.create(user=UserFactory(), reason="测试", **kwargs)


def test_staff_grant_covers_a_whole_community_not_a_compound(register):
    with rejected_by_database():
        grant(role="staff", community=register.community_a, compound=register.compound_a)
    with rejected_by_database():
        grant(role="staff", community=register.community_a, courtyard=register.courtyard_a1)
    grant(role="staff", community=register.community_a)


def test_member_grant_needs_a_compound(register):
    with rejected_by_database():
        grant(role="member", community=register.community_a)
    with rejected_by_database():
        grant(role="member", community=register.community_a, courtyard=register.courtyard_a1)
    grant(role="member", community=register.community_a, compound=register.compound_a)
    grant(
        role="member",
        community=register.community_a,
        compound=register.compound_a,
        courtyard=register.courtyard_a1,
    )


def test_unknown_role_is_rejected(register):
    with rejected_by_database():
        grant(role="owner", community=register.community_a, compound=register.compound_a)


def test_grant_cannot_end_before_it_starts(register):
    today = timezone.localdate()
    with rejected_by_database():
        grant(
            role="staff",
            community=register.community_a,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )
    grant(role="staff", community=register.community_a, starts_on=today, ends_on=today)


def test_grant_check_constraints_explain_themselves_in_validation(register):
    bad = AccessGrant(
        user=UserFactory(),
        role="staff",
        community=register.community_a,
        compound=register.compound_a,
        reason="测试",
    )
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "Staff are granted a whole community" in str(excinfo.value)


def test_grant_compound_must_belong_to_the_community(register):
    bad = AccessGrant(
        user=UserFactory(),
        role="member",
        community=register.community_a,
        compound=register.compound_b,
        reason="测试",
    )
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "compound" in excinfo.value.message_dict


def test_grant_courtyard_must_belong_to_the_compound(register):
    other = CourtyardFactory(compound=register.compound_b)
    bad = AccessGrant(
        user=UserFactory(),
        role="member",
        community=register.community_a,
        compound=register.compound_a,
        courtyard=other,
        reason="测试",
    )
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "courtyard" in excinfo.value.message_dict


def test_building_courtyard_must_belong_to_its_compound(register):
    building = Building(compound=register.compound_b, courtyard=register.courtyard_a1, number="99")
    with pytest.raises(ValidationError) as excinfo:
        building.full_clean()
    assert "courtyard" in excinfo.value.message_dict


# __str__


def test_places_read_as_their_names(register):
    assert str(register.community_a) == "金仓社区"
    assert str(register.compound_a) == "庆丰小区"
    assert str(register.courtyard_a1) == "庆丰一号院"
    assert str(register.building_a1) == "Building 18"
    assert str(register.unit_a1) == "Unit 2"


def test_household_reads_as_its_full_address(register):
    assert str(register.household_a1) == "庆丰小区 building 18 unit 2, 301"


def test_resident_and_membership_read_as_name_and_relation(register):
    assert str(register.resident_a1) == "李华玉"
    assert str(register.membership_a2) == "武莉华 · Tenant"


def test_grant_reads_as_user_role_and_narrowest_place(
    staff_user, member_a, courtyard_member, register
):
    assert str(staff_user.access_grants.get()) == (
        "liaoshuying · Neighbourhood-committee staff · 金仓社区"
    )
    assert str(member_a.access_grants.get()) == "zhoumin · Committee member · 庆丰小区"
    assert str(courtyard_member.access_grants.get()) == (
        "wangxiaoyan · Committee member · 庆丰一号院"
    )


def test_resident_shows_masked_phone_and_id_number(register):
    resident = register.resident_a1
    assert resident.masked_phone == "138****5678"
    assert resident.masked_id_number == resident.id_number[:4] + "*" * 10 + resident.id_number[-4:]
    assert resident.needs_care
    assert not register.resident_a2.needs_care


# Active grants


def test_grant_from_today_without_end_is_active(db):
    today = timezone.localdate()
    current = AccessGrantFactory(starts_on=today)
    assert list(AccessGrant.objects.active()) == [current]


def test_grant_starting_tomorrow_is_not_active_yet(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    AccessGrantFactory(starts_on=tomorrow)
    assert not AccessGrant.objects.active().exists()


def test_grant_that_ended_yesterday_is_not_active(db):
    today = timezone.localdate()
    AccessGrantFactory(
        starts_on=today - datetime.timedelta(days=100), ends_on=today - datetime.timedelta(days=1)
    )
    assert not AccessGrant.objects.active().exists()


def test_grant_ending_today_is_still_active(db):
    today = timezone.localdate()
    grant = AccessGrantFactory(starts_on=today - datetime.timedelta(days=10), ends_on=today)
    assert list(AccessGrant.objects.active()) == [grant]


def test_active_on_a_given_day(db):
    day = datetime.date(2017, 6, 1)
    term = AccessGrantFactory(
        starts_on=datetime.date(2017, 1, 1), ends_on=datetime.date(2021, 12, 31)
    )
    assert list(AccessGrant.objects.active(on=day)) == [term]
    assert not AccessGrant.objects.active(on=datetime.date(2022, 1, 1)).exists()


# What each role sees


def visible(model, user):
    return set(model.objects.visible_to(user))


def test_admin_sees_the_whole_register(register, admin_user):
    r = register
    assert visible(Compound, admin_user) == {r.compound_a, r.compound_b}
    assert visible(Building, admin_user) == {r.building_a1, r.building_a2, r.building_b}
    assert visible(Unit, admin_user) == {r.unit_a1, r.unit_a2, r.unit_b}
    assert visible(Household, admin_user) == {r.household_a1, r.household_a2, r.household_b}
    assert visible(Resident, admin_user) == {r.resident_a1, r.resident_a2, r.resident_b}


def test_admin_sees_a_resident_without_household(admin_user):
    loner = ResidentFactory()
    assert visible(Resident, admin_user) == {loner}


def test_staff_sees_their_community(register, staff_user):
    r = register
    assert visible(Compound, staff_user) == {r.compound_a}
    assert visible(Building, staff_user) == {r.building_a1, r.building_a2}
    assert visible(Unit, staff_user) == {r.unit_a1, r.unit_a2}
    assert visible(Household, staff_user) == {r.household_a1, r.household_a2}
    assert visible(Resident, staff_user) == {r.resident_a1, r.resident_a2}


def test_staff_sees_every_compound_of_their_community(register, staff_user):
    neighbour = CompoundFactory(community=register.community_a, name="百腊井小区")
    household = HouseholdFactory(unit__building__compound=neighbour)
    assert neighbour in visible(Compound, staff_user)
    assert household in visible(Household, staff_user)


def test_member_of_compound_a_sees_compound_a_only(register, member_a):
    r = register
    assert visible(Compound, member_a) == {r.compound_a}
    assert visible(Building, member_a) == {r.building_a1, r.building_a2}
    assert visible(Unit, member_a) == {r.unit_a1, r.unit_a2}


def test_member_of_compound_a_never_sees_compound_b_households_or_residents(register, member_a):
    assert register.household_b not in visible(Household, member_a)
    assert register.resident_b not in visible(Resident, member_a)
    assert visible(Household, member_a) == {register.household_a1, register.household_a2}
    assert visible(Resident, member_a) == {register.resident_a1, register.resident_a2}


def test_member_does_not_see_another_compound_of_the_same_community(register, member_a):
    neighbour = CompoundFactory(community=register.community_a)
    household = HouseholdFactory(unit__building__compound=neighbour)
    assert neighbour not in visible(Compound, member_a)
    assert household not in visible(Household, member_a)


def test_courtyard_member_sees_only_their_courtyard(register, courtyard_member):
    r = register
    assert visible(Compound, courtyard_member) == {r.compound_a}
    assert visible(Building, courtyard_member) == {r.building_a1}
    assert visible(Unit, courtyard_member) == {r.unit_a1}
    assert visible(Household, courtyard_member) == {r.household_a1}
    assert visible(Resident, courtyard_member) == {r.resident_a1}


def test_courtyard_member_does_not_see_buildings_outside_any_courtyard(register, courtyard_member):
    loose = BuildingFactory(compound=register.compound_a, courtyard=None)
    assert loose not in visible(Building, courtyard_member)


@pytest.mark.parametrize("model", [Compound, Building, Unit, Household, Resident])
def test_outsider_sees_nothing(register, outsider, model):
    assert visible(model, outsider) == set()


@pytest.mark.parametrize("model", [Compound, Building, Unit, Household, Resident])
def test_anonymous_visitor_sees_nothing(register, model):
    assert visible(model, AnonymousUser()) == set()


def test_ended_grant_gives_no_access(register):
    today = timezone.localdate()
    former = AccessGrantFactory(
        compound=register.compound_a,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    ).user
    assert visible(Household, former) == set()
    assert visible(Resident, former) == set()


def test_future_grant_gives_no_access_yet(register):
    future = AccessGrantFactory(
        staff=True,
        community=register.community_a,
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    ).user
    assert visible(Compound, future) == set()


def test_inactive_superuser_sees_nothing(register):
    user = UserFactory(is_superuser=True, is_active=False)
    assert visible(Compound, user) == set()


def test_user_with_two_grants_sees_both_places(register):
    user = AccessGrantFactory(compound=register.compound_b).user
    AccessGrantFactory(user=user, compound=register.compound_a, courtyard=register.courtyard_a2)
    assert visible(Household, user) == {register.household_a2, register.household_b}


def test_resident_of_two_visible_households_is_listed_once(register, member_a):
    MembershipFactory(resident=register.resident_a1, household=register.household_a2)
    residents = list(Resident.objects.visible_to(member_a))
    assert residents.count(register.resident_a1) == 1


def test_resident_living_in_both_compounds_is_visible_to_a_member_of_either(register, member_a):
    MembershipFactory(resident=register.resident_b, household=register.household_a2)
    assert register.resident_b in visible(Resident, member_a)


# What each role may be shown of residents (the README's "Who sees what")


def shown(user, residents):
    """(masked, party, full): the residents whose masked numbers, whose party membership, and
    whose full numbers `user` may be shown."""
    disclosure = Access.of(user).disclosure(r.pk for r in residents)
    return (
        {r for r in residents if disclosure.details(r.pk)},
        {r for r in residents if disclosure.party(r.pk)},
        {r for r in residents if disclosure.full(r.pk)},
    )


def test_staff_are_shown_their_communitys_residents_in_full(register, staff_user):
    r = register
    everyone = [r.resident_a1, r.resident_a2, r.resident_b]
    assert shown(staff_user, everyone) == ({r.resident_a1, r.resident_a2},) * 3


def test_a_committee_member_is_shown_masked_numbers_of_their_part_only_and_no_party(
    register, courtyard_member, member_a
):
    r = register
    everyone = [r.resident_a1, r.resident_a2, r.resident_b]
    assert shown(courtyard_member, everyone) == ({r.resident_a1}, set(), set())
    assert shown(member_a, everyone) == ({r.resident_a1, r.resident_a2}, set(), set())


def test_a_resident_of_two_places_is_shown_as_either_place_allows(register, courtyard_member):
    MembershipFactory(resident=register.resident_b, household=register.household_a1)
    assert shown(courtyard_member, [register.resident_b]) == ({register.resident_b}, set(), set())


def test_the_admin_is_shown_everyone_without_a_query(
    register, admin_user, django_assert_num_queries
):
    access = Access.of(admin_user)
    with django_assert_num_queries(0):
        disclosure = access.disclosure([register.resident_b.pk])
    pk = register.resident_b.pk
    assert disclosure.details(pk) and disclosure.party(pk) and disclosure.full(pk)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_those_without_a_role_are_shown_nothing(register, outsider, who):
    user = outsider if who == "outsider" else AnonymousUser()
    assert shown(user, [register.resident_a1]) == (set(), set(), set())


def test_the_places_a_page_has_read_disclose_as_the_query_does(
    register, staff_user, member_a, django_assert_num_queries
):
    r = register
    everyone = [r.resident_a1, r.resident_a2, r.resident_b]
    places = [(r.resident_a1.pk, r.community_a.pk), (r.resident_a2.pk, r.community_a.pk)]
    for user in (staff_user, member_a):
        access = Access.of(user)
        expected = access.disclosure(p.pk for p in everyone)
        with django_assert_num_queries(0):
            known = Disclosure.of_places(access, places)
        for resident in everyone:
            pk = resident.pk
            assert (known.details(pk), known.party(pk), known.full(pk)) == (
                expected.details(pk),
                expected.party(pk),
                expected.full(pk),
            )


def test_party_membership_of_someone_off_the_register_is_for_the_staff_of_the_place(
    register, staff_user, member_a, courtyard_member
):
    community, compound = register.community_a.pk, register.compound_a.pk
    team = (community,)  # a volunteer team serves the whole community
    body_a1 = (community, compound, register.courtyard_a1.pk)
    assert Access.of(staff_user).disclosure([]).party(None, place=team)
    assert Access.of(staff_user).disclosure([]).party(None, place=body_a1)
    # A committee member's scope does not include personal information, even in their part.
    assert not Access.of(member_a).disclosure([]).party(None, place=team)
    assert not Access.of(member_a).disclosure([]).party(None, place=body_a1)
    assert not Access.of(courtyard_member).disclosure([]).party(None, place=body_a1)
    assert not Access.of(staff_user).disclosure([]).party(None, place=(register.community_b.pk,))


# Counts on the overview


def test_compound_counts_cover_the_whole_compound_for_staff(register, staff_user):
    compound = Compound.objects.visible_to(staff_user).with_counts(staff_user).get()
    assert (compound.n_buildings, compound.n_units, compound.n_households) == (2, 2, 2)
    assert compound.n_residents == 2
    assert compound.total_area == Decimal("143.70")


def test_compound_counts_cover_only_the_courtyard_for_a_courtyard_member(
    register, courtyard_member
):
    compound = Compound.objects.visible_to(courtyard_member).with_counts(courtyard_member).get()
    assert (compound.n_buildings, compound.n_units, compound.n_households) == (1, 1, 1)
    assert compound.n_residents == 1
    assert compound.total_area == Decimal("68.50")


def test_compound_counts_count_a_resident_of_two_households_once(register, admin_user):
    MembershipFactory(resident=register.resident_a1, household=register.household_a2)
    compounds = Compound.objects.with_counts(admin_user)
    assert compounds.get(pk=register.compound_a.pk).n_residents == 2


# Search


def search(text):
    # As staff search: phone digits match among all households.
    return set(Resident.objects.search(text, phone_households=Household.objects.all()))


def test_phone_digits_match_nobody_without_households_to_search_them_in(register):
    assert set(Resident.objects.search("5678")) == set()


def test_search_by_part_of_the_name(register):
    assert search("华玉") == {register.resident_a1}
    assert search("莉华") == {register.resident_a2}


def test_search_by_four_or_more_last_digits_of_the_phone(register):
    assert search("5678") == {register.resident_a1}
    assert search("12345678") == {register.resident_a1}
    assert search("13987654321") == {register.resident_a2}


def test_the_digits_before_the_last_four_must_match_too(register):
    # 13812345678 and 13987654321: the index finds the last four, the rest is compared.
    ResidentFactory(name="王明", phone="13900005678")
    assert search("45678") == {register.resident_a1}
    assert {r.name for r in search("5678")} == {"李华玉", "王明"}


def test_a_door_number_and_a_phone_tail_match_together(register):
    ResidentFactory(name="王明", phone="13900000502")
    assert {r.name for r in search("0502")} == {"王明"}  # "502" is a door, "0502" is not
    door = HouseholdFactory(unit=register.unit_b, door_number="0502")
    MembershipFactory(resident=register.resident_b, household=door)
    assert {r.name for r in search("0502")} == {"王明", "赵湘黔"}


def test_digits_do_not_match_names(register):
    ResidentFactory(name="张三2024", phone="")
    assert search("2024") == set()
    assert {r.name for r in search("张三")} == {"张三2024"}


def test_search_with_three_digits_does_not_match_phone(register):
    assert search("678") == set()
    assert search("111") == set()


def test_search_by_door_number(register):
    assert search("502") == {register.resident_a2}
    assert search("101") == {register.resident_b}


def test_search_matches_whole_door_number_only(register):
    assert search("50") == set()


def test_search_lists_a_resident_matching_twice_once(register):
    MembershipFactory(resident=register.resident_a1, household=register.household_a2)
    assert list(Resident.objects.search("502")).count(register.resident_a1) == 1


def test_empty_search_returns_everyone(register):
    assert search("") == {register.resident_a1, register.resident_a2, register.resident_b}
    assert search("   ") == search("")


def test_search_stays_within_what_the_user_may_see(register, member_a):
    assert set(Resident.objects.visible_to(member_a).search("赵湘黔")) == set()
    assert set(Resident.objects.visible_to(member_a).search("101")) == set()


# History


def test_history_records_who_changed_which_fields(register, staff_user):
    resident = register.resident_a1
    resident.phone = "13800001234"
    resident.care_notes = "已搬去女儿家同住。"
    resident._history_user = staff_user
    resident.save()

    changes = resident.history_changes()
    assert len(changes) == 2
    latest, creation = changes
    assert latest["record"].history_user == staff_user
    assert latest["record"].history_type == "~"
    assert sorted(latest["fields"]) == ["care notes", "mobile phone"]
    assert creation["record"].history_type == "+"
    assert creation["fields"] == []


def test_history_is_newest_first_and_limited(register, staff_user):
    resident = register.resident_a2
    for year in range(1970, 1975):
        resident.birth_year = year
        resident._history_user = staff_user
        resident.save()
    changes = resident.history_changes(limit=3)
    assert len(changes) == 3
    assert [c["record"].birth_year for c in changes] == [1974, 1973, 1972]
    assert all(c["fields"] == ["year of birth"] for c in changes)


def test_saving_without_changes_records_no_changed_fields(register):
    resident = register.resident_b
    resident.save()
    assert resident.history_changes()[0]["fields"] == []
