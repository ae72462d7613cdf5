"""Two people taking a step on the same request from pages opened at the same version:
the second is told who moved it and to what, and no second step is recorded."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from committees.models import ResidentRequest
from committees.requests import services, workflow
from jinzang.names import person_name
from tests.conftest import logged_in
from tests.projects.test_concurrency import run_together

Status = ResidentRequest.Status


def shown_version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def test_step_forms_carry_the_version_the_page_shows(staff_client, req):
    assert shown_version(staff_client.get(req.get_absolute_url())) == str(req.version)


def test_the_second_of_two_steps_from_the_same_page_is_told_who_moved_the_request(
    bodies, staff_client, req
):
    seen = shown_version(staff_client.get(req.get_absolute_url()))
    colleague = logged_in(bodies.qingfeng_1_user)
    first = colleague.post(
        reverse("requests:accept", args=[req.pk]), {"note": "我来处理", "version": seen}
    )
    assertRedirects(first, req.get_absolute_url())

    second = staff_client.post(
        reverse("requests:close", args=[req.pk]), {"reason": "重复反映", "version": seen}
    )

    user = bodies.qingfeng_1_user
    assertContains(second, f"{person_name(user)} changed this request")
    assertContains(second, "重复反映")  # the reason typed is kept
    req.refresh_from_db()
    assert req.status == Status.ACCEPTED
    assert req.steps.filter(to_status=Status.CLOSED).count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite cannot run two writing connections in a test",
)
def test_two_steps_at_once_on_postgresql_move_the_request_once(req, staff_user, monkeypatch):
    record = workflow.record
    hold = threading.Event()

    def slow_record(*args, **kwargs):
        hold.wait(timeout=0.3)  # the first writer holds the row lock a moment
        return record(*args, **kwargs)

    monkeypatch.setattr(workflow, "record", slow_record)
    seen = req.version

    outcomes = run_together(
        lambda: services.request_accept(request=req, by=staff_user, version=seen),
        lambda: services.request_close(request=req, by=staff_user, reason="x", version=seen),
    )

    moved = [o for o in outcomes if isinstance(o, ResidentRequest)]
    assert len(moved) == 1, outcomes
    assert "changed this request" in str(next(o for o in outcomes if o not in moved))
    req.refresh_from_db()
    assert (req.status, req.version, req.steps.count()) == (moved[0].status, seen + 1, 2)
