"""A broken facility opens a residents' request, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import Body, RequestCategory, ResidentRequest
from committees.requests import services as request_services
from residents.models import Facility

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
