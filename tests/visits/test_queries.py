"""Every visits page and the dashboard run a fixed number of queries, however many visits,
campaigns, care records, requests and meetings there are.

Each test measures a page, grows the data (a new unit of 40 households in building 18,
each visited three times for the campaign, a care record with visits for a third of them,
campaigns, requests and meetings), then measures again and expects the same count."""

from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import (
    ElectionFiling,
    Fund,
    FundEntry,
    ServiceActivity,
    ServiceHours,
    Volunteer,
    VolunteerTeam,
)
from meetings.models import Meeting, Purpose, Visit, VisitCampaign
from residents.models import CareRecord, Household, Membership, Resident
from tests.factories import (
    BodyFactory,
    CompoundFactory,
    ResidentFactory,
    TermFactory,
    UnitFactory,
)
from tests.meetings.factories import at
from tests.requests.factories import ResidentRequestFactory
from tests.visits.conftest import days_ago

pytestmark = pytest.mark.django_db

# session + user + the user's active access grants
BASE = 3
GROWTH = 40


def grow(register, campaign, staff_user, category, bodies, n=GROWTH):
    unit = UnitFactory(building=register.building_a1, number=str(20 + Household.objects.count()))
    households = Household.objects.bulk_create(
        Household(unit=unit, door_number=str(100 + i), area=Decimal(60)) for i in range(n)
    )
    residents = Resident.objects.bulk_create(ResidentFactory.build_batch(n))
    Membership.objects.bulk_create(
        Membership(resident=r, household=h, relation="owner")
        for r, h in zip(residents, households, strict=True)
    )
    records = CareRecord.objects.bulk_create(
        CareRecord(
            community=register.community_a,
            resident=r,
            household=h,
            circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
            visit_every_days=7,
            responsible=staff_user,
            started_on=days_ago(200),
        )
        for r, h in list(zip(residents, households, strict=True))[::3]
    )
    visits = [
        Visit(
            household=h,
            purpose=Purpose.OPINION,
            campaign=campaign,
            visited_on=days_ago(i % 30),
            recorded_by=staff_user,
            other_visitors="陈丽萍",
        )
        for i, h in enumerate(households * 3)
    ] + [
        Visit(
            household=r.household,
            purpose=Purpose.CARE,
            care_record=r,
            visited_on=days_ago(3 + i),
            recorded_by=staff_user,
        )
        for i, r in enumerate(records * 2)
    ]
    Visit.objects.bulk_create(visits)
    Visit.visitors.through.objects.bulk_create(
        Visit.visitors.through(visit_id=v.pk, user_id=staff_user.pk) for v in visits
    )
    VisitCampaign.objects.bulk_create(
        VisitCampaign(
            community=register.community_a,
            compound=register.compound_a,
            title=f"走访{i}",
            purpose=Purpose.SURVEY,
            goal=100,
            starts_on=days_ago(10 + i),
        )
        for i in range(n // 4)
    )
    for i in range(n // 4):
        ResidentRequestFactory(
            compound=register.compound_a, category=category, household=households[i]
        )
    fund, _new = Fund.objects.get_or_create(compound=register.compound_a, name="公共收益")
    FundEntry.objects.bulk_create(
        FundEntry(
            fund=fund,
            kind="income" if i % 3 else "expense",
            category="fees" if i % 3 else "repairs",
            amount=Decimal("12.34"),
            date=days_ago(i),
            description="物业费",
        )
        for i in range(n)
    )
    team = VolunteerTeam.objects.create(community=register.community_a, name=f"队{unit.pk}")
    volunteers = Volunteer.objects.bulk_create(
        Volunteer(team=team, name=f"志愿者{i}") for i in range(n // 4)
    )
    activities = ServiceActivity.objects.bulk_create(
        ServiceActivity(team=team, date=days_ago(i * 5), place="院坝", description="巡逻")
        for i in range(n // 4)
    )
    ServiceHours.objects.bulk_create(
        ServiceHours(activity=a, volunteer=v, hours=Decimal("1.5"))
        for a in activities
        for v in volunteers
    )
    for _i in range(n // 8):  # owners' committees past their five years, filings overdue
        term = TermFactory(
            body=BodyFactory(compound=CompoundFactory(community=register.community_a)),
            starts_on=days_ago(6 * 365),
        )
        ElectionFiling.objects.create(term=term, due_on=days_ago(6 * 365 - 40))
    Meeting.objects.bulk_create(
        Meeting(
            body=bodies.qingfeng_1,
            title=f"例会{i}",
            starts_at=at(*days_ago(i % 20).timetuple()[:3], 9),
            place="办公室",
            status=Meeting.Status.HELD,
        )
        for i in range(n // 2)
    )


@pytest.fixture
def measure(
    django_assert_num_queries, register, campaign, care, staff_user, category, project_bodies, pipes
):
    def measure(client, url, n, data=None):
        with django_assert_num_queries(n):
            response = client.get(url, data)
        assert response.status_code == 200
        grow(register, campaign, staff_user, category, project_bodies)
        with django_assert_num_queries(n):
            response = client.get(url, data)
        assert response.status_code == 200
        return response

    return measure


def test_visit_list_queries_do_not_grow(measure, staff_client):
    response = measure(staff_client, reverse("visits:visit_list"), BASE + 3)
    assert len(response.context["visits"]) == 50


def test_visit_list_of_a_household_queries_do_not_grow(measure, staff_client, register):
    url = reverse("visits:visit_list")
    measure(staff_client, url, BASE + 4, data={"household": register.household_a1.pk})


def test_visit_page_queries_do_not_grow(measure, staff_client, care):
    visit = care.visits.get()
    measure(staff_client, reverse("visits:visit", args=[visit.pk]), BASE + 2)


def test_visit_form_queries_do_not_grow(measure, staff_client, building_18):
    household = building_18.households["2-301"]
    url = reverse("visits:visit_create")
    # ... + does the household have care records open (their form is not kept offline)
    measure(staff_client, url, BASE + 11, data={"household": household.pk})


def test_campaign_list_queries_do_not_grow(measure, staff_client):
    measure(staff_client, reverse("visits:campaign_list"), BASE + 2)


def test_campaign_page_queries_do_not_grow(measure, staff_client, campaign, register, staff_user):
    visit = Visit.objects.create(
        household=register.household_a1, purpose=Purpose.OPINION, campaign=campaign
    )
    visit.visitors.add(staff_user)
    response = measure(staff_client, reverse("visits:campaign", args=[campaign.pk]), BASE + 8)
    assert response.context["progress"].visits == GROWTH * 3 + 1


def test_care_list_queries_do_not_grow(measure, staff_client):
    measure(staff_client, reverse("visits:care_list"), BASE + 2)
    measure_due = reverse("visits:care_list") + "?due=1"
    assert staff_client.get(measure_due).status_code == 200


def test_care_page_queries_do_not_grow(measure, staff_client, care):
    measure(staff_client, reverse("visits:care", args=[care.pk]), BASE + 4)


def test_dashboard_queries_do_not_grow(measure, staff_client):
    # BASE + the compounds + one query per figure and the active projects (8 in all) + the
    # owners' committees' terms ending and filings overdue (one query)
    response = measure(staff_client, reverse("dashboard"), BASE + 9)
    assert response.content.decode().count("filing overdue") >= GROWTH // 8


def test_dashboard_of_a_member_queries_do_not_grow(measure, member_client):
    measure(member_client, reverse("dashboard"), BASE + 9)
