"""Who changed a resident's record and who was shown their full numbers, on their own page
(the PIPL right to know): staff named with their role, never by username."""

import pytest
from django.urls import reverse

from residents.models import Membership
from residents.privacy.services import personal_data_export_log, personal_data_reveal
from tests.factories import AccessGrantFactory, MembershipFactory, UserFactory


@pytest.fixture
def resident_client(resident_user, log_in):
    return log_in(resident_user)


def edit(obj, by, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = by
    obj.save()


def test_the_record_names_the_staff_member_who_was_shown_the_full_numbers_and_why(
    register, staff_user, resident_client
):
    personal_data_reveal(
        user=staff_user,
        residents=[register.resident_a1],
        path=f"/residents/{register.resident_a1.pk}/reveal/",
        fields=("phone",),
        reason="contact",
    )
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "廖书英 · Neighbourhood-committee staff" in page
    assert "Was shown: mobile phone" in page
    assert "Why: To contact the resident" in page
    assert "liaoshuying" not in page  # the username
    assert "/reveal/" not in page


def test_the_record_shows_who_changed_the_record_and_the_household_and_which_fields(
    register, staff_user, member_a, resident_client
):
    edit(register.resident_a1, staff_user, phone="13812340000")
    edit(register.household_a1, member_a, area="70.00")
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "廖书英 · Neighbourhood-committee staff" in page
    assert "Your record: changed mobile phone" in page
    assert "周敏 · Committee member" in page
    assert "changed exclusive area" in page
    # What the numbers are is not the log's business: the new phone is not shown in full.
    assert "13812340000" not in page


def test_moving_in_and_out_is_on_the_record(register, staff_user, resident_client):
    membership = MembershipFactory(resident=register.resident_a1, household=register.household_a2)
    membership._history_user = staff_user
    membership.delete()
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "17 unit 3, 502: added to the register" in page
    assert "17 unit 3, 502: taken off the register" in page


def test_exports_of_full_numbers_by_the_communitys_staff_are_counted_not_claimed(
    register, staff_user, resident_client
):
    personal_data_export_log(user=staff_user, path="/register/export/csv/", resident_count=120)
    other = UserFactory(username="qianling_staff", first_name="军", last_name="钱")
    AccessGrantFactory(user=other, staff=True, community=register.community_b)
    personal_data_export_log(user=other, path="/register/export/csv/", resident_count=77)
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "mobile phone, ID number of 120 residents" in page
    assert "cannot tell whether yours were among them" in page
    assert "77 residents" not in page and "钱军" not in page


def test_a_record_with_nothing_logged_says_so(resident_client):
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "Nobody has been shown your full numbers." in page
    assert "No such list has been taken out." in page


def test_a_user_without_a_name_is_shown_by_role_only(register, resident_client):
    nameless = UserFactory(username="clerk7", first_name="", last_name="")
    AccessGrantFactory(user=nameless, staff=True, community=register.community_a)
    personal_data_reveal(user=nameless, residents=[register.resident_a1], path="/x/")
    page = resident_client.get(reverse("door:record")).content.decode()
    assert "clerk7" not in page
    assert "· Neighbourhood-committee staff</p>" in page


def test_the_record_page_reads_in_a_fixed_number_of_queries(
    register, staff_user, resident_user, log_in, django_assert_num_queries
):
    r = register
    for n in range(8):
        user = UserFactory(username=f"staff{n}")
        AccessGrantFactory(user=user, staff=True, community=r.community_a)
        personal_data_reveal(user=user, residents=[r.resident_a1], path="/x/", reason="contact")
        personal_data_export_log(user=user, path="/export/", resident_count=10 + n)
        edit(r.resident_a1, user, birth_year=1960 + n)
        edit(r.household_a1, user, area=f"{60 + n}.00")
        MembershipFactory(
            resident=r.resident_a1,
            household=MembershipFactory(relation=Membership.Relation.OWNER).household,
            relation=Membership.Relation.TENANT,
        )
    client = log_in(resident_user)
    # session, user, grants, account, households; per history (record, memberships,
    # household) the newest rows and those before them; the showings, the exports; the
    # grants of the people named.
    with django_assert_num_queries(14):
        page = client.get(reverse("door:record")).content.decode()
    assert page.count("Was shown:") == 8
    assert page.count(" residents</p>") == 8
