"""No form tells whether a number is on the register to someone who may not see it (issue 17,
findings 1 and 9).

A committee member sees residents' phones masked (153****1541): a form that answered which of
the 10,000 values of the four hidden digits belongs to a resident would give the full number
back. Staff of one community may not learn from the ID number check whether a number is
registered in another community.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from committees.models import ResidentRequest, VolunteerTeam, Whistle, WhistleResponder
from committees.requests import services
from residents.models import Resident
from residents.privacy.services import ELSEWHERE_PER_DAY
from residents.validators import mask_phone
from tests.conftest import FIXED_REGION, logged_in
from tests.factories import AccessGrantFactory, MembershipFactory, ResidentFactory, id_number
from tests.imports.sheets import csv_file
from tests.requests.factories import RequestCategoryFactory

pytestmark = pytest.mark.django_db

HIDDEN = "15302171541"
# The loop of finding 1, bounded: the hidden number is among the tries.
TRIES = [f"153{n:04d}1541" for n in range(300)]
UNUSED_PHONE = "13600000000"
UNUSED_ID = id_number(1980, 9, region=FIXED_REGION)
NEUTRAL = "This ID number cannot be registered here; ask the administrator."

TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
# times of the moment (a change in the request's history), not the times posted
NOW = re.compile(r'<time datetime="[^"]*\.[0-9]+[^"]*">[^<]*</time>')


def seen(response, *typed):
    """What a response tells: its status, where it leads and its page, less the CSRF token, the
    time it was made and what the user typed, as typed or masked (a form shows it back, a
    request keeps it)."""
    text = NOW.sub("<time>…</time>", TOKENS.sub(r"\1…", response.content.decode()))
    location = response.get("Location", "")
    for value in typed:
        for shown in filter(None, (value, len(value) >= 7 and mask_phone(value))):
            text = text.replace(shown, "…")
            location = location.replace(shown, "…")
    return response.status_code, location, text


def outcome(client, response, *typed):
    """What a post tells, following a redirect to the request it made (whose number is left
    out, as it differs every time)."""
    if response.status_code != 302:
        return seen(response, *typed)
    location = response["Location"]
    return 302, *seen(client.get(location), *typed, location)[1:]


@pytest.fixture
def hidden(register):
    """A party member of courtyard A1, whose phone the courtyard's chair sees as 153****1541."""
    resident = ResidentFactory(name="周桂英", phone=HIDDEN, is_party_member=True)
    MembershipFactory(resident=resident, household=register.household_a1)
    return resident


@pytest.fixture
def category(db):
    return RequestCategoryFactory(name="道路设施")


@pytest.fixture
def chair(bodies):
    """The chair of 庆丰一号院业主委员会, as in the finding."""
    return logged_in(bodies.qingfeng_1_user)


def received(register, category, phone, title=""):
    return {
        "community": register.community_a.pk,
        "category": category.pk,
        "title": title,
        "compound": register.compound_a.pk,
        "building": register.building_a1.pk,
        "door_number": "301",
        "raiser_phone": phone,  # the field the attack posted
        "callback_phone": phone,
        "received_through": "phone",
        "received_at": "2026-01-05T09:30",
    }


# Finding 1: the receive-a-request form


def test_the_chair_sees_the_residents_phone_masked(chair, hidden):
    response = chair.get(reverse("residents:resident", args=[hidden.pk]))
    assertContains(response, "153****1541")
    assertNotContains(response, HIDDEN)


def test_trying_the_hidden_digits_on_the_receive_form_learns_nothing(
    chair, register, category, hidden
):
    url = reverse("requests:receive")
    answers = {seen(chair.post(url, received(register, category, phone)), phone) for phone in TRIES}
    assert len(answers) == 1
    status, _location, page = answers.pop()
    assert status == 200
    assert "This field is required." in page
    assert not ResidentRequest.objects.exists()


