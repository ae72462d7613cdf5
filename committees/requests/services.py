"""Writes on residents' requests: every step of the workflow and the three whistles.

Each step locks the request, checks that it may follow the current status (a step out
of order is refused with a clear message and writes nothing), and records who took it
and when in the request's timeline (RequestStep).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import (
    AllianceMember,
    RequestPhoto,
    RequestStep,
    ResidentRequest,
    Whistle,
    WhistleResponder,
)
from jinzang.concurrency import changed_by

Status = ResidentRequest.Status

# The statuses each step may follow.
ALLOWED_FROM = {
    Status.ACCEPTED: {Status.RECEIVED},
    Status.IN_PROGRESS: {Status.ACCEPTED},
    Status.RESOLVED: {Status.ACCEPTED, Status.IN_PROGRESS},
    Status.CONFIRMED: {Status.RESOLVED},
    Status.CLOSED: {Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS},
}

TIME_FIELD = {
    Status.ACCEPTED: "accepted_at",
    Status.RESOLVED: "resolved_at",
    Status.CONFIRMED: "confirmed_at",
    Status.CLOSED: "closed_at",
}


def next_steps(status: str) -> list[str]:
    """The statuses a request in `status` may move to, in workflow order."""
    return [to for to, sources in ALLOWED_FROM.items() if status in sources]


def _lock(request: ResidentRequest, version: int | None = None) -> ResidentRequest:
    """The request as stored now, locked for this transaction (a no-op lock on SQLite)."""
    locked = ResidentRequest.objects.select_for_update().get(pk=request.pk)
    if version is not None and locked.version != version:
        name, time = changed_by(locked)
        raise ValidationError(
            _(
                "%(name)s changed this request at %(time)s, after you opened it: it is now "
                "“%(status)s”. Reload the page and try again."
            )
            % {"name": name, "time": time, "status": locked.get_status_display()},
            code="conflict",
        )
    return locked


def _record(request, *, from_status, to_status, by, at, note="") -> RequestStep:
    return RequestStep.objects.create(
        request=request, from_status=from_status, to_status=to_status, by=by, at=at, note=note
    )


def _move(request, *, to, by, at=None, note="", version=None, **changes) -> ResidentRequest:
    locked = _lock(request, version)
    if locked.status not in ALLOWED_FROM[to]:
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(next)s”.")
            % {"current": locked.get_status_display(), "next": Status(to).label}
        )
    at = at or timezone.now()
    if at < locked.received_at:
        raise ValidationError(_("A step cannot come before the request was received."))
    from_status = locked.status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = to
    if to in TIME_FIELD:
        setattr(locked, TIME_FIELD[to], at)
    locked.version += 1
    locked.full_clean()
    locked._history_user = by
    locked.save()
    _record(locked, from_status=from_status, to_status=to, by=by, at=at, note=note)
    return locked


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
    _record(
        request, from_status="", to_status=Status.RECEIVED, by=recorded_by, at=request.received_at
    )
    return request


@transaction.atomic
def request_accept(
    *, request, by, note: str = "", handling_body=None, at=None, version=None
) -> ResidentRequest:
    changes = {}
    if handling_body is not None:
        if handling_body.community_id != request.community_id:
            raise ValidationError(
                {"handling_body": _("The handling body must belong to the community.")}
            )
        changes["handling_body"] = handling_body
    return _move(request, to=Status.ACCEPTED, by=by, at=at, note=note, version=version, **changes)


@transaction.atomic
def request_start(*, request, by, note: str = "", at=None, version=None) -> ResidentRequest:
    return _move(request, to=Status.IN_PROGRESS, by=by, at=at, note=note, version=version)


@transaction.atomic
def request_resolve(
    *, request, by, reply: str, note: str = "", at=None, version=None
) -> ResidentRequest:
    """Resolve the request; refused without a reply to the resident."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(
            {"reply": _("Write the reply to the resident before marking the request resolved.")}
        )
    return _move(request, to=Status.RESOLVED, by=by, at=at, note=note, version=version, reply=reply)


@transaction.atomic
def request_confirm(*, request, by, note: str = "", at=None, version=None) -> ResidentRequest:
    """The resident confirms the problem is solved."""
    return _move(request, to=Status.CONFIRMED, by=by, at=at, note=note, version=version)


@transaction.atomic
def request_close(*, request, by, reason: str, at=None, version=None) -> ResidentRequest:
    """Close a request that cannot be acted on; refused without the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is closed.")})
    return _move(
        request, to=Status.CLOSED, by=by, at=at, note=reason, version=version, close_reason=reason
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
    locked = _lock(request)
    if locked.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
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
    _record(
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
    _record(
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
