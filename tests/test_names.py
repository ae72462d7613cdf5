"""People's names as shown: family name first, in both languages, for accounts and
residents alike (jinzang.names)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from committees.models import ResidentRequest
from committees.requests import services as request_services
from jinzang.demo import bodies as committees_demo
from jinzang.demo import register as residents_demo
from jinzang.demo.loaders import loaders_for
from jinzang.names import person_name, users_named
from tests.factories import AccessGrantFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.requests.factories import RequestCategoryFactory


def account(family, given, username="someone"):
    return SimpleNamespace(
        last_name=family, first_name=given, get_username=lambda: username, username=username
    )


@pytest.mark.parametrize(
    ("family", "given", "shown"),
    [
        ("李", "华玉", "李华玉"),
        ("欧阳", "铁柱", "欧阳铁柱"),
        ("Li", "Huayu", "Li Huayu"),
        ("", "李华玉", "李华玉"),  # the whole name in one field, as accounts were kept
        ("李", "", "李"),
        (" 李 ", " 华玉 ", "李华玉"),
        ("Smith", "Anna", "Smith Anna"),
    ],
)
def test_an_accounts_name_is_shown_family_name_first(family, given, shown):
    assert person_name(account(family, given)) == shown


def test_an_account_without_a_name_shows_its_username_and_nobody_shows_nothing():
    assert person_name(account("", "", username="admin")) == "admin"
    assert person_name(None) == ""


def test_a_residents_name_is_shown_as_the_register_writes_it():
    assert person_name(SimpleNamespace(name="武莉华")) == "武莉华"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_header_names_the_user_family_name_first_in_both_languages(
    staff_client, settings, language
):
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        response = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    assertContains(response, '<span class="who">廖书英</span>', html=True)
    assertNotContains(response, "书英 廖")


@pytest.mark.django_db
def test_a_latin_name_reads_family_name_first_with_a_space(register, log_in):
    user = UserFactory(username="lihuayu_en", first_name="Huayu", last_name="Li")
    AccessGrantFactory(user=user, compound=register.compound_a)
    response = log_in(user).get(reverse("home"))
    assertContains(response, '<span class="who">Li Huayu</span>', html=True)


@pytest.mark.django_db
def test_a_requests_timeline_names_who_took_each_step(staff_client, staff_user, req):
    request_services.request_accept(request=req, by=staff_user)
    response = staff_client.get(req.get_absolute_url())
    timeline = response.content.decode().split('class="history timeline"')[1].split("</ol>")[0]
    assert timeline.count("廖书英") == 2
    assert "书英 廖" not in timeline


@pytest.mark.django_db
def test_the_changes_of_a_request_name_who_made_them(staff_client, staff_user, req):
    request_services.request_accept(request=req, by=staff_user)
    url = reverse("requests:history", args=[req.pk])
    history = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "廖书英" in history and "书英 廖" not in history


@pytest.mark.django_db
def test_staff_are_found_and_listed_as_attendees_by_their_name_as_shown(
    bodies, staff_client, staff_user
):
    meeting = MeetingFactory(body=bodies.neighbourhood)
    url = reverse("meetings:attendee_search", args=[meeting.pk])
    response = staff_client.get(url, {"q": "廖书英"})
    assertContains(response, "+ 廖书英")
    meeting.attendees.create(user=staff_user)
    assert [a.display_name for a in meeting.attendees.all()] == ["廖书英"]


@pytest.mark.django_db
def test_accounts_are_found_by_the_name_as_shown_or_as_typed_in_parts(staff_user, member_a):
    users = get_user_model().objects.all()
    assert list(users_named(users, "廖书英")) == [staff_user]
    assert list(users_named(users, "书英")) == [staff_user]
    assert list(users_named(users, "zhoumin")) == [member_a]
    assert not users_named(users, "书英廖").exists()


def load_register_and_bodies():
    for loader in loaders_for(residents_demo, committees_demo):
        loader()


@pytest.mark.django_db
def test_the_demo_accounts_keep_family_and_given_names_and_load_once(client):
    load_register_and_bodies()
    li = get_user_model().objects.get(username="lihuayu")
    assert (li.last_name, li.first_name) == ("李", "华玉")
    client.force_login(li)
    assertContains(client.get(reverse("home")), '<span class="who">李华玉</span>', html=True)
    assert not any(committees_demo.load_demo().values())


@pytest.mark.django_db
def test_the_demo_splits_the_whole_names_an_earlier_demo_kept_once():
    load_register_and_bodies()
    get_user_model().objects.filter(username="liaoshuying").update(
        first_name="廖书英", last_name=""
    )
    committees_demo.load_demo()
    liao = get_user_model().objects.get(username="liaoshuying")
    assert (liao.last_name, liao.first_name) == ("廖", "书英")
    assert not any(committees_demo.load_demo().values())


@pytest.fixture
def req(register, staff_user, bodies):
    return request_services.request_receive(
        community=register.community_a,
        category=RequestCategoryFactory(),
        title="楼道灯坏了",
        received_through=ResidentRequest.Channel.VISIT,
        recorded_by=staff_user,
        household=register.household_a1,
    )


@pytest.mark.django_db
def test_the_admin_welcomes_the_user_by_the_name_as_shown(log_in):
    user = UserFactory(
        username="lihuayu", first_name="华玉", last_name="李", is_staff=True, is_superuser=True
    )
    response = log_in(user).get(reverse("admin:index"))
    assertContains(response, "<strong>李华玉</strong>", html=True)
