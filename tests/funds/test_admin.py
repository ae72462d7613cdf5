from decimal import Decimal

import pytest
from django.urls import reverse

from committees.facilities import services
from committees.models import (
    Facility,
    FacilityInspection,
    FundEntry,
    ServiceActivity,
    VolunteerTeam,
)
from committees.volunteers import services as volunteer_services
from tests.funds.test_services import add

pytestmark = pytest.mark.django_db


def test_admin_lists_and_opens_every_new_model(admin_client, fund, register, staff_user):
    entry = add(fund)
    team = VolunteerTeam.objects.create(community=register.community_a, name="志愿讲师队")
    volunteer = volunteer_services.volunteer_add(team=team, resident=register.resident_a1)
    activity = volunteer_services.activity_record(
        team=team,
        date=entry.date,
        place="活动室",
        description="宣讲",
        hours={volunteer: Decimal("2")},
    )
    facility = Facility.objects.create(compound=register.compound_a, kind="fitness", name="健身区")
    inspection = services.facility_inspect(
        facility=facility, inspected_on=entry.date, condition="good", inspected_by=staff_user
    )
    for obj in (fund, entry, team, volunteer, activity, activity.hours.get(), facility, inspection):
        meta = obj._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(changelist, {"q": "宣"}).status_code == 200
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200
    history = reverse("admin:committees_fundentry_history", args=[entry.pk])
    assert admin_client.get(history).status_code == 200
    assert FundEntry.objects.count() == 1 and ServiceActivity.objects.count() == 1
    assert FacilityInspection.objects.count() == 1
