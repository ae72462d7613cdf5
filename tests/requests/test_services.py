import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committees.models import RequestStep, ResidentRequest, Whistle, WhistleResponder
from committees.requests import services
from tests.factories import ResidentFactory, stored
from tests.requests.factories import AllianceMemberFactory

pytestmark = pytest.mark.django_db
Status = ResidentRequest.Status


def unchanged(req):
    """The request and its timeline as stored."""
    row = stored(req)
    return (
        row.status,
        row.version,
        row.reply,
        RequestStep.objects.filter(request=req).count(),
    )


def test_receiving_records_the_place_from_the_household_and_a_first_step(req, register):
    assert (req.compound, req.building, req.household) == (
        register.compound_a,
        register.building_a1,
        register.household_a1,
    )
    (step,) = req.steps.all()
    assert (step.from_status, step.to_status, step.at) == ("", Status.RECEIVED, req.received_at)


def test_the_whole_workflow_records_every_step_with_who_and_when(req, staff_user):
    req = services.request_accept(request=req, by=staff_user, note="今天派人看")
    req = services.request_start(request=req, by=staff_user)
    req = services.request_resolve(request=req, by=staff_user, reply="已更换声控灯。")
    req = services.request_confirm(request=req, by=staff_user)
    assert req.status == Status.CONFIRMED
    assert req.accepted_at and req.resolved_at and req.confirmed_at
    steps = list(req.steps.values_list("from_status", "to_status", "by"))
    assert steps == [
        ("", "received", staff_user.pk),
        ("received", "accepted", staff_user.pk),
        ("accepted", "in_progress", staff_user.pk),
        ("in_progress", "resolved", staff_user.pk),
        ("resolved", "confirmed", staff_user.pk),
    ]
    assert req.version == 5


def test_resolving_without_a_reply_is_refused_and_writes_nothing(req, staff_user):
    req = services.request_accept(request=req, by=staff_user)
    before = unchanged(req)
    with pytest.raises(ValidationError) as error:
        services.request_resolve(request=req, by=staff_user, reply="   ")
    assert "reply" in error.value.message_dict
    assert unchanged(req) == before


def test_closing_without_a_reason_is_refused_and_writes_nothing(req, staff_user):
    before = unchanged(req)
    with pytest.raises(ValidationError) as error:
        services.request_close(request=req, by=staff_user, reason="")
    assert "reason" in error.value.message_dict
    assert unchanged(req) == before


def test_closing_keeps_the_reason(req, staff_user):
    req = services.request_close(request=req, by=staff_user, reason="属于私人纠纷")
    assert (req.status, req.close_reason) == (Status.CLOSED, "属于私人纠纷")
    assert req.closed_at is not None


@pytest.mark.parametrize(
    "step",
    [
        lambda r, u: services.request_start(request=r, by=u),
        lambda r, u: services.request_resolve(request=r, by=u, reply="好了"),
        lambda r, u: services.request_confirm(request=r, by=u),
    ],
    ids=["start", "resolve", "confirm"],
)
def test_a_step_out_of_order_is_refused_and_writes_nothing(req, staff_user, step):
    before = unchanged(req)
    with pytest.raises(ValidationError, match="cannot become"):
        step(req, staff_user)
    assert unchanged(req) == before


def test_a_closed_or_confirmed_request_takes_no_more_steps(req, staff_user):
    req = services.request_close(request=req, by=staff_user, reason="重复反映")
    with pytest.raises(ValidationError):
        services.request_accept(request=req, by=staff_user)
    with pytest.raises(ValidationError):
        services.request_close(request=req, by=staff_user, reason="再次")


def test_a_step_on_a_stale_version_is_refused(req, staff_user):
    services.request_accept(request=req, by=staff_user, version=req.version)
    with pytest.raises(ValidationError, match="changed this request at"):
        services.request_close(request=req, by=staff_user, reason="x", version=req.version)


