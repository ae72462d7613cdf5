"""Fieldwork in a real browser: the dashboard at a desk, and a grid worker at the door who
records a visit with the household's consent answer and a problem they raised, on a phone."""

import re

import pytest
from playwright.sync_api import expect

from committees.models import ResidentRequest
from meetings.models import ConsentRecord, Visit
from tests.e2e.browser import assert_accessible, assert_focus_visible
from tests.e2e.conftest import PHONE
from tests.requests.factories import RequestCategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_read_the_dashboard_and_drill_down_to_the_visits(flow, pipes, staff_user):
    page = flow.page(user=staff_user)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_accessible(page)
    assert_focus_visible(page)
    expect(page.locator("figure.chart svg")).to_have_count(5)
    expect(page.get_by_text(re.compile(r"2 of 8 households agree"))).to_be_visible()
    flow.shot(page, "dashboard")
    page.get_by_role("link", name="Visits this month").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Door-to-door visits")
    assert_accessible(page)


def test_record_a_visit_with_an_answer_and_a_problem_at_phone_width(
    flow, pipes, building_18, staff_user
):
    RequestCategoryFactory(name="设施维修")
    household = building_18.households["4-301"]
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(household.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Record a visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    assert_accessible(page)
    page.get_by_label("Purpose").select_option("mobilisation")
    page.get_by_label("Notes").fill("愿意出资，希望修复墙面。")
    page.get_by_label("Project").select_option(str(pipes.pk))
    page.get_by_label("Answer").select_option("agree")
    page.get_by_label("Pledged amount (yuan)").fill("600")
    page.get_by_label("Kind of problem").select_option(label="设施维修")
    page.get_by_label("Problem raised").fill("楼道灯不亮")
    flow.shot(page, "form")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_role("status")).to_contain_text("Visit recorded.")
    assert_accessible(page)
    visit = Visit.objects.get()
    assert visit.consent == ConsentRecord.objects.get(project=pipes, household=household)
    assert visit.consent.answer == "agree"
    assert visit.request == ResidentRequest.objects.get(title="楼道灯不亮")
