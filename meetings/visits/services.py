"""Writes for door-to-door visits: a visit may record a consent answer and open a request in
the same step, all or nothing."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import ResidentRequest
from committees.requests.services import request_receive
from meetings.models import ConsentRecord, Project, Purpose, Visit, VisitCampaign
from meetings.projects.consent import consent_record
from residents.models import CareRecord, Household


def _check_campaign(campaign: VisitCampaign, household: Household, visited_on) -> None:
    if not campaign.households().filter(pk=household.pk).exists():
        raise ValidationError({"campaign": _("The campaign does not cover this household.")})
    if visited_on < campaign.starts_on or (campaign.ends_on and visited_on > campaign.ends_on):
        raise ValidationError({"visited_on": _("The date is outside the campaign's period.")})


@transaction.atomic
def visit_record(
    *,
    household: Household,
    purpose: str,
    recorded_by,
    visited_on: datetime.date | None = None,
    outcome: str = Visit.Outcome.MET,
    notes: str = "",
    visitors=(),
    other_visitors: str = "",
    campaign: VisitCampaign | None = None,
    care_record: CareRecord | None = None,
    consent_project: Project | None = None,
    consent_answer: str = "",
    contribution: Decimal | None = None,
    conditions: str = "",
    consent_version: int = 0,
    request_category=None,
    request_title: str = "",
    request_description: str = "",
) -> Visit:
    """Record a visit. With `consent_project`, the household's answer is recorded through the
    project's own rules (frozen roll, optimistic versioning); with `request_title`, a request
    is opened as received through a household visit. Any refusal writes nothing."""
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be recorded in the future.")})
    if campaign is not None:
        _check_campaign(campaign, household, visited_on)
    if care_record is not None:
        if care_record.household_id != household.pk:
            raise ValidationError(
                {"care_record": _("The care record belongs to another household.")}
            )
        purpose = Purpose.CARE
    if (consent_project is not None or request_title) and outcome in (
        Visit.Outcome.NOT_HOME,
        Visit.Outcome.REFUSED,
    ):
        raise ValidationError(
            {"outcome": _("Nobody was met: no answer or request can come of this visit.")}
        )
    visit = Visit(
        household=household,
        visited_on=visited_on,
        purpose=purpose,
        outcome=outcome,
        notes=notes,
        other_visitors=other_visitors,
        campaign=campaign,
        care_record=care_record,
        recorded_by=recorded_by,
    )
    if consent_project is not None:
        visit.consent = consent_record(
            project=consent_project,
            household=household,
            answer=consent_answer,
            recorded_by=recorded_by,
            channel=ConsentRecord.Channel.VISIT,
            contribution=contribution,
            conditions=conditions,
            expected_version=consent_version,
        )
    if request_title:
        if request_category is None:
            raise ValidationError({"request_category": _("Choose the kind of problem.")})
        visit.request = request_receive(
            community=household.unit.building.compound.community,
            category=request_category,
            title=request_title,
            description=request_description,
            received_through=ResidentRequest.Channel.VISIT,
            recorded_by=recorded_by,
            household=household,
        )
    visit.full_clean()
    visit.save()
    if visitors:
        visit.visitors.set(visitors)
    return visit


def campaign_save(*, campaign: VisitCampaign, created_by=None) -> VisitCampaign:
    if campaign.pk is None:
        campaign.created_by = created_by
    campaign.full_clean()
    campaign.save()
    return campaign
