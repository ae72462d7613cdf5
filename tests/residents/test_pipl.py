"""A resident's access and erasure requests under the Personal Information Protection Law."""

import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from residents.models import (
    CareRecord,
    ErasureRecord,
    Household,
    Membership,
    PersonalDataReveal,
    Resident,
)
from residents.owners.services import owner_roll_freeze
from tests.factories import MembershipFactory, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def cared(register, staff_user):
    resident = register.resident_a1
    resident.care_notes = "独居，患高血压"
    resident._history_user = staff_user
    resident.save()
    return CareRecord.objects.create(
        community=register.community_a,
        resident=resident,
        household=register.household_a1,
        circumstance=CareRecord.Circumstance.ELDERLY_ALONE,
        needs="每周送药",
    )


def export(client, resident):
    return client.get(reverse("residents:resident_export", args=[resident.pk]))


def test_staff_export_everything_held_on_a_resident(staff_client, register, cared):
    resident = register.resident_a1
    response = export(staff_client, resident)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="resident-{resident.pk}.json"'
    data = json.loads(response.content)
    assert data["resident"]["name"] == resident.name
    assert data["resident"]["phone"] == resident.phone
    assert data["resident"]["care_notes"] == "独居，患高血压"
    assert data["exported_by"] == "liaoshuying"
    assert [m["household"] for m in data["related"]["residents.Membership"]] == [
        register.household_a1.pk
    ]
    assert data["related"]["residents.CareRecord"][0]["needs"] == "每周送药"
    assert data["households"][0]["door_number"] == register.household_a1.door_number
    assert [h["history_type"] for h in data["history"]] == ["+", "~"]
    assert data["history"][1]["history_user"] == "liaoshuying"
    assert "meetings.ConsentRecord" in data["owned_households"]


def test_the_export_is_logged_as_a_showing(staff_client, register):
    export(staff_client, register.resident_a1)
    assert PersonalDataReveal.objects.get().path.endswith("/export/")


def test_a_second_export_lists_the_first_in_the_reveal_log(staff_client, register):
    export(staff_client, register.resident_a1)
    data = json.loads(export(staff_client, register.resident_a1).content)
    assert len(data["related"]["residents.PersonalDataReveal"]) == 1


def test_committee_members_may_not_export_or_erase(member_client, register):
    resident = register.resident_a1
    assert export(member_client, resident).status_code == 403
    url = reverse("residents:resident_erase", args=[resident.pk])
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert not ErasureRecord.objects.exists()


def test_staff_of_another_community_get_not_found(log_in, register):
    from tests.factories import AccessGrantFactory, UserFactory

    other = UserFactory(username="other_staff")
    AccessGrantFactory(user=other, staff=True, community=register.community_b)
    assert export(log_in(other), register.resident_a1).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, register):
    response = export(client, register.resident_a1)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def erase(client, resident, **data):
    return client.post(reverse("residents:resident_erase", args=[resident.pk]), data)


def test_erasure_anonymises_the_record_and_its_history(staff_client, staff_user, register, cared):
    resident = register.resident_a1
    old_name, old_phone, old_id = resident.name, resident.phone, resident.id_number
    page = staff_client.get(reverse("residents:resident_erase", args=[resident.pk]))
    assertContains(page, "Erase personal data")
    response = erase(staff_client, resident, reason="本人书面申请，2024年5月3日", confirm="on")
    assertRedirects(response, reverse("residents:resident", args=[resident.pk]))
    resident.refresh_from_db()
    assert resident.name == f"Erased resident #{resident.pk}"
    assert (resident.phone, resident.id_number, resident.care_notes) == ("", "", "")
    assert resident.birth_year is None and resident.gender == "" and not resident.is_party_member
    for row in resident.history.all():
        assert row.name == resident.name
        assert (row.phone, row.id_number, row.care_notes, row.birth_year) == ("", "", "", None)
    cared.refresh_from_db()
    assert cared.needs == ""
    assert not CareRecord.history.filter(resident_id=resident.pk).exclude(needs="").exists()
    erasure = ErasureRecord.objects.get()
    assert (erasure.resident, erasure.erased_by) == (resident, staff_user)
    assert erasure.reason == "本人书面申请，2024年5月3日"
    assert erasure.history_rows >= 3
    # Nothing of the old person is left in the database's copy of the record.
    dump = json.dumps(list(Resident.history.filter(id=resident.pk).values()), default=str)
    for old in (old_name, old_phone, old_id):
        assert old not in dump


def test_erasure_keeps_memberships_and_the_history_of_who_erased(staff_client, register):
    resident = register.resident_a1
    erase(staff_client, resident, reason="本人申请", confirm="on")
    assert Membership.objects.filter(resident=resident, household=register.household_a1).exists()
    latest = resident.history.first()
    assert latest.history_user.username == "liaoshuying"
    assert latest.history_change_reason == "erased on request"


def test_erasure_needs_a_reason_and_a_confirmation(staff_client, register):
    resident = register.resident_a1
    response = erase(staff_client, resident, reason="   ", confirm="on")
    assertContains(response, "This field is required")
    response = erase(staff_client, resident, reason="本人申请")
    assertContains(response, "This field is required")
    resident.refresh_from_db()
    assert resident.phone and not ErasureRecord.objects.exists()


def test_a_resident_is_erased_once(staff_client, register):
    resident = register.resident_a1
    erase(staff_client, resident, reason="本人申请", confirm="on")
    response = erase(staff_client, resident, reason="再次申请", confirm="on")
    assertContains(response, "already been erased")
    assert ErasureRecord.objects.count() == 1


def test_other_residents_are_untouched(staff_client, register):
    erase(staff_client, register.resident_a1, reason="本人申请", confirm="on")
    other = stored(register.resident_a2)
    assert other.phone and other.id_number
    assert MembershipFactory._meta.model.objects.count() == 3


def test_erasure_clears_the_numbers_to_call_the_resident_back_on(
    staff_client, staff_user, register
):
    from committees.models import ResidentRequest
    from tests.requests.factories import ResidentRequestFactory

    resident = register.resident_a1
    theirs = ResidentRequestFactory(
        compound=register.compound_a, raised_by=resident, callback_phone="085185551234"
    )
    from_a_neighbour = ResidentRequestFactory(  # anonymous, on the resident's own phone
        compound=register.compound_a, callback_phone=resident.phone
    )
    someone_elses = ResidentRequestFactory(
        compound=register.compound_a, callback_phone="15912345678"
    )
    erase(staff_client, resident, reason="本人申请", confirm="on")
    assert stored(theirs).callback_phone == stored(from_a_neighbour).callback_phone == ""
    assert stored(someone_elses).callback_phone == "15912345678"
    kept = ResidentRequest.history.exclude(callback_phone="").values_list("callback_phone")
    assert list(kept) == [("15912345678",)]


def test_the_export_lists_the_owner_rolls_the_resident_is_on(staff_client, register):
    """A roll entry names its owners without a way back from the resident (related_name
    "+"): the export asks the roll itself, and does not fail."""
    roll = owner_roll_freeze(households=Household.objects.filter(pk=register.household_a1.pk))

    response = export(staff_client, register.resident_a1)

    assert response.status_code == 200
    rows = json.loads(response.content)["related"]["residents.OwnerRollEntry"]
    assert [(r["roll"], r["household"]) for r in rows] == [(roll.pk, register.household_a1.pk)]
