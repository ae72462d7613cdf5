"""A request's recorded changes, and the raiser's phone shown in full, logged."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from committees import request_services as services
from jinzang.names import person_name
from residents.models import PersonalDataReveal

pytestmark = pytest.mark.django_db


def test_staff_see_who_changed_the_request(staff_client, staff_user, req):
    services.request_accept(request=req, by=staff_user)
    response = staff_client.get(req.get_absolute_url())
    history = response.content.decode().split('<section class="history-section">')[1]
    assert "changed" in history and "status" in history and "accepted at" in history
    assert person_name(staff_user) in history


def test_steps_keep_a_history_of_their_own(staff_user, req):
    services.request_accept(request=req, by=staff_user)
    assert req.steps.count() == 2
    assert {h.history_type for s in req.steps.all() for h in s.history.all()} == {"+"}


def test_committee_members_see_no_changes_and_no_full_phone(member_client, req, register):
    response = member_client.get(req.get_absolute_url())
    assert response.status_code == 200
    assertNotContains(response, '<section class="history-section">')
    assertNotContains(response, register.resident_a1.phone)
    assert not PersonalDataReveal.objects.exists()


def test_the_raisers_full_phone_shown_to_staff_is_logged(staff_client, staff_user, req, register):
    response = staff_client.get(req.get_absolute_url())
    assertContains(response, register.resident_a1.phone)
    reveal = PersonalDataReveal.objects.get()
    assert (reveal.user, reveal.resident, reveal.fields) == (
        staff_user,
        register.resident_a1,
        "phone",
    )
    assert reveal.path == reverse("requests:detail", args=[req.pk])
