"""Visits, campaigns and care records on top of the projects' fixtures (tests/projects):
building 18 of 庆丰小区 with the pipes co-funding campaign, the three seated bodies and the
people they name (manager, staff_user, reader, courtyard_member, community_b_user...)."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import Purpose, Visit, VisitCampaign
from residents.models import CareRecord
from tests.projects.conftest import *  # noqa: F403 (the projects' fixtures)
from tests.requests.factories import RequestCategoryFactory


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def category(db):
    return RequestCategoryFactory(name="设施维修", response_hours=24, resolution_days=7)


@pytest.fixture
def campaign(register, staff_user):
    """An opinion-collection drive over 庆丰小区 (compound A), forty days in."""
    return VisitCampaign.objects.create(
        community=register.community_a,
        compound=register.compound_a,
        title="庆丰小区入户征求意见",
        purpose=Purpose.OPINION,
        goal=20,
        starts_on=days_ago(40),
        ends_on=days_ago(-20),
        created_by=staff_user,
    )


@pytest.fixture
def care(register, staff_user):
    """李华玉 (household A1), living alone, visited every 7 days; last visited 10 days ago."""
    record = CareRecord.objects.create(
        community=register.community_a,
        resident=register.resident_a1,
        household=register.household_a1,
        circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
        needs="独居老人，腿脚不便，每周探访一次。",
        visit_every_days=7,
        responsible=staff_user,
        started_on=days_ago(100),
    )
    Visit.objects.create(
        household=register.household_a1,
        visited_on=days_ago(10),
        purpose=Purpose.CARE,
        notes="身体状况稳定。",
        care_record=record,
        recorded_by=staff_user,
    )
    return record
