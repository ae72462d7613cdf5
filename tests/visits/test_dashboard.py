"""The dashboard's figures: right, per compound, and only over the user's part."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jinzang.charts import bar_chart
from meetings.dashboard import dashboard, month_starts
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
    assert page.count("<svg") == 3
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
