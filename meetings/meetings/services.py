"""Writes on meetings: each checks its input in full before it writes anything."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Member
from jinzang.concurrency import version_claim
from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from residents.models import AccessGrant, Membership


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def meeting_save(*, meeting: Meeting, created_by=None) -> Meeting:
    """Create or update a meeting's own fields (body, kind, subject, time, place, status)."""
    if meeting.pk is None:
        meeting.created_by = created_by
    if (
        meeting.status == Meeting.Status.HELD
        and meeting.starts_at
        and meeting.starts_at > timezone.now()
    ):
        raise ValidationError(
            {"status": _("A meeting that has not started yet cannot be marked as held.")}
        )
    return _saved(meeting)


def _check_attendee(meeting: Meeting, resident, user) -> None:
    if (resident is None) == (user is None):
        raise ValidationError(_("Choose one attendee: a resident or a staff member."))
    if resident is not None:
        in_community = Membership.objects.filter(
            resident=resident,
            household__unit__building__compound__community=meeting.body.community_id,
        ).exists()
        if not in_community:
            raise ValidationError(
                {"resident": _("This resident is not on the register of the community.")}
            )
    if user is not None:
        in_community = (
            AccessGrant.objects.active()
            .filter(user=user, community=meeting.body.community_id)
            .exists()
        )
        if not user.is_active or not in_community:
            raise ValidationError(
                {"user": _("This account has no role in the community of the meeting.")}
            )


@transaction.atomic
def attendee_add(*, meeting: Meeting, resident=None, user=None) -> Attendee:
    _check_attendee(meeting, resident, user)
    # A resident with an account attends once, whether added as the one or the other.
    seats = Member.objects.linking_people()
    if resident:
        accounts = seats.filter(resident=resident).values("user")
        existing = meeting.attendees.filter(Q(resident=resident) | Q(user__in=accounts))
    else:
        residents = seats.filter(user=user).values("resident")
        existing = meeting.attendees.filter(Q(user=user) | Q(resident__in=residents))
    if existing.exists():
        raise ValidationError(_("Already on the list of attendees."))
    return _saved(Attendee(meeting=meeting, resident=resident, user=user))


@transaction.atomic
def party_add(*, meeting: Meeting, kind: str, organisation: str, name: str = "") -> OutsideParty:
    return _saved(OutsideParty(meeting=meeting, kind=kind, organisation=organisation, name=name))


@transaction.atomic
def item_add(*, meeting: Meeting, title: str, minutes: str = "") -> AgendaItem:
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    return _saved(AgendaItem(meeting=meeting, order=last + 1, title=title, minutes=minutes))


@transaction.atomic
def item_update(
    *, item: AgendaItem, title: str, minutes: str, version: int | None = None
) -> AgendaItem:
    """Save an item's title and minutes. With the `version` the page showed, an edit from
    an older page is refused (EditConflict) rather than overwriting a colleague's minutes."""
    item.title, item.minutes = title, minutes
    item.full_clean()
    if version is not None:
        version_claim(item, version, what=_("agenda item"))
    else:
        item.version += 1
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: AgendaItem) -> None:
    """Delete an agenda item with its minutes; its decisions and actions stay, as the
    meeting's own."""
    item.delete()


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    decision.delete()


@transaction.atomic
def decision_add(
    *, meeting: Meeting, text: str, item: AgendaItem | None = None, signed_by: str = ""
) -> Decision:
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting.")})
    return _saved(Decision(meeting=meeting, item=item, text=text, signed_by=signed_by))


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    due_on,
    item: AgendaItem | None = None,
    owner_user=None,
    owner_resident=None,
    owner_party: OutsideParty | None = None,
) -> Action:
    """A follow-up action. Refused: due before the meeting, no owner, an owner from elsewhere."""
    if due_on < timezone.localdate(meeting.starts_at):
        raise ValidationError({"due_on": _("An action cannot be due before the meeting.")})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": _("Choose an item of this meeting.")})
    if owner_party is not None and owner_party.meeting_id != meeting.pk:
        raise ValidationError({"owner": _("Choose an outside party of this meeting.")})
    if owner_resident is not None:
        _check_attendee(meeting, owner_resident, None)
    if owner_user is not None:
        _check_attendee(meeting, None, owner_user)
    return _saved(
        Action(
            meeting=meeting,
            item=item,
            description=description,
            due_on=due_on,
            owner_user=owner_user,
            owner_resident=owner_resident,
            owner_party=owner_party,
        )
    )


@transaction.atomic
def action_delete(*, action: Action) -> None:
    """Delete an action recorded by mistake; one that was carried out or dropped is marked
    so rather than deleted."""
    action.delete()


@transaction.atomic
def action_set_status(*, action: Action, status: str, done_on=None) -> Action:
    """Set an action's status; `done_on` (default today) is kept when it was already done."""
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status != Action.Status.DONE:
        action.done_on = None
    elif done_on is not None or action.status != Action.Status.DONE:
        action.done_on = done_on or timezone.localdate()
    action.status = status
    action.save(update_fields=["status", "done_on"])
    return action