def test_receiving_a_request_with_each_try_learns_nothing_either(chair, register, category, hidden):
    url = reverse("requests:receive")
    tries = sorted({HIDDEN, *TRIES[::3]})  # each one makes a request: a third of them will do
    # the number is shown masked, alike for all the tries: only its hidden digits differ
    answers = {
        outcome(chair, chair.post(url, received(register, category, phone, "楼道灯坏了")))
        for phone in tries
    }
    assert len(answers) == 1
    status, _location, page = answers.pop()
    assert status == 302
    assert "153****1541" in page and HIDDEN not in page
    # every number is kept as given, none of them ties the request to a resident
    requests = ResidentRequest.objects.all()
    assert sorted(requests.values_list("callback_phone", flat=True)) == tries
    assert not requests.filter(raised_by__isnull=False).exists()


@pytest.mark.parametrize("title", ["", "井盖松动"], ids=["refused", "received"])
def test_a_residents_number_gets_the_answer_a_number_of_nobody_gets(
    chair, register, category, hidden, title
):
    url = reverse("requests:receive")
    numbers = [
        HIDDEN,  # in the chair's courtyard, masked to the chair
        register.resident_a2.phone,  # the compound's other courtyard
        register.resident_b.phone,  # another community
        UNUSED_PHONE,
    ]
    answers = {
        outcome(chair, chair.post(url, received(register, category, n, title)), n) for n in numbers
    }
    assert len(answers) == 1


def test_staff_get_the_same_answer_for_a_number_of_another_community_as_for_none(
    staff_client, register, category
):
    url = reverse("requests:receive")
    numbers = [register.resident_b.phone, UNUSED_PHONE]
    answers = {
        outcome(staff_client, staff_client.post(url, received(register, category, n, "井盖")), n)
        for n in numbers
    }
    assert len(answers) == 1


# Finding 1: the whistle form


