"""Writes on notices: drafts, publishing, corrections kept as revisions, withdrawal."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Body, Notice, NoticeAttachment, NoticeRevision
from committees.models.notices import audience_compounds


def _check_audience(notice: Notice, compounds, courtyards, buildings) -> None:
    if not notice.for_whole_community and not (compounds or courtyards or buildings):
        raise ValidationError(
            _(
                "Choose the audience: the whole community, or some compounds, courtyards or buildings."
            )
        )
    body = notice.body
    outside = (
        [c for c in compounds if c.community_id != body.community_id]
        + [c for c in courtyards if c.compound.community_id != body.community_id]
        + [b for b in buildings if b.compound.community_id != body.community_id]
    )
    if outside:
        raise ValidationError(_("The audience must be in the publishing body's community."))
    places = {c.pk for c in compounds} | {p.compound_id for p in [*courtyards, *buildings]}
    own = audience_compounds(Body.objects.filter(pk=body.pk)).values_list("pk", flat=True)
    whole = notice.for_whole_community and body.kind != Body.Kind.NEIGHBOURHOOD
    if whole or places - set(own):
        raise ValidationError(
            _(
                "%(body)s addresses notices to its own compound, %(compound)s: choose it, or "
                "some of its courtyards or buildings."
            )
            % {"body": body.name, "compound": body.compound.name}
        )


def _locked_message(notice: Notice) -> str:
    return _(
        "This notice publishes the result of an owners' decision: it stays up, unchanged, "
        "until %(time)s."
    ) % {"time": f"{timezone.localtime(notice.locked_until):%Y-%m-%d %H:%M}"}


@transaction.atomic
def notice_save(
    *,
    notice: Notice,
    compounds=(),
    courtyards=(),
    buildings=(),
    attachments=(),
    user=None,
    reason="",
) -> Notice:
    """Save a draft or a scheduled notice; a published one is corrected, keeping a revision."""
    _check_audience(notice, compounds, courtyards, buildings)
    if notice.pk:
        stored = Notice.objects.select_for_update().get(pk=notice.pk)
        if stored.is_locked:
            raise ValidationError(_locked_message(stored))
        changed = (stored.title, stored.text) != (notice.title, notice.text)
        if stored.state in ("published", "expired", "withdrawn") and changed:
            if not reason.strip():
                raise ValidationError(
                    {
                        "reason": _(
                            "Say what the correction changes: readers see it with the earlier text."
                        )
                    }
                )
            NoticeRevision.objects.create(
                notice=stored,
                title=stored.title,
                text=stored.text,
                reason=reason.strip(),
                corrected_by=user,
            )
    else:
        notice.created_by = user
    notice.full_clean()
    notice.save()
    notice.compounds.set(compounds)
    notice.courtyards.set(courtyards)
    notice.buildings.set(buildings)
    # Every file is checked before any is stored: a bad one leaves nothing behind.
    pending = [NoticeAttachment(notice=notice, file=f, title=f.name[:200]) for f in attachments]
    for attachment in pending:
        attachment.full_clean()
    for attachment in pending:
        attachment.save()
    return notice


@transaction.atomic
def notice_publish(*, notice: Notice, at: datetime.datetime | None = None) -> Notice:
    """Publish now, or schedule for `at`. Refused after its expiry, once withdrawn, and
    during a locked public period (scheduling it later would take it down)."""
    at = at or timezone.now()
    if notice.is_locked:
        raise ValidationError(_locked_message(notice))
    if notice.withdrawn_at:
        raise ValidationError(
            _("A withdrawn notice cannot be published again; copy it into a new one.")
        )
    if notice.expires_at and notice.expires_at <= at:
        raise ValidationError({"publish_at": _("The notice would expire before it is published.")})
    notice.publish_at = at
    notice.save(update_fields=["publish_at", "updated_at"])
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice) -> Notice:
    """Take a notice down. Refused during a locked public period (an owners' decision's
    result notice, docs/domain.md "Owners' decisions")."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_locked:
        raise ValidationError(_locked_message(notice))
    if notice.withdrawn_at:
        raise ValidationError(_("The notice is already withdrawn."))
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["withdrawn_at", "updated_at"])
    return notice
