"""Every page of requests runs a fixed number of queries, however many rows it shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Whistle
from committees.requests import services
from tests.requests.factories import AllianceMemberFactory, ResidentRequestFactory

pytestmark = pytest.mark.django_db


def grow(register, category, staff_user, n):
    """`n` more requests in compound A, each resolved after an alliance whistle with two
    responders who reported, and a photo-less timeline of six steps."""
    now = timezone.now()
    members = [AllianceMemberFactory(community=register.community_a) for _ in range(2)]
    for i in range(n):
        received = now - datetime.timedelta(days=1, hours=i)
        req = ResidentRequestFactory(
            compound=register.compound_a,
            building=register.building_a1,
            category=category,
            received_at=received,
        )
        req = services.request_accept(request=req, by=staff_user, at=received)
        whistle = services.whistle_blow(
            request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=members
        )
        for responder in whistle.responders.all():
            services.responder_report(responder=responder, action="到场", by=staff_user)
        services.request_resolve(request=req, by=staff_user, reply="已解决")


@pytest.fixture
def measure(django_assert_num_queries, register, category, staff_user):
    def measure(client, url, n, grow_by=(2, 6)):
        for more in grow_by:
            grow(register, category, staff_user, more)
            with django_assert_num_queries(n):
                response = client.get(url)
            assert response.status_code == 200
        return response

    return measure


def test_queue_queries(measure, staff_client, req):
    # session, user, grants, count, page, and the filter's lists of compounds and categories
    measure(staff_client, reverse("requests:list"), 7)


def test_request_page_queries(measure, staff_client, req, staff_user, alliance):
    services.request_accept(request=req, by=staff_user)
    services.whistle_blow(
        request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=alliance
    )
    # 9, + the request's household with its place (read apart: joined, thirteen tables
    # cost PostgreSQL's planner more than the page's SQL), + the raiser's households (may
    # the user be shown their phone: Disclosure). The phone is masked, shown in full only
    # when asked for (a POST): no showing is logged on a GET. The request's changes and
    # the whistle's form are asked for apart (below).
    assert req.household_id
    measure(staff_client, req.get_absolute_url(), 11)


def test_request_history_queries(measure, staff_client, req, staff_user):
    services.request_accept(request=req, by=staff_user)
    # session, user, grants, the request, its household, its changes with who made them
    # (the rows shown, and the one before the oldest, to compare with)
    url = reverse("requests:history", args=[req.pk])
    measure(staff_client, url, 7)


def test_whistle_page_queries(measure, staff_client, req, staff_user, register):
    """The whistle's page lists the community's alliance members and party members: one
    query each, however many there are."""
    services.request_accept(request=req, by=staff_user)
    url = reverse("requests:whistle", args=[req.pk])
    first = staff_client.get(url).content.decode().count('name="party_members"')
    for resident in (register.resident_a1, register.resident_a2):
        resident.is_party_member = True
        resident.save()
    # session, user, grants, the request, its household, the alliance's members, the
    # party members
    response = measure(staff_client, url, 7)
    assert response.content.decode().count('name="party_members"') > first


def test_summary_queries(measure, staff_client, req):
    measure(staff_client, reverse("requests:summary"), 7)


def test_public_page_queries(measure, client, req):
    measure(client, reverse("requests:resolved"), 4)


def test_alliance_page_queries(measure, staff_client, req):
    measure(staff_client, reverse("requests:alliance"), 7)
