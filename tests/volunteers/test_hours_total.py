"""ServiceActivity.hours_total, the sum of an activity's hours that the dashboard adds up,
equals the participants' rows however they are written: the service, the admin's saves
and deletes, a row moved to another activity, bulk creation, and deleting in bulk."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from committees.models import ServiceActivity, ServiceHours
from committees.volunteers import services
from tests.factories import stored
from tests.volunteers.conftest import members

pytestmark = pytest.mark.django_db

D = Decimal


def new_activity(team, day=datetime.date(2026, 3, 5)):
    return ServiceActivity.objects.create(
        team=team, date=day, place="社区活动室", description="讲座"
    )


def assert_totals_match_rows():
    for activity in ServiceActivity.objects.all():
        rows = activity.hours.aggregate(total=Sum("hours"))["total"] or D("0")
        assert activity.hours_total == rows, activity


def test_the_service_records_the_total(team):
    people = members(team)
    activity = services.activity_record(
        team=team,
        date=datetime.date(2026, 3, 5),
        place="社区活动室",
        description="政策宣讲",
        hours={people["李华玉"]: D("2.5"), people["周红"]: D("1.5")},
    )
    assert stored(activity).hours_total == D("4.0")


def test_saving_moving_and_deleting_a_row_keeps_the_totals(team):
    people = members(team)
    first, second = new_activity(team), new_activity(team)
    row = ServiceHours.objects.create(activity=first, volunteer=people["李华玉"], hours=D("2.0"))
    ServiceHours.objects.create(activity=first, volunteer=people["周红"], hours=D("1.5"))
    assert stored(first).hours_total == D("3.5")

    row.hours = D("3.0")
    row.save()
    assert stored(first).hours_total == D("4.5")

    row.activity = second
    row.save()
    assert (stored(first).hours_total, stored(second).hours_total) == (D("1.5"), D("3.0"))

    row.delete()
    assert stored(second).hours_total == D("0.0")
    ServiceHours.objects.filter(activity=first).delete()
    assert stored(first).hours_total == D("0.0")


def test_random_bulk_writes_reconcile(team, patrol):
    rng = random.Random(7)
    volunteers = list(team.volunteers.all())
    activities = [
        new_activity(team, datetime.date(2026, 1, 1) + datetime.timedelta(i)) for i in range(30)
    ]
    ServiceHours.objects.bulk_create(
        ServiceHours(activity=a, volunteer=v, hours=D(rng.choice(["0.5", "1.0", "2.5", "4.0"])))
        for a in activities
        for v in rng.sample(volunteers, k=rng.randint(1, len(volunteers)))
    )
    assert_totals_match_rows()
    ServiceHours.objects.filter(pk__in=[r.pk for r in ServiceHours.objects.all()[::3]]).delete()
    assert_totals_match_rows()
    assert (
        ServiceActivity.objects.aggregate(t=Sum("hours_total"))["t"]
        == (ServiceHours.objects.aggregate(t=Sum("hours"))["t"])
    )