def test_a_step_before_the_request_was_received_is_refused(req, staff_user):
    with pytest.raises(ValidationError):
        services.request_accept(
            request=req, by=staff_user, at=req.received_at - datetime.timedelta(minutes=1)
        )
    assert unchanged(req)[0] == Status.RECEIVED


def test_receiving_needs_a_place(register, category, staff_user):
    with pytest.raises(ValidationError):
        services.request_receive(
            community=register.community_a,
            category=category,
            title="无处",
            received_through="phone",
            recorded_by=staff_user,
        )
    assert not ResidentRequest.objects.exists()


def test_whistle_to_the_alliance_calls_its_members_and_they_report(req, staff_user, alliance):
    req = services.request_accept(request=req, by=staff_user)
    whistle = services.whistle_blow(
        request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=alliance
    )
    assert whistle.responders.count() == 3
    responder = whistle.responders.first()
    services.responder_report(responder=responder, action="派电工更换灯具", by=staff_user)
    responder.refresh_from_db()
    assert responder.reported_at and responder.action == "派电工更换灯具"
    notes = list(req.steps.values_list("note", flat=True))
    assert any("Whistle blown" in n for n in notes)
    assert any("派电工更换灯具" in n for n in notes)
    with pytest.raises(ValidationError, match="already reported"):
        services.responder_report(responder=responder, action="again", by=staff_user)


def test_whistle_before_acceptance_or_twice_at_a_level_is_refused(req, staff_user, alliance):
    with pytest.raises(ValidationError, match="accepted"):
        services.whistle_blow(
            request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=alliance
        )
    req = services.request_accept(request=req, by=staff_user)
    services.whistle_blow(
        request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=alliance
    )
    with pytest.raises(ValidationError):
        services.whistle_blow(
            request=req, level=Whistle.Level.ALLIANCE, by=staff_user, alliance_members=alliance
        )
    assert Whistle.objects.count() == 1


def test_party_branch_whistle_calls_party_members_only(req, staff_user, register):
    req = services.request_accept(request=req, by=staff_user)
    with pytest.raises(ValidationError, match="party members"):
        services.whistle_blow(
            request=req,
            level=Whistle.Level.PARTY_BRANCH,
            by=staff_user,
            residents=[register.resident_a2],
        )
    whistle = services.whistle_blow(
        request=req,
        level=Whistle.Level.PARTY_BRANCH,
        by=staff_user,
        residents=[register.resident_a1],
    )
    assert whistle.responders.get().resident == register.resident_a1


def test_subdistrict_whistle_calls_departments(req, staff_user, register):
    req = services.request_accept(request=req, by=staff_user)
    unit = AllianceMemberFactory(community=register.community_a)
    with pytest.raises(ValidationError, match="departments"):
        services.whistle_blow(
            request=req, level=Whistle.Level.SUBDISTRICT, by=staff_user, alliance_members=[unit]
        )
    whistle = services.whistle_blow(
        request=req,
        level=Whistle.Level.SUBDISTRICT,
        by=staff_user,
        departments=["云岩区住房和城乡建设局"],
    )
    assert whistle.responders.get().name == "云岩区住房和城乡建设局"


def test_whistle_without_responders_is_refused(req, staff_user):
    req = services.request_accept(request=req, by=staff_user)
    with pytest.raises(ValidationError, match="at least one"):
        services.whistle_blow(request=req, level=Whistle.Level.ALLIANCE, by=staff_user)
    assert not WhistleResponder.objects.exists()


def test_report_without_an_action_is_refused(req, staff_user, register):
    req = services.request_accept(request=req, by=staff_user)
    whistle = services.whistle_blow(
        request=req,
        level=Whistle.Level.PARTY_BRANCH,
        by=staff_user,
        residents=[ResidentFactory(is_party_member=True)],
        at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        services.responder_report(responder=whistle.responders.get(), action=" ", by=staff_user)
    assert whistle.responders.get().reported_at is None
