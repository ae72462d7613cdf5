from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from committees.models import ServiceActivity, Volunteer
from committees.volunteers import services
from tests.conftest import logged_in
from tests.factories import MembershipFactory, ResidentFactory
from tests.volunteers.conftest import members

pytestmark = pytest.mark.django_db


def add_url(team):
    return reverse("volunteers:activity_add", args=[team.pk])


def test_anonymous_visitor_is_sent_to_log_in(client, team):
    response = client.get(reverse("volunteers:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_team_list_shows_the_years_hours_and_party_members(staff_client, team, patrol):
    people = members(team)
    services.activity_record(
        team=team,
        date=timezone.localdate(),
        place="社区活动室",
        description="政策宣讲",
        hours={people["李华玉"]: Decimal("2.5")},
    )
    response = staff_client.get(reverse("volunteers:list"))
    assert response.status_code == 200
    assert [t.name for t in response.context["tally"].teams] == ["志愿讲师队", "院落治安巡逻队"]
    # 李华玉 (in two teams) and 周红 are the party members; 武莉华 is not one
    assert response.context["n_party"] == 2
    assert response.context["n_people"] == 3
    assert "2.5" in response.text


def test_member_of_another_community_cannot_open_a_team(community_b_user, team, team_b):
    client = logged_in(community_b_user)
    assert client.get(reverse("volunteers:team", args=[team.pk])).status_code == 404
    assert client.get(reverse("volunteers:team", args=[team_b.pk])).status_code == 200
    person = team.volunteers.first()
    assert client.get(reverse("volunteers:person", args=[person.pk])).status_code == 404
    names = [t.name for t in client.get(reverse("volunteers:list")).context["tally"].teams]
    assert names == ["黔灵巡逻队"]


def test_committee_member_reads_a_team_but_cannot_record_for_it(member_client, team):
    response = member_client.get(reverse("volunteers:team", args=[team.pk]))
    assert response.status_code == 200
    assert "李华玉" in response.text
    assert add_url(team) not in response.text
    assert member_client.get(add_url(team)).status_code == 403
    assert member_client.post(add_url(team), {}).status_code == 403


def test_staff_record_an_activity_with_participants_and_hours(staff_client, team):
    people = members(team)
    response = staff_client.post(
        add_url(team),
        {
            "date": timezone.localdate().isoformat(),
            "place": "社区活动室",
            "description": "民法典进院落",
            f"hours_{people['李华玉'].pk}": "2",
            f"hours_{people['周红'].pk}": "1.5",
            f"hours_{people['武莉华'].pk}": "",
        },
    )
    assert response.status_code == 302
    activity = ServiceActivity.objects.get()
    assert {(h.volunteer.name, h.hours) for h in activity.hours.all()} == {
        ("李华玉", Decimal("2.0")),
        ("周红", Decimal("1.5")),
    }


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("abc", "Enter a number."),
        ("0", "greater than or equal to 0.1"),
        ("30", "less than or equal to 24"),
        ("", "Enter the hours of at least one participant."),
    ],
)
def test_bad_hours_are_refused_with_a_message_and_nothing_is_recorded(
    staff_client, team, hours, message
):
    person = members(team)["李华玉"]
    response = staff_client.post(
        add_url(team),
        {
            "date": timezone.localdate().isoformat(),
            "place": "社区活动室",
            "description": "宣讲",
            f"hours_{person.pk}": hours,
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not ServiceActivity.objects.exists()


def test_staff_add_a_resident_by_phone_or_a_person_by_name(staff_client, patrol, register):
    url = reverse("volunteers:volunteer_add", args=[patrol.pk])
    today = timezone.localdate().isoformat()
    assert (
        staff_client.post(url, {"phone": register.resident_a2.phone, "joined": today}).status_code
        == 302
    )
    assert (
        staff_client.post(
            url, {"name": "钱进", "is_party_member": "on", "joined": today}
        ).status_code
        == 302
    )
    response = staff_client.post(url, {"phone": "13900000000", "joined": today})
    assert "No resident with this phone number in your part." in response.text
    assert sorted(patrol.volunteers.values_list("name", flat=True)) == ["李华玉", "武莉华", "钱进"]
    assert Volunteer.objects.get(name="钱进").party_member


@pytest.mark.parametrize("typed", ["139 8765 4321", "139-8765-4321", "+86 139 8765 4321"])
def test_staff_add_a_resident_by_a_phone_number_written_with_spaces_or_dashes(
    staff_client, patrol, register, typed
):
    url = reverse("volunteers:volunteer_add", args=[patrol.pk])
    today = timezone.localdate().isoformat()
    response = staff_client.post(url, {"phone": typed, "joined": today})
    assert response.status_code == 302, response.text
    assert patrol.volunteers.filter(resident=register.resident_a2).exists()


def test_a_persons_page_adds_up_their_teams(staff_client, team, patrol, register):
    today = timezone.localdate()
    for t, hours in ((team, "2.5"), (patrol, "3")):
        services.activity_record(
            team=t,
            date=today,
            place="院落",
            description="服务",
            hours={t.volunteers.get(resident=register.resident_a1): Decimal(hours)},
        )
    volunteer = team.volunteers.get(resident=register.resident_a1)
    response = staff_client.get(reverse("volunteers:person", args=[volunteer.pk]))
    assert response.context["totals"] == {"hours": Decimal("5.5"), "activities": 2}
    assert "院落治安巡逻队" in response.text and "志愿讲师队" in response.text
    # no phone number or ID number on a volunteer's page
    assert register.resident_a1.phone not in response.text


def test_a_bad_year_reads_as_this_year(staff_client, team):
    response = staff_client.get(reverse("volunteers:tally"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


# Party membership is personal information: shown only to those whose scope includes it


@pytest.fixture
def served(team, register):
    """A year's activity of the whole team; 武莉华 (courtyard A2) is a party member too."""
    register.resident_a2.is_party_member = True
    register.resident_a2.save()
    services.activity_record(
        team=team,
        date=timezone.localdate(),
        place="社区活动室",
        description="政策宣讲",
        hours={v: Decimal("2") for v in team.volunteers.all()},
    )
    return team


# Whose party membership each user is shown: 李华玉 (courtyard A1), 武莉华 (courtyard A2),
# 周红 (off the register, serving the community's team).
# Committee members are shown nobody's, even within their own part.
PARTY_SHOWN = {
    "staff_user": {"李华玉", "武莉华", "周红"},
    "member_a": set(),
    "courtyard_member": set(),
}


@pytest.mark.parametrize("who", PARTY_SHOWN)
def test_the_tally_shows_party_membership_only_to_whom_personal_data_is_shown(request, served, who):
    client = logged_in(request.getfixturevalue(who))
    for name in ("volunteers:tally", "volunteers:list"):
        people = client.get(reverse(name)).context["tally"].people
        assert {p["name"] for p in people if p["party"]} == PARTY_SHOWN[who]
        assert {p["name"] for p in people} == {"李华玉", "武莉华", "周红"}


@pytest.mark.parametrize("who", PARTY_SHOWN)
def test_a_team_page_shows_party_membership_only_to_whom_personal_data_is_shown(
    request, served, who
):
    client = logged_in(request.getfixturevalue(who))
    response = client.get(reverse("volunteers:team", args=[served.pk]))
    assert {v.name for v in response.context["members"] if v.party_shown} == PARTY_SHOWN[who]
    assert response.text.count('class="badge party"') == len(PARTY_SHOWN[who])


@pytest.mark.parametrize("who", PARTY_SHOWN)
def test_a_persons_page_shows_party_membership_only_to_whom_personal_data_is_shown(
    request, served, who
):
    client = logged_in(request.getfixturevalue(who))
    for volunteer in served.volunteers.all():
        response = client.get(reverse("volunteers:person", args=[volunteer.pk]))
        assert response.status_code == 200
        assert ("Party member" in response.text) == (volunteer.name in PARTY_SHOWN[who])


def test_the_party_members_count_stays_a_figure_for_the_community(courtyard_client, served):
    assert courtyard_client.get(reverse("volunteers:list")).context["n_party"] == 3


def test_a_phone_number_two_residents_share_is_told_apart_by_the_name(
    staff_client, patrol, register
):
    # 武莉华's mother is registered with her daughter's mobile.
    mother = ResidentFactory(name="王桂英", phone=register.resident_a2.phone)
    MembershipFactory(resident=mother, household=register.household_a2)
    url = reverse("volunteers:volunteer_add", args=[patrol.pk])
    today = timezone.localdate().isoformat()
    response = staff_client.post(url, {"phone": mother.phone, "joined": today})
    assertContains(
        response,
        "Several residents have this phone number (武莉华, 王桂英): type the name of the one joining.",
    )
    assert not patrol.volunteers.filter(resident__in=[mother, register.resident_a2]).exists()
    response = staff_client.post(url, {"phone": mother.phone, "name": "王桂英", "joined": today})
    assert response.status_code == 302
    assert patrol.volunteers.get(name="王桂英").resident == mother
