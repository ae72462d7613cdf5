"""A create form sent twice (a double tap, a reload after a slow answer) creates one object:
the second send is told and goes where the first went."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from jinzang.models import SubmittedForm
from meetings.models import Meeting, Visit
from residents.models import Household
from tests.meetings.conftest import meeting_bodies  # noqa: F401, F811 (a fixture)
from tests.projects.test_concurrency import run_together
from tests.visits.conftest import days_ago

pytestmark = pytest.mark.django_db


def visit_url(household):
    return f"{reverse('visits:visit_create')}?household={household.pk}"


def visit_data(**changes):
    return {
        "visited_on": days_ago(1).isoformat(),
        "purpose": "opinion",
        "outcome": "met",
        "notes": "反映停车难。",
        **changes,
    }


def token_of(response):
    return response.context["form"].initial["once"]


def test_the_form_carries_a_fresh_token_without_asking_the_database(staff_client, register):
    first = token_of(staff_client.get(visit_url(register.household_a1)))
    second = token_of(staff_client.get(visit_url(register.household_a1)))
    assert len(first) == 32 and first != second
    assert not SubmittedForm.objects.exists()


def test_a_form_sent_twice_creates_one_visit_and_the_second_send_is_told(staff_client, register):
    url = visit_url(register.household_a1)
    token = token_of(staff_client.get(url))
    first = staff_client.post(url, visit_data(once=token))
    assert first.status_code == 302
    second = staff_client.post(url, visit_data(once=token), follow=True)
    assert Visit.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "already been sent" in second.content.decode()


def test_a_refused_form_can_be_corrected_and_sent_again_with_its_token(staff_client, register):
    url = visit_url(register.household_a1)
    token = token_of(staff_client.get(url))
    refused = staff_client.post(url, visit_data(once=token, visited_on="2024-02-30"))
    assert refused.status_code == 200
    assert not SubmittedForm.objects.exists()
    assert staff_client.post(url, visit_data(once=token)).status_code == 302
    assert Visit.objects.count() == 1


def test_a_household_created_twice_from_one_page_is_created_once(staff_client, register):
    url = reverse("residents:household_create", args=[register.unit_a1.pk])
    token = token_of(staff_client.get(url))
    data = {"door_number": "901", "area": "66.60", "occupancy": "owner", "once": token}
    assert staff_client.post(url, data).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    assert Household.objects.filter(door_number="901").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite cannot run two writing connections in a test",
)
def test_two_sends_racing_each_other_create_one_meeting(meeting_bodies, monkeypatch):  # noqa: F811
    """Both sends arrive together; each claims the token in its own transaction. The second
    waits at the token's unique index until the first commits, then is refused."""
    user = meeting_bodies.qingfeng_1_user
    url = reverse("meetings:meeting_create")
    client = Client()
    client.force_login(user)
    token = token_of(client.get(url))
    data = {
        "body": meeting_bodies.qingfeng_1.pk,
        "kind": "work",
        "title": "铸铁管改造工作例会",
        "starts_at": "2022-11-18T09:00",
        "place": "庆丰业委会办公室",
        "status": "held",
        "once": token,
    }
    save = Meeting.save

    def slow(self, *args, **kwargs):
        time.sleep(0.3)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Meeting, "save", slow)

    def send():
        c = Client()
        c.force_login(user)
        return c.post(url, data).status_code

    outcomes = run_together(send, send)
    assert outcomes == [302, 302]
    assert Meeting.objects.filter(title="铸铁管改造工作例会").count() == 1
