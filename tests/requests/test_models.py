import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from committees.models import AllianceMember, ResidentRequest, WhistleResponder
from committees.requests import services
from tests.requests.factories import (
    AllianceMemberFactory,
    RequestCategoryFactory,
    ResidentRequestFactory,
)

pytestmark = pytest.mark.django_db
Status = ResidentRequest.Status
hours = lambda n: datetime.timedelta(hours=n)  # noqa: E731


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentRequestFactory(**fields)


def test_database_refuses_a_resolved_request_without_a_reply(register):
    now = timezone.now()
    refused(compound=register.compound_a, status=Status.RESOLVED, accepted_at=now, resolved_at=now)


def test_database_refuses_a_closed_request_without_a_reason(register):
    refused(compound=register.compound_a, status=Status.CLOSED, closed_at=timezone.now())


def test_database_refuses_a_request_without_a_place(register):
    refused(compound=None, community=register.community_a, shared_place="")


def test_database_refuses_acceptance_before_receipt(register):
    now = timezone.now()
    refused(
        compound=register.compound_a,
        status=Status.ACCEPTED,
        received_at=now,
        accepted_at=now - hours(1),
    )


def test_a_responder_is_exactly_one_party(register):
    member = AllianceMemberFactory(community=register.community_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        WhistleResponder.objects.create(whistle_id=1, alliance_member=member, department="住建局")


def test_alliance_member_names_are_unique_in_a_community(register):
    AllianceMemberFactory(community=register.community_a, name="金仓小学")
    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceMember.objects.create(community=register.community_a, name="金仓小学", kind="unit")


@pytest.fixture
def timed(register):
    """Category: 4 hours to accept, 2 days to resolve."""
    return RequestCategoryFactory(name="安全隐患", response_hours=4, resolution_days=2)


def overdue_titles(now):
    return set(ResidentRequest.objects.overdue(now).values_list("title", flat=True))


def test_a_request_not_accepted_in_time_is_overdue_only_after_the_target(register, timed):
    received = timezone.now() - hours(10)
    ResidentRequestFactory(
        compound=register.compound_a, category=timed, title="未受理", received_at=received
    )
    assert overdue_titles(received + hours(4)) == set()  # exactly at the target: on time
    assert overdue_titles(received + hours(4) + datetime.timedelta(seconds=1)) == {"未受理"}


def test_an_accepted_request_is_overdue_only_once_its_resolution_target_passes(
    register, timed, staff_user
):
    received = timezone.now() - hours(100)
    req = ResidentRequestFactory(
        compound=register.compound_a, category=timed, title="已受理", received_at=received
    )
    services.request_accept(request=req, by=staff_user, at=received + hours(1))
    assert overdue_titles(received + hours(47)) == set()
    assert overdue_titles(received + hours(49)) == {"已受理"}


def test_resolved_and_closed_requests_are_never_overdue(register, timed, staff_user):
    received = timezone.now() - hours(100)
    a = ResidentRequestFactory(compound=register.compound_a, category=timed, received_at=received)
    b = ResidentRequestFactory(compound=register.compound_a, category=timed, received_at=received)
    a = services.request_accept(request=a, by=staff_user, at=received + hours(1))
    services.request_resolve(request=a, by=staff_user, reply="好了", at=received + hours(90))
    services.request_close(request=b, by=staff_user, reason="不属实", at=received + hours(1))
    assert overdue_titles(timezone.now()) == set()
    # but the late one missed its target, which the summary counts
    missed = ResidentRequest.objects.with_timing().filter(missed_target=True)
    assert list(missed.values_list("pk", flat=True)) == [a.pk]


def test_with_timing_measures_response_and_resolution_times(register, timed, staff_user):
    received = timezone.now() - hours(30)
    req = ResidentRequestFactory(compound=register.compound_a, category=timed, received_at=received)
    req = services.request_accept(request=req, by=staff_user, at=received + hours(2))
    services.request_resolve(request=req, by=staff_user, reply="好了", at=received + hours(26))
    row = ResidentRequest.objects.with_timing().get(pk=req.pk)
    assert row.response_time == hours(2)
    assert row.resolution_time == hours(26)
    assert row.response_due == received + hours(4)
    assert row.resolution_due == received + hours(48)


def test_visible_to_scopes_requests_by_grant(
    register, staff_user, member_a, courtyard_member, outsider
):
    a1 = ResidentRequestFactory(compound=register.compound_a, building=register.building_a1)
    a2 = ResidentRequestFactory(compound=register.compound_a, building=register.building_a2)
    b = ResidentRequestFactory(compound=register.compound_b)

    def seen(user):
        return set(ResidentRequest.objects.visible_to(user))

    assert seen(staff_user) == {a1, a2}
    assert seen(member_a) == {a1, a2}
    assert seen(courtyard_member) == {a1}
    assert seen(outsider) == set()
    assert b not in seen(staff_user)
