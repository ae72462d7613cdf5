"""A request's recorded changes, and the raiser's phone shown in full, logged."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from committees.requests import services
from jinzang.names import person_name
from residents.models import PersonalDataReveal

pytestmark = pytest.mark.django_db


def test_staff_see_who_changed_the_request(staff_client, staff_user, req):
    services.request_accept(request=req, by=staff_user)
    page = staff_client.get(req.get_absolute_url())
    # Built when opened: the page asks for them with htmx (a link without script).
    history_url = reverse("requests:history", args=[req.pk])
    assertContains(page, f'hx-get="{history_url}"')
    history = staff_client.get(history_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in history
    assert "changed" in history and "status" in history and "accepted at" in history
    assert person_name(staff_user) in history
    # Without script, the same list as a page of its own.
    assertContains(staff_client.get(history_url), "accepted at")


def test_steps_keep_a_history_of_their_own(staff_user, req):
    services.request_accept(request=req, by=staff_user)
    assert req.steps.count() == 2
    assert {h.history_type for s in req.steps.all() for h in s.history.all()} == {"+"}


def test_committee_members_see_no_changes_and_no_full_phone(member_client, req, register):
    response = member_client.get(req.get_absolute_url())
    assert response.status_code == 200
    history_url = reverse("requests:history", args=[req.pk])
    assertNotContains(response, history_url)
    assert member_client.get(history_url).status_code == 403
    assertNotContains(response, register.resident_a1.phone)
    assert not PersonalDataReveal.objects.exists()


def reveal_url(resident):
    return reverse("residents:resident_reveal", args=[resident.pk])


def test_staff_see_the_raisers_phone_masked_with_the_control_and_nothing_is_logged(
    staff_client, req, register
):
    response = staff_client.get(req.get_absolute_url())
    assertContains(response, "138****5678")
    assertNotContains(response, register.resident_a1.phone)
    assertContains(response, 'name="only" value="phone"')
    assertContains(response, f'hx-post="{reveal_url(register.resident_a1)}"')
    assertContains(response, 'name="reason" value="follow_up"')
    assert not PersonalDataReveal.objects.exists()


def test_the_raisers_phone_asked_for_comes_alone_and_is_logged(
    staff_client, staff_user, req, register
):
    resident = register.resident_a1
    response = staff_client.post(
        reveal_url(resident), {"reason": "follow_up", "only": "phone"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith('<div id="raiser-phone"')
    assert resident.phone in body and resident.id_number not in body
    reveal = PersonalDataReveal.objects.get()
    assert (reveal.user, reveal.resident, reveal.fields, reveal.reason) == (
        staff_user,
        resident,
        "phone",
        PersonalDataReveal.Reason.FOLLOW_UP,
    )


def test_committee_members_get_the_raisers_phone_masked_without_the_control(
    member_client, req, register
):
    response = member_client.get(req.get_absolute_url())
    assertContains(response, "138****5678")
    assertNotContains(response, 'name="reason"')
