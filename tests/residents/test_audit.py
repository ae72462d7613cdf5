"""Who changed what and when, and who saw whose full phone and ID numbers."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from jinzang.history import history_changes
from jinzang.names import person_name
from residents.models import Membership, PersonalDataReveal, Resident
from tests.factories import MembershipFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def edit(obj, user, **changes):
    for field, value in changes.items():
        setattr(obj, field, value)
    obj._history_user = user
    obj.save()


# The changes helper


def test_changes_name_who_changed_which_fields_newest_first(register, staff_user):
    resident = register.resident_a1
    edit(resident, staff_user, birth_year=1950, phone="13900000001")
    edit(resident, staff_user, name="新名字")
    changes = history_changes(resident.history.all())
    assert [c["record"].history_type for c in changes] == ["~", "~", "+"]
    assert changes[0]["fields"] == ["name"]
    assert sorted(changes[1]["fields"]) == ["mobile phone", "year of birth"]
    assert changes[0]["record"].history_user == staff_user


def test_changes_of_several_objects_compare_each_with_its_own_past(register, staff_user):
    household = register.household_a1
    other = MembershipFactory(household=household, relation=Membership.Relation.FAMILY)
    edit(other, staff_user, relation=Membership.Relation.TENANT)
    edit(register.membership_a1, staff_user, relation=Membership.Relation.CO_OWNER)
    changes = history_changes(Membership.history.filter(household_id=household.pk))
    changed = [c for c in changes if c["record"].history_type == "~"]
    assert [c["fields"] for c in changed] == [["relation"], ["relation"]]
    assert {c["record"].id for c in changed} == {other.pk, register.membership_a1.pk}


def test_changes_take_two_queries_however_long_the_history(
    register, staff_user, django_assert_num_queries
):
    resident = register.resident_a1
    with django_assert_num_queries(2):
        history_changes(resident.history.all())
    for year in range(1950, 1980):
        edit(resident, staff_user, birth_year=year)
    with django_assert_num_queries(2):
        assert len(history_changes(resident.history.all(), limit=20)) == 20


# Changes on the pages


def test_staff_see_changes_to_a_household_and_its_memberships(staff_client, register, staff_user):
    edit(register.household_a1, staff_user, notes="漏水")
    edit(register.membership_a1, staff_user, relation=Membership.Relation.CO_OWNER)
    page = staff_client.get(reverse("residents:household", args=[register.household_a1.pk]))
    assertContains(page, "Changes")
    # Built when opened: the page asks for them with htmx.
    history_url = reverse("residents:household_history", args=[register.household_a1.pk])
    assertContains(page, f'hx-get="{history_url}"')
    response = staff_client.get(history_url, HTTP_HX_REQUEST="true")
    assertContains(response, "changed notes")
    assertContains(response, f"{register.resident_a1.name} (Co-owner)")
    assertContains(response, "changed relation")
    assertContains(response, person_name(staff_user))


def test_committee_members_do_not_see_the_changes(member_client, register, staff_user):
    edit(register.household_a1, staff_user, notes="漏水")
    response = member_client.get(reverse("residents:household", args=[register.household_a1.pk]))
    assert response.status_code == 200
    assertNotContains(response, "changed notes")
    history_url = reverse("residents:household_history", args=[register.household_a1.pk])
    assertNotContains(response, history_url)
    assert member_client.get(history_url).status_code == 403


# Reveals


def reveal(client, resident, reason="contact"):
    """Ask for the resident's full numbers, as the resident's page does."""
    return client.post(reverse("residents:resident_reveal", args=[resident.pk]), {"reason": reason})


def test_staff_asking_for_the_full_numbers_is_logged_with_the_reason(
    staff_client, staff_user, register
):
    resident = register.resident_a1
    url = reverse("residents:resident", args=[resident.pk])
    assertNotContains(staff_client.get(url), resident.phone)
    assert not PersonalDataReveal.objects.exists()
    response = reveal(staff_client, resident, "care")
    assertContains(response, resident.phone)
    shown = PersonalDataReveal.objects.get()
    assert (shown.user, shown.resident, shown.fields, shown.reason, shown.path) == (
        staff_user,
        resident,
        "phone,id_number",
        "care",
        reverse("residents:resident_reveal", args=[resident.pk]),
    )
    # The log is on the page itself, this showing included.
    assertContains(staff_client.get(url), "For a care visit")
    assert PersonalDataReveal.objects.count() == 1


def test_only_numbers_the_resident_has_are_logged(staff_client, register):
    Resident.objects.filter(pk=register.resident_a1.pk).update(id_number="")
    reveal(staff_client, register.resident_a1)
    assert PersonalDataReveal.objects.get().fields == "phone"


def test_a_resident_without_numbers_logs_nothing(staff_client, register):
    resident = ResidentFactory(phone="", id_number="")
    MembershipFactory(resident=resident, household=register.household_a1)
    reveal(staff_client, resident)
    assert not PersonalDataReveal.objects.exists()


def test_masked_pages_log_nothing(member_client, staff_client, register):
    response = member_client.get(reverse("residents:resident", args=[register.resident_a1.pk]))
    assertNotContains(response, register.resident_a1.phone)
    staff_client.get(reverse("residents:resident_list"))
    staff_client.get(reverse("residents:household", args=[register.household_a1.pk]))
    staff_client.get(reverse("residents:resident", args=[register.resident_a1.pk]))
    staff_client.get(reverse("residents:resident_edit", args=[register.resident_a1.pk]))
    assert not PersonalDataReveal.objects.exists()


def test_members_do_not_see_the_reveal_log(member_client, staff_client, register):
    url = reverse("residents:resident", args=[register.resident_a1.pk])
    reveal(staff_client, register.resident_a1)
    assertNotContains(member_client.get(url), "Who saw the full numbers")


def test_the_admin_change_page_is_logged(admin_client, admin_user, register):
    url = reverse("admin:residents_resident_change", args=[register.resident_a1.pk])
    assertContains(admin_client.get(url), register.resident_a1.phone)
    assert PersonalDataReveal.objects.get().user == admin_user


def test_the_reveal_log_is_read_only_in_the_admin(admin_client, admin_user, register, staff_client):
    reveal(staff_client, register.resident_a1)
    changelist = admin_client.get(reverse("admin:residents_personaldatareveal_changelist"))
    assertContains(changelist, '<td class="field-user nowrap">liaoshuying</td>')
    model_admin = site._registry[PersonalDataReveal]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_admin_history_list_shows_changed_numbers_masked(admin_client, staff_user, register):
    resident = register.resident_a1
    edit(resident, staff_user, phone="13900000001")
    url = reverse("admin:residents_resident_history", args=[resident.pk])
    response = admin_client.get(url)
    assertContains(response, "138****5678")
    assertContains(response, "139****0001")
    assertNotContains(response, "13812345678")
    assertNotContains(response, "13900000001")
    assert not PersonalDataReveal.objects.exists()


def test_an_earlier_version_in_the_admin_is_logged(admin_client, admin_user, staff_user, register):
    resident = register.resident_a1
    edit(resident, staff_user, phone="13900000001")
    first = resident.history.earliest("history_date")
    url = reverse("admin:residents_resident_simple_history", args=[resident.pk, first.pk])
    assertContains(admin_client.get(url), "13812345678")
    reveal = PersonalDataReveal.objects.get()
    assert (reveal.user, reveal.resident, reveal.fields, reveal.path) == (
        admin_user,
        resident,
        "phone,id_number",
        url,
    )


def test_exports_are_listed_with_their_counts_in_the_admin(admin_client, staff_client, register):
    staff_client.get(reverse("residents:export", args=["csv"]))
    changelist = admin_client.get(reverse("admin:residents_personaldatareveal_changelist"))
    assertContains(changelist, '<td class="field-kind">export</td>')
    assertContains(changelist, '<td class="field-resident_count">2</td>')
