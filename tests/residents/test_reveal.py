"""The minimum necessary: a resident's full phone and ID number are masked on every page,
staff included, until a staff member asks for them with a reason (a POST, logged); the edit
form keeps the stored numbers without showing them."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from residents.models import PersonalDataReveal, Resident
from tests.factories import AccessGrantFactory, MembershipFactory, ResidentFactory, stored
from tests.residents.test_views import history_section

pytestmark = pytest.mark.django_db


def page_of(resident):
    return reverse("residents:resident", args=[resident.pk])


def reveal_url(resident):
    return reverse("residents:resident_reveal", args=[resident.pk])


def edit_url(resident):
    return reverse("residents:resident_edit", args=[resident.pk])


# Opening a page shows and logs nothing


def test_staff_opening_a_resident_page_see_the_numbers_masked_and_nothing_is_logged(
    staff_client, register
):
    resident = register.resident_a1
    response = staff_client.get(page_of(resident))
    assertContains(response, "138****5678")
    assertContains(response, resident.masked_id_number)
    assertNotContains(response, "13812345678")
    assertNotContains(response, resident.id_number)
    assert not PersonalDataReveal.objects.exists()


def test_staff_are_offered_one_button_per_reason_to_show_the_numbers(staff_client, register):
    response = staff_client.get(page_of(register.resident_a1))
    assertContains(response, f'action="{reveal_url(register.resident_a1)}"')
    assertContains(response, f'hx-post="{reveal_url(register.resident_a1)}"')
    for value, label in PersonalDataReveal.Reason.choices:
        assertContains(response, f'name="reason" value="{value}"')
        assertContains(response, label)


def test_the_admin_also_sees_the_numbers_masked_until_asked(admin_client, register):
    response = admin_client.get(page_of(register.resident_b))
    assertContains(response, "137****1111")
    assertNotContains(response, "13700001111")
    assertContains(response, 'name="reason"')
    assert not PersonalDataReveal.objects.exists()


def test_committee_members_are_not_offered_the_numbers(member_client, register):
    response = member_client.get(page_of(register.resident_a1))
    assertContains(response, "138****5678")
    assertNotContains(response, 'name="reason"')
    assertContains(response, "Phone and ID numbers are masked")


def test_a_resident_without_numbers_offers_nothing_to_show(staff_client, register):
    resident = ResidentFactory(phone="", id_number="")
    MembershipFactory(resident=resident, household=register.household_a1)
    assertNotContains(staff_client.get(page_of(resident)), 'name="reason"')


# Asking for them


def test_asking_with_a_reason_shows_the_numbers_and_logs_the_reason(
    staff_client, staff_user, register
):
    resident = register.resident_a1
    response = staff_client.post(reveal_url(resident), {"reason": "contact"})
    assert response.status_code == 200
    assertContains(response, "13812345678")
    assertContains(response, resident.id_number)
    assertContains(response, "<h1>李华玉", html=False)  # the page, without JavaScript
    reveal = PersonalDataReveal.objects.get()
    assert (reveal.user, reveal.resident, reveal.fields, reveal.reason, reveal.path) == (
        staff_user,
        resident,
        "phone,id_number",
        PersonalDataReveal.Reason.CONTACT,
        reveal_url(resident),
    )
    # The log on the page names the showing and its reason.
    log = response.content.decode().split('<section class="reveals" id="reveals">')[1]
    assert "To contact the resident" in log


def test_htmx_gets_the_revealed_numbers_and_the_log_alone(staff_client, register):
    resident = register.resident_a1
    response = staff_client.post(
        reveal_url(resident), {"reason": "identity"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="numbers"')
    assert "13812345678" in body and resident.id_number in body
    assert "<html" not in body and 'name="reason"' not in body
    assert PersonalDataReveal.objects.get().reason == "identity"
    # The log below the numbers is swapped in too, this showing included.
    log = body.split('<section class="reveals" id="reveals" hx-swap-oob="true">')[1]
    assert "To verify their identity" in log and "Nobody yet." not in log


def test_an_empty_log_is_said_in_words_not_as_a_numbered_item(staff_client, register):
    response = staff_client.get(page_of(register.resident_a1))
    log = response.content.decode().split('<section class="reveals"')[1]
    assert "Nobody yet." in log
    assert "<li" not in log.split("</section>")[0]


@pytest.mark.parametrize("reason", ["", "curiosity"])
def test_asking_without_a_known_reason_shows_and_logs_nothing(staff_client, register, reason):
    response = staff_client.post(reveal_url(register.resident_a1), {"reason": reason})
    assert response.status_code == 200
    assertContains(response, "Say why you need the full numbers.")
    assertNotContains(response, "13812345678")
    assert not PersonalDataReveal.objects.exists()


def test_a_get_of_the_showing_shows_and_logs_nothing(staff_client, register):
    response = staff_client.get(reveal_url(register.resident_a1), {"reason": "contact"})
    assert response.status_code == 405
    assert not PersonalDataReveal.objects.exists()


def test_a_committee_member_may_not_ask(member_client, register):
    response = member_client.post(reveal_url(register.resident_a1), {"reason": "contact"})
    assert response.status_code == 403
    assert "13812345678" not in response.content.decode()
    assert not PersonalDataReveal.objects.exists()


def test_staff_of_another_community_get_not_found(staff_client, register):
    response = staff_client.post(reveal_url(register.resident_b), {"reason": "contact"})
    assert response.status_code == 404
    assert not PersonalDataReveal.objects.exists()


def test_staff_elsewhere_on_a_compound_committee_may_not_ask(register, log_in):
    # Staff of community B sitting on compound A's committee see 李华玉 masked, as a member.
    user = AccessGrantFactory(staff=True, community=register.community_b).user
    AccessGrantFactory(user=user, compound=register.compound_a)
    response = log_in(user).post(reveal_url(register.resident_a1), {"reason": "contact"})
    assert response.status_code == 403
    assert not PersonalDataReveal.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, register):
    response = client.post(reveal_url(register.resident_a1), {"reason": "contact"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not PersonalDataReveal.objects.exists()


def test_asking_needs_the_csrf_token(staff_user, register):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reveal_url(register.resident_a1), {"reason": "contact"})
    assert response.status_code == 403
    assert not PersonalDataReveal.objects.exists()


# The edit form keeps what is stored without showing it


def test_the_edit_form_shows_no_stored_number_and_logs_nothing(staff_client, register):
    resident = register.resident_a1
    response = staff_client.get(edit_url(resident))
    assertNotContains(response, "13812345678")
    assertNotContains(response, resident.id_number)
    assertContains(response, 'placeholder="138****5678"')
    assertContains(response, "Leave empty to keep the stored number")
    assertContains(response, 'name="clear_phone"')
    assertContains(response, 'name="clear_id_number"')
    assert not PersonalDataReveal.objects.exists()


def form_data(resident, **changes):
    """What the edit form sends as it comes: the number fields empty."""
    data = {
        "name": resident.name,
        "gender": resident.gender,
        "birth_year": resident.birth_year or "",
        "phone": "",
        "id_number": "",
        "care_notes": resident.care_notes,
    }
    if resident.is_party_member:
        data["is_party_member"] = "on"
    return data | changes


def test_an_empty_number_field_keeps_the_stored_number(staff_client, register):
    resident = register.resident_a1
    before = (resident.phone, resident.id_number)
    response = staff_client.post(edit_url(resident), form_data(resident, birth_year="1962"))
    assertRedirects(response, page_of(resident))
    resident.refresh_from_db()
    assert (resident.phone, resident.id_number) == before
    latest = resident.history.first()
    assert (latest.phone, latest.id_number) == before


def test_a_number_typed_replaces_the_stored_one(staff_client, register):
    resident = register.resident_a1
    response = staff_client.post(edit_url(resident), form_data(resident, phone="139 0000 1111"))
    assertRedirects(response, page_of(resident))
    resident.refresh_from_db()
    assert resident.phone == "13900001111"
    assert resident.id_number  # kept


def test_the_checkbox_removes_a_stored_number(staff_client, register):
    resident = register.resident_a1
    staff_client.post(edit_url(resident), form_data(resident, clear_id_number="on"))
    resident.refresh_from_db()
    assert (resident.phone, resident.id_number) == ("13812345678", "")


def test_typing_a_number_and_removing_it_is_refused(staff_client, register):
    resident = register.resident_a1
    response = staff_client.post(
        edit_url(resident), form_data(resident, phone="13900001111", clear_phone="on")
    )
    assertContains(response, "Either type a new number or remove the stored one, not both.")
    resident.refresh_from_db()
    assert resident.phone == "13812345678"


def test_a_kept_id_number_still_checks_the_year_of_birth(staff_client, register):
    resident = register.resident_a1
    response = staff_client.post(edit_url(resident), form_data(resident, birth_year="1970"))
    assertContains(response, "The ID number says 1962; the year of birth says 1970.")
    assert stored(resident).birth_year == 1962


def test_a_kept_number_is_not_in_the_history_as_a_change(staff_client, register):
    resident = register.resident_a1
    staff_client.post(edit_url(resident), form_data(resident, birth_year="", id_number=""))
    staff_client.post(edit_url(resident), form_data(resident, care_notes="已搬去女儿家同住。"))
    changes = history_section(
        staff_client.get(reverse("residents:resident_history", args=[resident.pk]))
    )
    assert "care notes" in changes and "year of birth" in changes
    assert "mobile phone" not in changes
    assert "ID number" not in changes


def test_a_new_residents_numbers_are_typed_as_before(staff_client, register):
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    form = staff_client.get(url)
    assertNotContains(form, 'name="clear_phone"')
    staff_client.post(
        url, {"name": "王桂芝", "relation": "tenant", "phone": "13900002222", "id_number": ""}
    )
    assert Resident.objects.get(name="王桂芝").phone == "13900002222"