@pytest.fixture
def accepted(bodies, register, category, staff_user):
    req = services.request_receive(
        community=register.community_a,
        category=category,
        title="楼道灯坏了",
        received_through=ResidentRequest.Channel.VISIT,
        recorded_by=staff_user,
        household=register.household_a1,
        raised_by=register.resident_a1,
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    return services.request_accept(request=req, by=staff_user)


def test_trying_numbers_on_the_whistle_form_learns_nothing(chair, accepted, hidden):
    url = reverse("requests:whistle", args=[accepted.pk])
    answers = {
        seen(chair.post(url, {"level": "branch", "party_member_phones": phone}), phone)
        for phone in TRIES
    }
    assert len(answers) == 1
    assert not Whistle.objects.exists()


def test_the_whistle_offers_party_members_only_to_those_who_may_see_party_membership(
    chair, accepted, hidden, register
):
    # Party membership is personal information shown to the community's staff only (issue
    # 23): a committee member's whistle form lists no party members, and a forged choice
    # calls nobody, whoever it names: in the chair's part, outside it, or no one.
    register.resident_b.is_party_member = True
    register.resident_b.save()
    page = chair.get(accepted.get_absolute_url())
    assertNotContains(page, 'name="party_members"')
    assertNotContains(page, HIDDEN)

    url = reverse("requests:whistle", args=[accepted.pk])
    outside, nobody = register.resident_b.pk, Resident.objects.order_by("pk").last().pk + 1
    statuses = set()
    for pk in (hidden.pk, outside, nobody):
        with transaction.atomic():
            statuses.add(chair.post(url, {"level": "branch", "party_members": [pk]}).status_code)
            assert not WhistleResponder.objects.filter(resident__isnull=False).exists()
            transaction.set_rollback(True)
    assert len(statuses) == 1  # the same answer, whoever is named


# Finding 1: the volunteer form, the one lookup by phone left (staff only)


def test_the_volunteer_form_finds_by_phone_only_residents_whose_phone_the_user_may_see(
    staff_client, staff_user, register
):
    # A seat on a committee of another community shows its residents, not their phones.
    AccessGrantFactory(user=staff_user, compound=register.compound_b)
    team = VolunteerTeam.objects.create(community=register.community_a, name="志愿讲师队")
    url = reverse("volunteers:volunteer_add", args=[team.pk])
    today = timezone.localdate().isoformat()
    answers = {
        seen(staff_client.post(url, {"phone": n, "joined": today}), n)
        for n in (register.resident_b.phone, UNUSED_PHONE)
    }
    assert len(answers) == 1
    assert not team.volunteers.exists()
    response = staff_client.post(url, {"phone": register.resident_a2.phone, "joined": today})
    assert response.status_code == 302
    assert team.volunteers.get().resident == register.resident_a2


# Finding 9: the ID number check


def new_resident(number):
    return {"name": "王桂芝", "relation": "owner", "id_number": number}


def test_an_id_number_held_in_another_community_is_refused_naming_nothing(
    staff_client, register, caplog
):
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    response = staff_client.post(url, new_resident(register.resident_b.id_number))
    assertContains(response, NEUTRAL)
    for told in ["Another resident", "outside", "赵湘黔", "黔灵"]:
        assertNotContains(response, told)
    assert Resident.objects.filter(id_number=register.resident_b.id_number).count() == 1
    assert f"resident #{register.resident_b.pk}" in caplog.text


def test_an_id_number_of_the_users_own_part_is_named_a_duplicate(staff_client, register):
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    response = staff_client.post(url, new_resident(register.resident_a2.id_number))
    assertContains(response, "Another resident is registered with this ID number.")


def test_past_a_few_refusals_a_day_a_held_and_an_unused_id_number_get_the_same_answer(
    staff_client, register
):
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    held = register.resident_b.id_number
    for _ in range(ELSEWHERE_PER_DAY):
        staff_client.post(url, new_resident(held))
    answers = {seen(staff_client.post(url, new_resident(n)), n) for n in (held, UNUSED_ID)}
    assert len(answers) == 1
    assert NEUTRAL in answers.pop()[2]
    assert not Resident.objects.filter(id_number=UNUSED_ID).exists()
    # what the user may see is still answered, and a resident keeps their own number
    response = staff_client.post(url, new_resident(register.resident_a2.id_number))
    assertContains(response, "Another resident is registered with this ID number.")
    resident = register.resident_a1
    response = staff_client.post(
        reverse("residents:resident_edit", args=[resident.pk]),
        {"name": "李华玉", "birth_year": "1962", "id_number": resident.id_number},
    )
    assert response.status_code == 302


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


HEADER = ["小区", "楼栋", "单元", "门牌号", "专有面积", "姓名", "与户关系", "身份证号"]


def import_preview(client, *numbers):
    """The dry run of a sheet adding a resident to a new household of courtyard A1 for each
    number: (the rows' messages, the page)."""
    rows = [
        ["庆丰小区", "18", "2", str(401 + i), "60", f"王{i}", "业主", number]
        for i, number in enumerate(numbers)
    ]
    response = client.post(reverse("residents:import"), {"file": csv_file([HEADER, *rows])})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    return [row[5] for row in page.context["rows"]], page


def test_the_import_refuses_an_id_number_held_in_another_community_naming_nothing(
    media, staff_client, register
):
    messages, page = import_preview(staff_client, register.resident_b.id_number, UNUSED_ID)
    assert messages[0] == NEUTRAL
    assert "new resident" in messages[1]
    for told in ["outside", "赵湘黔", "黔灵"]:
        assertNotContains(page, told)


def test_past_a_few_refusals_a_day_the_import_answers_alike_for_held_and_unused_numbers(
    media, staff_client, register
):
    for _ in range(ELSEWHERE_PER_DAY):
        import_preview(staff_client, register.resident_b.id_number)
    messages, _page = import_preview(staff_client, register.resident_b.id_number, UNUSED_ID)
    assert messages == [NEUTRAL, NEUTRAL]


def test_staff_who_may_also_see_a_compound_of_another_community_learn_nothing_of_its_numbers(
    media, staff_client, staff_user, register
):
    # A seat on a committee of another community shows its residents, not their numbers.
    AccessGrantFactory(user=staff_user, compound=register.compound_b)
    messages, _page = import_preview(staff_client, register.resident_b.id_number)
    assert messages == [NEUTRAL]
    url = reverse("residents:resident_create", args=[register.household_a1.pk])
    response = staff_client.post(url, new_resident(register.resident_b.id_number))
    assertContains(response, NEUTRAL)
    assert not register.resident_b.memberships.filter(household=register.household_a1).exists()
