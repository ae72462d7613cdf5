"""The dashboard's figures: right, per compound, and only over the user's part."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import (
    Fund,
    FundEntry,
    ServiceActivity,
    ServiceHours,
    Volunteer,
    VolunteerTeam,
)
from jinzang.charts import bar_chart
from meetings.dashboard.figures import dashboard, month_starts
from meetings.models import Meeting, Purpose, Visit
from tests.meetings.factories import at
from tests.requests.factories import ResidentRequestFactory

pytestmark = pytest.mark.django_db


def figures(user):
    return {f.key: f for f in dashboard(user)["figures"]}


@pytest.fixture
def activity(register, project_bodies, category, staff_user):
    """This month, compound A: two open requests (one overdue), one visit and one meeting;
    compound B: one open request and one visit."""
    now = timezone.now()
    ResidentRequestFactory(compound=register.compound_a, category=category)
    ResidentRequestFactory(
        compound=register.compound_a,
        category=category,
        received_at=now - datetime.timedelta(days=3),  # not accepted within 24 hours
    )
    ResidentRequestFactory(compound=register.compound_b, category=category)
    Visit.objects.create(household=register.household_a2, purpose=Purpose.SURVEY)
    Visit.objects.create(household=register.household_b, purpose=Purpose.SURVEY)
    today = timezone.localdate()
    Meeting.objects.create(
        body=project_bodies.qingfeng_1,
        title="例会",
        starts_at=at(today.year, today.month, today.day, 0, 5),
        place="办公室",
        status=Meeting.Status.HELD,
    )


def test_staff_see_their_communitys_figures(staff_user, activity, register):
    f = figures(staff_user)
    assert f["requests"].total == 2
    assert "1" in f["requests"].detail
    assert f["visits"].total == 1
    assert f["meetings"].total == 1
    assert f["requests"].per_compound == {register.compound_a.pk: "2 / 1"}


def test_a_courtyard_member_sees_their_courtyard_only(courtyard_member, activity):
    f = figures(courtyard_member)
    assert f["visits"].total == 0  # the visit was to courtyard A2
    assert f["requests"].total == 0  # requests of compound A without a building


def test_an_administrator_sees_every_community(admin_user, activity, register):
    f = figures(admin_user)
    assert f["requests"].total == 3
    assert f["visits"].per_compound == {register.compound_a.pk: 1, register.compound_b.pk: 1}


def test_active_projects_show_households_agreeing(staff_user, pipes):
    (progress,) = dashboard(staff_user)["projects"]
    assert progress.project == pipes
    assert (progress.agree, progress.households) == (2, 8)


def test_care_visits_count_for_staff_but_are_never_shown_to_members(
    staff_user, member_a, care, register
):
    before = figures(staff_user)["visits"].total  # the fixture's visit, if this month
    Visit.objects.create(household=register.household_a1, purpose=Purpose.CARE, care_record=care)
    assert figures(staff_user)["visits"].total == before + 1
    assert figures(member_a)["visits"].total == 0


def test_the_page_shows_the_figures_with_charts_and_drill_down_links(staff_client, activity):
    response = staff_client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 5
    assert reverse("requests:list") in page
    assert f"{reverse('visits:visit_list')}?since={timezone.localdate():%Y-%m}-01" in page


def test_month_starts_run_back_a_year_across_new_year():
    starts = month_starts(datetime.date(2026, 1, 15))
    assert starts[0] == datetime.date(2025, 2, 1)
    assert starts[-1] == datetime.date(2026, 1, 1)
    assert len(starts) == 12


def test_bar_chart_scales_the_tallest_bar_to_the_height():
    chart = bar_chart([("a", 0), ("b", 5), ("c", 10)], caption="x", width=300, height=80)
    heights = [b.height for b in chart.bars]
    assert heights[0] == 0 and heights[2] == chart.baseline - 4
    assert heights[1] == pytest.approx(heights[2] / 2)
    assert chart.total == 15
    assert bar_chart([], caption="empty").bars == []


@pytest.fixture
def money_and_hours(register, staff_user):
    """Compound A: a fund of 30,000.00 in, 1,234.56 out; compound B: 500.00 in.
    This year: 2.5 + 1.5 hours in compound A and 4 hours community-wide (community A);
    last year's 10 hours do not count."""
    fund_a = Fund.objects.create(compound=register.compound_a, name="庆丰小区公共收益")
    fund_b = Fund.objects.create(compound=register.compound_b, name="黔灵小区维修金")
    today = timezone.localdate()
    for fund, kind, category, amount in (
        (fund_a, "income", "grant", "30000.00"),
        (fund_a, "expense", "repairs", "234.56"),
        (fund_a, "expense", "greening", "1000.00"),
        (fund_b, "income", "fees", "500.00"),
    ):
        FundEntry.objects.create(
            fund=fund,
            kind=kind,
            category=category,
            amount=Decimal(amount),
            date=today,
            description="测试",
        )
    team = VolunteerTeam.objects.create(community=register.community_a, name="志愿讲师队")
    volunteer = Volunteer.objects.create(team=team, name="陈丽萍", is_party_member=True)
    for day, compound, hours in (
        (today, register.compound_a, "2.5"),
        (today, register.compound_a, "1.5"),
        (today, None, "4"),
        (today.replace(year=today.year - 1), register.compound_a, "10"),
    ):
        activity = ServiceActivity.objects.create(
            team=team, date=day, place="社区活动室", description="讲座", compound=compound
        )
        ServiceHours.objects.create(activity=activity, volunteer=volunteer, hours=Decimal(hours))


def test_fund_balances_reconcile_to_the_entries_in_the_users_part(
    staff_user, admin_user, money_and_hours, register
):
    f = figures(staff_user)["funds"]
    assert f.total == Decimal("28765.44")
    assert f.per_compound == {register.compound_a.pk: Decimal("28765.44")}
    assert figures(admin_user)["funds"].total == Decimal("29265.44")


def test_volunteer_hours_of_this_year_per_compound(staff_user, money_and_hours, register):
    f = figures(staff_user)["volunteers"]
    assert f.total == Decimal("8.0")
    assert f.per_compound == {register.compound_a.pk: Decimal("4.0"), None: Decimal("4.0")}


def test_money_is_shown_in_yuan_with_two_places(staff_client, money_and_hours):
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert "¥28,765.44" in page


def test_a_few_bars_are_each_named_with_the_value_as_said():
    chart = bar_chart(
        [("百腊井小区", 5, "¥5.00"), ("庆丰小区", 10, "¥10.00"), ("黔灵小区", 0, "¥-3.00")],
        caption="x",
    )
    assert [(b.label, b.shown) for b in chart.legend] == [
        ("百腊井小区", "¥5.00"),
        ("庆丰小区", "¥10.00"),
        ("黔灵小区", "¥-3.00"),
    ]
    months = bar_chart([(f"{m}月", m) for m in range(1, 13)], caption="y")
    assert months.legend == [] and months.bars[0].shown == "1"


def test_the_dashboard_names_its_units_and_the_request_pair(staff_client):
    page = staff_client.get(reverse("dashboard")).content.decode()
    # on a phone each cell carries its column's name: the "9 / 4" pair says what it counts
    assert 'data-label="Open requests (open / overdue)"' in page
    assert " h</p>" in page  # volunteer hours carry their unit
