"""No form tells whether a number is on the register to someone who may not see it (issue 17,
finding 1).

A committee member sees residents' phones masked (153****1541): a form that answered which of
the 10,000 values of the four hidden digits belongs to a resident would give the full number
back.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from committees import request_services as services
from committees.models import ResidentRequest, VolunteerTeam, Whistle
from residents.models import Resident
from residents.validators import mask_phone
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory, MembershipFactory, ResidentFactory
from tests.requests.factories import RequestCategoryFactory

pytestmark = pytest.mark.django_db

HIDDEN = "15302171541"
# The loop of finding 1, bounded: the hidden number is among the tries.
TRIES = [f"153{n:04d}1541" for n in range(300)]
UNUSED_PHONE = "13600000000"

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


def test_the_whistle_calls_party_members_chosen_by_name_within_the_users_part(
    chair, accepted, hidden, register
):
    register.resident_b.is_party_member = True
    register.resident_b.save()
    page = chair.get(accepted.get_absolute_url())
    assertContains(page, f'name="party_members" value="{hidden.pk}"')
    assertContains(page, "周桂英")
    assertNotContains(page, f'name="party_members" value="{register.resident_b.pk}"')
    assertNotContains(page, HIDDEN)

    url = reverse("requests:whistle", args=[accepted.pk])
    outside, nobody = register.resident_b.pk, Resident.objects.order_by("pk").last().pk + 1
    answers = {
        seen(
            chair.post(url, {"level": "branch", "party_members": [pk]}),
            f"Select a valid choice. {pk} is not",
        )
        for pk in (outside, nobody)
    }
    assert len(answers) == 1
    assert "… one of the available choices." in answers.pop()[2]
    response = chair.post(url, {"level": "branch", "party_members": [hidden.pk]})
    assert response.status_code == 302
    assert Whistle.objects.get().responders.get().resident == hidden


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
