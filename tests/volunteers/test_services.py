import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committees.models import ServiceActivity, ServiceHours, Volunteer
from committees.volunteers import services
from tests.factories import stored
from tests.volunteers.conftest import members

pytestmark = pytest.mark.django_db

D = Decimal


def record(team, hours, date=None, **kwargs):
    return services.activity_record(
        team=team,
        date=date or timezone.localdate(),
        place="社区活动室",
        description="政策宣讲",
        hours=hours,
        **kwargs,
    )


def test_database_refuses_zero_or_negative_hours(team):
    activity = record(team, {members(team)["武莉华"]: D("2")})
    for hours in (D("0"), D("-1.5")):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceHours.objects.create(
                activity=activity, volunteer=members(team)["周红"], hours=hours
            )


def test_an_activity_records_each_participants_hours(team):
    people = members(team)
    activity = record(team, {people["李华玉"]: D("2.5"), people["周红"]: D("1.0")})
    assert {(h.volunteer.name, h.hours) for h in activity.hours.all()} == {
        ("李华玉", D("2.5")),
        ("周红", D("1.0")),
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"hours": D("0")},
        {"hours": D("24.5")},
        {"hours": D("1.25")},
        {"date": datetime.date.today() + datetime.timedelta(days=2)},
        {"outsider": True},
        {"nobody": True},
    ],
    ids=["zero", "over-24", "two-decimals", "future", "not-in-team", "no-participant"],
)
def test_a_refused_activity_writes_nothing(team, patrol, bad):
    people = members(team)
    hours = {people["李华玉"]: D("2"), people["武莉华"]: bad.get("hours", D("2"))}
    if bad.get("outsider"):
        hours[patrol.volunteers.get()] = D("1")
    if bad.get("nobody"):
        hours = {}
    with pytest.raises(ValidationError):
        record(team, hours, date=bad.get("date"))
    assert not ServiceActivity.objects.exists()
    assert not ServiceHours.objects.exists()


def test_tally_adds_a_persons_hours_over_teams_and_keeps_to_the_year(team, patrol, staff_user):
    people = members(team)
    today = timezone.localdate()
    record(team, {people["李华玉"]: D("2.5"), people["周红"]: D("1.5")}, date=today)
    record(team, {people["李华玉"]: D("1.0")}, date=today - datetime.timedelta(days=1))
    record(patrol, {patrol.volunteers.get(): D("3.0")}, date=today)
    record(team, {people["武莉华"]: D("9.0")}, date=today.replace(year=today.year - 1))

    tally = services.service_tally(
        today.year, team.community.volunteer_teams.all(), user=staff_user
    )

    assert tally.hours == D("8.0") and isinstance(tally.hours, Decimal)
    assert tally.activities == 3
    by_team = {t.name: (t.hours, t.n_activities, t.n_volunteers) for t in tally.teams}
    assert by_team == {"志愿讲师队": (D("5.0"), 2, 3), "院落治安巡逻队": (D("3.0"), 1, 1)}
    by_person = {
        p["name"]: (p["hours"], p["activities"], p["teams"], p["party"]) for p in tally.people
    }
    assert by_person == {"李华玉": (D("6.5"), 3, 2, True), "周红": (D("1.5"), 1, 1, True)}
    assert all(isinstance(p["hours"], Decimal) for p in tally.people)


def test_tally_counts_two_people_of_the_same_name_off_the_register_apart(team, staff_user):
    other = Volunteer.objects.create(team=team, name="周红", joined=datetime.date(2020, 1, 1))
    first = team.volunteers.get(name="周红", is_party_member=True)
    record(team, {first: D("1"), other: D("2")})
    tally = services.service_tally(
        timezone.localdate().year, team.community.volunteer_teams.all(), user=staff_user
    )
    assert sorted(p["hours"] for p in tally.people) == [D("1.0"), D("2.0")]


def test_a_resident_joins_a_team_once(team, register):
    with pytest.raises(ValidationError):
        services.volunteer_add(team=team, resident=register.resident_a1)
    assert team.volunteers.filter(resident=register.resident_a1).count() == 1


def test_a_volunteer_on_the_register_takes_the_residents_name_and_party_membership(
    patrol, register
):
    volunteer = services.volunteer_add(team=patrol, resident=register.resident_a2, name="别名")
    assert volunteer.name == "武莉华"
    assert not volunteer.party_member
    register.resident_a2.is_party_member = True
    register.resident_a2.save()
    assert stored(volunteer).party_member
    assert Volunteer.objects.party_members().filter(pk=volunteer.pk).exists()
