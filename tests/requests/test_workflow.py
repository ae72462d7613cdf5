"""The workflow's table of steps (committees/requests/workflow.py) is what the services,
the pages and the URLs read: one row a step, nothing else to edit for a new status."""

import pytest
from django.urls import resolve, reverse

from committees.models import ResidentRequest
from committees.requests import services, workflow
from committees.requests.views import RequestStepView

Status = ResidentRequest.Status


def test_every_status_but_received_is_reached_by_exactly_one_step():
    assert sorted(step.to for step in workflow.STEPS) == sorted(
        s for s in Status.values if s != Status.RECEIVED
    )
    assert set(workflow.STEP) == {step.to for step in workflow.STEPS}


def test_every_step_has_its_page_at_its_own_url():
    for step in workflow.STEPS:
        url = reverse(step.url_name, args=[7])
        assert url == f"/requests/7/{step.name}/"
        view = resolve(url).func.view_class, resolve(url).func.view_initkwargs
        assert view == (RequestStepView, {"step": step})


def test_the_steps_writes_are_the_services():
    for step in workflow.STEPS:
        assert getattr(services, step.write.__name__) is step.write


def test_the_next_steps_follow_the_table_in_workflow_order():
    names = {status: [s.name for s in workflow.next_steps(status)] for status in Status.values}
    assert names == {
        Status.RECEIVED: ["accept", "close"],
        Status.ACCEPTED: ["start", "resolve", "close"],
        Status.IN_PROGRESS: ["resolve", "close"],
        Status.RESOLVED: ["confirm"],
        Status.CONFIRMED: [],
        Status.CLOSED: [],
    }


@pytest.mark.django_db
def test_a_step_records_its_time_in_the_field_the_table_names(staff_user, req):
    req = services.request_accept(request=req, by=staff_user)
    assert req.accepted_at is not None
    req = services.request_start(request=req, by=staff_user)
    assert (req.resolved_at, req.confirmed_at, req.closed_at) == (None, None, None)
