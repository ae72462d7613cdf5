"""Writes on residents' requests: receiving one, the three whistles and their responders'
reports, photos; and every step of the workflow, whose writes are declared with the steps
in `workflow.py` and called from here like any other write.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import (
    AllianceMember,
    RequestPhoto,
    ResidentRequest,
    Whistle,
    WhistleResponder,
)
from committees.requests.workflow import (
    WHISTLE_AFTER,
    lock,
    record,
    request_accept,
    request_close,
    request_confirm,
    request_resolve,
    request_start,
)

Status = ResidentRequest.Status


@transaction.atomic
def request_receive(
    *,
    community,
    category,
    title: str,
    received_through: str,
    recorded_by,
    description: str = "",
    compound=None,
    building=None,
    household=None,
    shared_place: str = "",
    facility=None,
    raised_by=None,
    callback_phone: str = "",
    handling_body=None,
    received_at: datetime.datetime | None = None,
    public: bool = True,
) -> ResidentRequest:
    """Record a request as received; a household implies its building and compound, a
    facility its compound. The raiser is a resident of the register, or nobody; the number
    to call back is kept as given, whoever's it is."""
    if household is not None:
        building = household.unit.building
    if building is not None:
        compound = building.compound
    if facility is not None:
        if compound is not None and compound.pk != facility.compound_id:
            raise ValidationError({"facility": _("The facility must be in the compound.")})
        compound = facility.compound
    if handling_body is not None and handling_body.community_id != community.pk:
        raise ValidationError(
            {"handling_body": _("The handling body must belong to the community.")}
        )
    request = ResidentRequest(
        community=community,
        compound=compound,
        building=building,
        household=household,
        facility=facility,
        shared_place=shared_place,
        raised_by=raised_by,
        callback_phone=callback_phone,
        category=category,
        title=title,
        description=description,
        received_through=received_through,
        received_at=received_at or timezone.now(),
        received_by=recorded_by,
        handling_body=handling_body,
        public=public,
    )
    request.full_clean()
    request.save()
    record(
        request, from_status="", to_status=Status.RECEIVED, by=recorded_by, at=request.received_at
    )
    return request


@transaction.atomic
def request_raise_online(
    *,
    account,
    household,
    category,
    title: str,
    description: str = "",
    shared_place: str = "",
    callback_phone: str = "",
    public: bool = False,
) -> ResidentRequest:
    """A resident raises a request from their own page (the residents' door): about a
    household they belong to today, raised by them, received online. It lands in the queue
    of the household's committees as any other request. Off the page of solved problems
    unless the resident agrees: its words are theirs, not written by staff for the public."""
    if not account.households().filter(pk=household.pk).exists():
        raise ValidationError({"household": _("Choose one of your own homes.")})
    return request_receive(
        community=household.unit.building.compound.community,
        category=category,
        title=title,
        description=description,
        household=household,
        shared_place=shared_place,
        raised_by=account.resident,
        callback_phone=callback_phone,
        received_through=ResidentRequest.Channel.ONLINE,
        recorded_by=account.user,
        public=public,
    )


@transaction.atomic
def whistle_blow(
    *,
    request,
    level: str,
    by,
    alliance_members=(),
    residents=(),
    departments=(),
    note: str = "",
    at=None,
) -> Whistle:
    """Escalate an accepted, open request: the responders are called to report.

    The sub-district calls departments (by name, or alliance members that are
    departments); the party branch calls party members on the register; the alliance
    calls its member organisations."""
    locked = lock(request)
    if locked.status not in WHISTLE_AFTER:
        raise ValidationError(_("Only an accepted request that is not yet resolved is escalated."))
    if locked.whistles.filter(level=level).exists():
        raise ValidationError(
            {"level": _("This request has already been escalated at this level.")}
        )
    alliance_members = list(alliance_members)
    residents = list(residents)
    departments = [d.strip() for d in departments if d and d.strip()]
    Level = Whistle.Level
    if not (alliance_members or residents or departments):
        raise ValidationError(_("Name at least one responder."))
    if any(m.community_id != locked.community_id for m in alliance_members):
        raise ValidationError(_("Responders must be members of this community's alliance."))
    if level == Level.ALLIANCE and (residents or departments):
        raise ValidationError(_("The alliance calls on its member organisations."))
    if level == Level.PARTY_BRANCH and (alliance_members or departments):
        raise ValidationError(_("The party branch calls on party members."))
    if level == Level.PARTY_BRANCH and any(not r.is_party_member for r in residents):
        raise ValidationError(_("Only party members report to the party branch's whistle."))
    if level == Level.SUBDISTRICT and (
        residents or any(m.kind != AllianceMember.Kind.DEPARTMENT for m in alliance_members)
    ):
        raise ValidationError(_("The sub-district calls on government departments."))
    at = at or timezone.now()
    if at < locked.received_at:
        raise ValidationError(_("A step cannot come before the request was received."))
    whistle = Whistle(request=locked, level=level, blown_at=at, blown_by=by, note=note)
    whistle.full_clean()
    whistle.save()
    WhistleResponder.objects.bulk_create(
        [WhistleResponder(whistle=whistle, alliance_member=m) for m in alliance_members]
        + [WhistleResponder(whistle=whistle, resident=r) for r in residents]
        + [WhistleResponder(whistle=whistle, department=d) for d in departments]
    )
    record(
        locked,
        from_status=locked.status,
        to_status=locked.status,
        by=by,
        at=at,
        note=_("Whistle blown: %(level)s") % {"level": whistle.get_level_display()},
    )
    return whistle


@transaction.atomic
def responder_report(*, responder, action: str, by, at=None) -> WhistleResponder:
    """A responder reports (报到) and says what they did; refused twice or without an action."""
    responder = (
        WhistleResponder.objects.select_for_update(of=("self",))
        .select_related("whistle__request", "alliance_member", "resident")
        .get(pk=responder.pk)
    )
    action = (action or "").strip()
    if not action:
        raise ValidationError({"action": _("Say what the responder did.")})
    if responder.reported_at is not None:
        raise ValidationError(_("This responder has already reported."))
    request = responder.whistle.request
    at = at or timezone.now()
    if at < responder.whistle.blown_at:
        raise ValidationError(_("A responder cannot report before the whistle was blown."))
    responder.action = action
    responder.reported_at = at
    responder.full_clean()
    responder.save(update_fields=["action", "reported_at"])
    record(
        request,
        from_status=request.status,
        to_status=request.status,
        by=by,
        at=at,
        note=_("%(name)s reported: %(action)s") % {"name": responder.name, "action": action},
    )
    return responder


@transaction.atomic
def photo_add(*, request, file, by, caption: str = "") -> RequestPhoto:
    photo = RequestPhoto(request=request, file=file, caption=caption, uploaded_by=by)
    photo.full_clean()
    photo.save()
    return photo


__all__ = [
    "photo_add",
    "request_accept",
    "request_close",
    "request_confirm",
    "request_raise_online",
    "request_receive",
    "request_resolve",
    "request_start",
    "responder_report",
    "whistle_blow",
]
