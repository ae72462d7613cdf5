"""Writes to facilities: an inspection recorded; a broken facility opening a residents'
request, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Body, Facility, FacilityInspection, RequestCategory, ResidentRequest
from committees.requests import services as request_services

# The category made when no category is marked for broken facilities yet.
DEFAULT_CATEGORY = {"name": "公共设施", "response_hours": 24, "resolution_days": 14}


def facility_category() -> RequestCategory:
    category = RequestCategory.objects.filter(for_facilities=True).order_by("position").first()
    if category is None:
        category, _created = RequestCategory.objects.get_or_create(
            name=DEFAULT_CATEGORY["name"],
            defaults={**DEFAULT_CATEGORY, "for_facilities": True},
        )
    return category


@transaction.atomic
def facility_inspect(
    *,
    facility: Facility,
    inspected_on: datetime.date,
    condition: str,
    inspected_by=None,
    notes: str = "",
) -> FacilityInspection:
    """Record an inspection; the newest inspection sets the facility's condition and date.

    An older inspection recorded late joins the history without overriding what a
    newer one found."""
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("An inspection cannot lie in the future.")})
    locked = Facility.objects.select_for_update().get(pk=facility.pk)
    inspection = FacilityInspection(
        facility=locked,
        inspected_on=inspected_on,
        condition=condition,
        notes=notes,
        inspected_by=inspected_by,
    )
    inspection.full_clean()
    inspection.save()
    if locked.last_inspected is None or inspected_on >= locked.last_inspected:
        locked.last_inspected = inspected_on
        locked.condition = condition
        locked.save(update_fields=["last_inspected", "condition"])
    facility.condition, facility.last_inspected = locked.condition, locked.last_inspected
    return inspection


@transaction.atomic
def facility_report_broken(
    *,
    facility: Facility,
    reported_by,
    description: str,
    title: str = "",
    condition: str = Facility.Condition.BROKEN,
    raised_by=None,
    received_through: str = ResidentRequest.Channel.IN_PERSON,
    received_at=None,
) -> ResidentRequest:
    """Mark the facility broken (or out of service) and open a request about it, handled by
    the committee serving the facility's courtyard or compound; nothing is written when
    the request is refused."""
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what is broken.")})
    locked = Facility.objects.select_for_update().select_related("compound").get(pk=facility.pk)
    if condition not in (Facility.Condition.BROKEN, Facility.Condition.OUT_OF_SERVICE):
        condition = Facility.Condition.BROKEN
    locked.condition = condition
    locked.save(update_fields=["condition"])
    facility.condition = condition
    handling = (
        Body.objects.active()
        .filter(compound=locked.compound_id, courtyard=locked.courtyard_id)
        .order_by("kind")
        .first()
    )
    return request_services.request_receive(
        community=locked.compound.community,
        category=facility_category(),
        title=(title or "").strip() or _("%(facility)s is broken") % {"facility": locked.name},
        description=description,
        received_through=received_through,
        recorded_by=reported_by,
        compound=locked.compound,
        facility=locked,
        raised_by=raised_by,
        handling_body=handling,
        received_at=received_at,
    )
