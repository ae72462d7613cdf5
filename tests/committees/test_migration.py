"""The data migration that turns the skeleton's hand-made access grants into seats.

The first test takes the database back to committees 0001 (before the grants became seats),
makes grants with the models of that time and migrates forward again. The others call the
migration's function on today's models, in a transaction that is rolled back.
"""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from committees.models import Body, Member
from tests.factories import (
    AccessGrantFactory,
    BodyFactory,
    CompoundFactory,
    MemberFactory,
    TermFactory,
    UserFactory,
)

BEFORE = [("committees", "0001_initial")]
AFTER = [("committees", "0002_grants_become_seats")]

date = datetime.date


@pytest.fixture
def migrator(transactional_db):
    """`migrator(targets)` migrates to `targets` and returns the models as they were there;
    the database is brought back to the latest migrations afterwards."""
    executor = MigrationExecutor(connection)

    def migrate(targets):
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_place(apps):
    Community = apps.get_model("residents", "Community")
    Compound = apps.get_model("residents", "Compound")
    Courtyard = apps.get_model("residents", "Courtyard")
    community = Community.objects.create(name="金仓社区")
    bailajing = Compound.objects.create(community=community, name="百腊井小区")
    qingfeng = Compound.objects.create(community=community, name="庆丰小区")
    courtyard = Courtyard.objects.create(compound=qingfeng, name="庆丰一号院")
    return community, bailajing, qingfeng, courtyard


def grant(apps, username, full_name, **fields):
    User = apps.get_model("auth", "User")
    AccessGrant = apps.get_model("residents", "AccessGrant")
    user = User.objects.create(username=username, first_name=full_name)
    return AccessGrant.objects.create(user=user, reason="手工授权", **fields)


def test_hand_made_grants_become_seats_on_bodies_of_their_place(migrator):
    apps = migrator(BEFORE)
    community, bailajing, qingfeng, courtyard = make_place(apps)
    staff = grant(
        apps, "liaoshuying", "廖书英", role="staff", community=community, starts_on=date(2021, 6, 1)
    )
    member = grant(
        apps,
        "zhaoxiangqian",
        "赵湘黔",
        role="member",
        community=community,
        compound=bailajing,
        starts_on=date(2017, 7, 1),
    )
    courtyard_member = grant(
        apps,
        "lihuayu",
        "李华玉",
        role="member",
        community=community,
        compound=qingfeng,
        courtyard=courtyard,
        starts_on=date(2014, 4, 26),
        ends_on=date(2024, 5, 10),
    )

    apps = migrator(AFTER)
    Member = apps.get_model("committees", "Member")
    seats = {
        s.access_grant_id: s
        for s in Member.objects.select_related("term__body", "user", "access_grant")
    }
    assert set(seats) == {staff.pk, member.pk, courtyard_member.pk}

    seat = seats[staff.pk]
    body = seat.term.body
    assert (body.kind, body.community_id, body.compound_id, body.courtyard_id) == (
        "neighbourhood",
        community.pk,
        None,
        None,
    )
    assert body.name == "金仓社区居民委员会"
    assert (seat.user.username, seat.name, seat.starts_on, seat.ends_on) == (
        "liaoshuying",
        "廖书英",
        date(2021, 6, 1),
        None,
    )

    seat = seats[member.pk]
    body = seat.term.body
    assert (body.kind, body.compound_id, body.courtyard_id) == ("owners", bailajing.pk, None)
    assert body.name == "百腊井小区业主委员会"
    assert (seat.term.number, seat.term.starts_on, seat.term.formed_by) == (
        1,
        date(2017, 7, 1),
        "appointment",
    )

    seat = seats[courtyard_member.pk]
    body = seat.term.body
    assert (body.kind, body.compound_id, body.courtyard_id) == ("owners", qingfeng.pk, courtyard.pk)
    assert body.name == "庆丰一号院业主委员会"
    assert (seat.starts_on, seat.ends_on) == (date(2014, 4, 26), date(2024, 5, 10))

    # The grants themselves, and so everyone's access, are unchanged.
    assert (seat.access_grant.starts_on, seat.access_grant.ends_on) == (
        date(2014, 4, 26),
        date(2024, 5, 10),
    )


# The function itself, on today's models (quicker, and a failure leaves the database clean)


def run_migration():
    module = import_module("committees.migrations.0002_grants_become_seats")
    module.grants_to_seats(django_apps, None)


@pytest.fixture
def bailajing(db):
    return CompoundFactory(name="百腊井小区")


def member_grant(compound, username, starts_on, ends_on=None):
    return AccessGrantFactory(
        user=UserFactory(username=username),
        compound=compound,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def test_grants_of_one_place_share_its_body_and_term(bailajing):
    member_grant(bailajing, "zhaoxiangqian", date(2017, 7, 1))
    member_grant(bailajing, "sunguilan", date(2018, 3, 1))
    run_migration()
    body = Body.objects.get()
    assert (body.kind, body.compound) == (Body.Kind.OWNERS, bailajing)
    assert body.terms.count() == 1
    assert sorted(body.terms.get().members.values_list("user__username", "starts_on")) == [
        ("sunguilan", date(2018, 3, 1)),
        ("zhaoxiangqian", date(2017, 7, 1)),
    ]


def test_an_ended_grant_older_than_the_places_first_grant_becomes_a_seat(bailajing):
    # 周敏 sat on Bailajing's committee from 2013 to 2016, 赵湘黔 since 2017. Grants are
    # read by user: 赵湘黔's (2017) opens the term, and 周敏's seat must still fit.
    member_grant(bailajing, "azhaoxiangqian", date(2017, 7, 1))
    old = member_grant(bailajing, "zhoumin", date(2013, 6, 28), date(2016, 12, 31))
    run_migration()
    seat = Member.objects.get(access_grant=old)
    assert seat.ends_on == date(2016, 12, 31)
    assert seat.starts_on <= seat.ends_on


def test_migration_leaves_grants_that_already_have_a_seat_alone(bailajing):
    seated = member_grant(bailajing, "zhaoxiangqian", date(2017, 7, 1))
    term = TermFactory(body=BodyFactory(compound=bailajing), number=2)
    MemberFactory(term=term, user=seated.user, role=Member.Role.CHAIR, access_grant=seated)
    run_migration()
    assert list(Member.objects.values_list("role", "term__number")) == [("chair", 2)]
    assert Body.objects.count() == 1
