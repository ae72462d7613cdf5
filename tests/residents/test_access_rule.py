"""The access rule said once (residents.access.Access): its filters and questions, for each
role. The models' `visible_to` methods only name the paths to their place."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from residents.access import Access
from residents.models import Building, Community, Compound, Courtyard, Household
from tests.factories import AccessGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def numbers(q) -> set[str]:
    """The buildings a filter on buildings keeps."""
    return set(Building.objects.filter(q).values_list("number", flat=True))


@pytest.fixture
def mixed(register):
    """Staff of community B, and a committee member of courtyard a2."""
    user = UserFactory(username="mixed")
    AccessGrantFactory(user=user, staff=True, community=register.community_b)
    AccessGrantFactory(user=user, compound=register.compound_a, courtyard=register.courtyard_a2)
    return user


def place(access: Access) -> Q:
    return access.place_q(
        community="compound__community", compound="compound", courtyard="courtyard"
    )


def test_place_q_for_each_role(admin_user, staff_user, member_a, courtyard_member, outsider, mixed):
    # Buildings: 18 (courtyard a1), 17 (courtyard a2) in compound A; 5 in compound B.
    assert place(Access.of(admin_user)) == Q()
    assert numbers(place(Access.of(admin_user))) == {"18", "17", "5"}
    assert numbers(place(Access.of(staff_user))) == {"18", "17"}
    assert numbers(place(Access.of(member_a))) == {"18", "17"}
    assert numbers(place(Access.of(courtyard_member))) == {"18"}
    assert numbers(place(Access.of(mixed))) == {"17", "5"}
    assert numbers(place(Access.of(outsider))) == set()
    assert numbers(place(Access.of(AnonymousUser()))) == set()


def test_building_q_is_the_place_rule_of_buildings(
    admin_user, staff_user, member_a, courtyard_member, outsider, mixed
):
    for user in (admin_user, staff_user, member_a, courtyard_member, outsider, mixed):
        access = Access.of(user)
        assert numbers(access.building_q()) == numbers(place(access))
        households = Household.objects.filter(access.building_q("unit__building__"))
        assert set(households.values_list("unit__building__number", flat=True)) == numbers(
            place(access)
        )


def test_place_q_takes_several_courtyard_paths(register, courtyard_member, member_a):
    # A thing placed by either of two paths: here a building's own courtyard, or the
    # courtyard of its compound's first courtyard (a path that reaches courtyard a1 too).
    q = Access.of(courtyard_member).place_q(
        community="compound__community",
        compound="compound",
        courtyard=("courtyard", "compound__courtyards"),
    )
    assert set(Building.objects.filter(q).distinct().values_list("number", flat=True)) == {
        "18",
        "17",
    }
    # Paths of a role the user does not have are not joined at all.
    assert (
        "courtyard"
        not in str(
            Building.objects.filter(
                Access.of(member_a).place_q(
                    community="compound__community",
                    compound="compound",
                    courtyard=("courtyard", "compound__courtyards"),
                )
            ).query
        ).split("WHERE")[1]
    )


def test_community_q_anyone_with_a_role_in_the_community(
    register, admin_user, staff_user, member_a, courtyard_member, outsider, mixed
):
    def names(user):
        return set(Compound.objects.filter(Access.of(user).community_q("community")))

    a, b = register.compound_a, register.compound_b
    assert names(admin_user) == {a, b}
    assert names(staff_user) == {a}
    assert names(member_a) == {a}
    assert names(courtyard_member) == {a}
    assert names(mixed) == {a, b}
    assert names(outsider) == set()
    assert set(Community.objects.filter(Access.of(member_a).community_q("pk"))) == {
        register.community_a
    }


def test_staff_q_the_community_s_staff_only(
    register, admin_user, staff_user, member_a, courtyard_member, outsider, mixed
):
    def seen(user, **kwargs):
        return set(Compound.objects.filter(Access.of(user).staff_q("community", **kwargs)))

    a, b = register.compound_a, register.compound_b
    assert seen(admin_user) == {a, b}
    assert seen(staff_user) == {a}
    assert seen(member_a) == set()
    assert seen(courtyard_member) == set()
    assert seen(mixed) == {b}
    assert seen(outsider) == set()
    # `or_` widens it; an administrator's Q() is not narrowed by it.
    assert seen(member_a, or_=Q(pk=b.pk)) == {b}
    assert seen(staff_user, or_=Q(pk=b.pk)) == {a, b}
    assert seen(admin_user, or_=Q(pk__in=[])) == {a, b}


def test_personal_q_staff_only_where_the_rows_are_personal(
    register, admin_user, staff_user, member_a, courtyard_member, mixed
):
    def seen(user, **kwargs):
        q = Access.of(user).personal_q("compound__community", **kwargs)
        return set(Courtyard.objects.filter(q))

    a1, a2 = register.courtyard_a1, register.courtyard_a2
    assert seen(admin_user) == {a1, a2}
    assert seen(staff_user) == {a1, a2}
    assert seen(member_a) == set()
    assert seen(courtyard_member) == set()
    assert seen(mixed) == set()
    # Only courtyard a1 is "personal": the others pass for everyone.
    personal = Q(pk=a1.pk)
    assert seen(member_a, where=personal) == {a2}
    assert seen(staff_user, where=personal) == {a1, a2}
    assert seen(admin_user, where=personal) == {a1, a2}


def test_questions_for_each_role(
    register, admin_user, staff_user, member_a, courtyard_member, mixed
):
    a, b = register.community_a.pk, register.community_b.pk
    assert Access.of(admin_user).is_staff_of(a) and Access.of(admin_user).is_staff_of(b)
    assert Access.of(staff_user).is_staff_of(a) and not Access.of(staff_user).is_staff_of(b)
    assert not Access.of(member_a).is_staff_of(a)
    assert Access.of(mixed).is_staff_of(b) and not Access.of(mixed).is_staff_of(a)
    assert Access.of(staff_user).staffed_community_id() == a
    assert Access.of(mixed).staffed_community_id() == b
    assert Access.of(admin_user).staffed_community_id() is None
    assert Access.of(member_a).staffed_community_id() is None


def test_serves_the_place_of_a_campaign(
    register, admin_user, staff_user, member_a, courtyard_member, outsider, mixed
):
    compound_a, compound_b = register.compound_a, register.compound_b
    a1, a2 = register.courtyard_a1, register.courtyard_a2

    def serves(user, compound=None, courtyard=None):
        return Access.of(user).serves(compound=compound, courtyard=courtyard)

    assert serves(admin_user) and serves(admin_user, compound_b)
    # Staff: their community's compounds, and the whole community; a courtyard alone is
    # named with its compound (the form's rule, kept as it was).
    assert serves(staff_user) and serves(staff_user, compound_a)
    assert serves(staff_user, compound_a, a1)
    assert not serves(staff_user, compound_b)
    assert not serves(staff_user, courtyard=a1)
    # A compound's member: the compound, any of its courtyards; never the whole community.
    assert serves(member_a, compound_a) and serves(member_a, courtyard=a2)
    assert not serves(member_a) and not serves(member_a, compound_b)
    # A courtyard's member: that courtyard only.
    assert serves(courtyard_member, courtyard=a1) and serves(courtyard_member, compound_a, a1)
    assert not serves(courtyard_member, compound_a)
    assert not serves(courtyard_member, courtyard=a2)
    assert serves(mixed) and serves(mixed, compound_b) and serves(mixed, courtyard=a2)
    assert not serves(outsider) and not serves(outsider, compound_a)
