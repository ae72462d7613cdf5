"""The visit, campaign and care pages: who may see and do what, and bad input."""

import pytest
from django.urls import reverse

from committees.models import ResidentRequest
from meetings.models import ConsentRecord, Purpose, Visit, VisitCampaign
from residents.models import CareRecord
from tests.visits.conftest import days_ago

pytestmark = pytest.mark.django_db


def new_visit_url(household, **params):
    query = "&".join(f"{k}={v}" for k, v in {"household": household.pk, **params}.items())
    return f"{reverse('visits:visit_create')}?{query}"


def visit_data(**changes):
    return {
        "visited_on": days_ago(1).isoformat(),
        "purpose": Purpose.OPINION,
        "outcome": Visit.Outcome.MET,
        "notes": "反映停车难。",
        "other_visitors": "陈丽萍",
        **changes,
    }


def test_pages_send_anonymous_visitors_to_log_in(client, campaign, care):
    for url in (
        reverse("visits:visit_list"),
        reverse("visits:campaign", args=[campaign.pk]),
        reverse("visits:care_list"),
        reverse("dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(outsider_client, campaign):
    assert outsider_client.get(reverse("visits:visit_list")).status_code == 403
    assert outsider_client.get(reverse("dashboard")).status_code == 403


def test_another_communitys_campaign_and_visits_read_as_not_found(
    log_in, community_b_user, campaign, register, staff_user
):
    visit = Visit.objects.create(
        household=register.household_a1, purpose=Purpose.OPINION, recorded_by=staff_user
    )
    client = log_in(community_b_user)
    assert client.get(reverse("visits:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("visits:visit", args=[visit.pk])).status_code == 404
    assert client.get(new_visit_url(register.household_a1)).status_code == 404
    assert visit.pk not in [
        v.pk for v in client.get(reverse("visits:visit_list")).context["visits"]
    ]


def test_care_records_are_for_neighbourhood_staff_only(
    staff_client, member_client, manager_client, care
):
    for client in (member_client, manager_client):
        assert client.get(reverse("visits:care_list")).status_code == 403
        assert client.get(reverse("visits:care", args=[care.pk])).status_code == 403
    response = staff_client.get(reverse("visits:care_list"))
    assert response.status_code == 200
    assert list(response.context["records"]) == [care]
    response = staff_client.get(reverse("visits:care", args=[care.pk]))
    assert "身体状况稳定" in response.content.decode()


def test_care_visits_are_hidden_from_committee_members(member_client, staff_client, care):
    assert list(member_client.get(reverse("visits:visit_list")).context["visits"]) == []
    visit = care.visits.get()
    assert member_client.get(reverse("visits:visit", args=[visit.pk])).status_code == 404
    assert list(staff_client.get(reverse("visits:visit_list")).context["visits"]) == [visit]


def test_a_member_cannot_record_a_care_visit(member_client, register, care):
    response = member_client.get(new_visit_url(register.household_a1, care=care.pk))
    assert response.status_code == 404
    response = member_client.post(
        new_visit_url(register.household_a1), visit_data(purpose=Purpose.CARE)
    )
    assert response.status_code == 200
    assert "purpose" in response.context["form"].errors
    assert Visit.objects.count() == 1  # the care fixture's own


def test_staff_record_a_visit_with_an_answer_and_a_request(
    staff_client, staff_user, building_18, pipes, category
):
    household = building_18.households["4-302"]
    response = staff_client.post(
        new_visit_url(household),
        visit_data(
            purpose=Purpose.MOBILISATION,
            visitors=[staff_user.pk],
            consent_project=pipes.pk,
            consent_answer="agree",
            contribution="650.00",
            request_category=category.pk,
            request_title="下水道堵塞",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == household.get_absolute_url()
    visit = Visit.objects.get()
    assert visit.consent == ConsentRecord.objects.get(project=pipes, household=household)
    assert visit.request == ResidentRequest.objects.get(title="下水道堵塞")
    assert list(visit.visitors.all()) == [staff_user]


def test_changing_a_recorded_answer_uses_the_version_the_form_showed(
    staff_client, building_18, pipes
):
    household = building_18.households["2-401"]  # declined: version 1
    url = new_visit_url(household)
    stale = visit_data(
        consent_project=pipes.pk, consent_answer="agree", **{f"version_{pipes.pk}": "0"}
    )
    response = staff_client.post(url, stale)
    assert response.status_code == 200
    assert response.context["form"].errors["consent_answer"]
    assert not Visit.objects.exists()
    fresh = {**stale, f"version_{pipes.pk}": "1"}
    assert staff_client.post(url, fresh).status_code == 302
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "agree"


@pytest.mark.parametrize(
    "changes",
    [
        {"visited_on": days_ago(-3).isoformat()},
        {"visited_on": "2024-02-30"},
        {"purpose": "picnic"},
        {"outcome": ""},
        {"notes": "x" * 5, "visitors": ["999999"]},
        {"consent_answer": "agree"},  # no project
        {"request_title": "路灯坏了"},  # no category
    ],
)
def test_bad_input_is_shown_on_the_page_and_writes_nothing(
    staff_client, register, campaign, pipes, changes
):
    response = staff_client.post(new_visit_url(register.household_a1), visit_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Visit.objects.exists()
    assert not ResidentRequest.objects.exists()


def test_an_unknown_or_malformed_household_is_not_found(staff_client):
    assert staff_client.get(reverse("visits:visit_create")).status_code == 404
    assert staff_client.get(reverse("visits:visit_create") + "?household=abc").status_code == 404
    assert staff_client.get(reverse("visits:visit_create") + "?household=99999").status_code == 404


def test_the_next_address_must_stay_on_the_site(staff_client, register):
    response = staff_client.post(
        new_visit_url(register.household_a1), visit_data(next="https://evil.example/")
    )
    assert response["Location"] == register.household_a1.get_absolute_url()


@pytest.mark.parametrize(
    "where",
    ["foo", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "visits:visit_list"],
)
def test_a_next_that_is_no_path_here_goes_to_the_household_and_the_visit_is_kept(
    staff_client, register, where
):
    """Found by fuzzing: next=foo was reversed as a view's name (a 500)."""
    for url, data in (
        (new_visit_url(register.household_a1, next=where), visit_data()),
        (new_visit_url(register.household_a1), visit_data(next=where)),
    ):
        response = staff_client.post(url, data)

        assert response.status_code == 302
        assert response["Location"] == register.household_a1.get_absolute_url()
    assert Visit.objects.count() == 2


def test_a_next_path_on_the_site_is_followed(staff_client, register):
    response = staff_client.post(
        new_visit_url(register.household_a1), visit_data(next="/visits/?purpose=opinion")
    )

    assert response["Location"] == "/visits/?purpose=opinion"


def test_the_form_cancels_to_the_household_when_next_is_no_path_here(staff_client, register):
    page = staff_client.get(new_visit_url(register.household_a1, next="javascript:alert(1)"))

    assert 'href="javascript:' not in page.text
    assert page.context["next"] == register.household_a1.get_absolute_url()


def test_a_courtyard_member_records_visits_in_their_courtyard_only(courtyard_client, register):
    assert courtyard_client.get(new_visit_url(register.household_a1)).status_code == 200
    assert courtyard_client.get(new_visit_url(register.household_a2)).status_code == 404


def test_the_campaign_page_shows_progress_and_households_left(staff_client, campaign, register):
    Visit.objects.create(
        household=register.household_a1,
        purpose=Purpose.OPINION,
        campaign=campaign,
        visited_on=days_ago(2),
    )
    response = staff_client.get(reverse("visits:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    assert response.context["progress"].visits == 1
    assert [h.pk for h in response.context["to_visit"]] == [register.household_a2.pk]


def test_a_manager_starts_a_campaign_in_their_courtyard_but_not_elsewhere(manager_client, register):
    data = {
        "title": "一号院入户宣传",
        "purpose": Purpose.MOBILISATION,
        "goal": "50",
        "starts_on": days_ago(1).isoformat(),
        "compound": register.compound_a.pk,
        "courtyard": register.courtyard_a1.pk,
    }
    response = manager_client.post(reverse("visits:campaign_create"), data)
    assert response.status_code == 302
    campaign = VisitCampaign.objects.get()
    assert campaign.community == register.community_a
    response = manager_client.post(
        reverse("visits:campaign_create"), {**data, "courtyard": register.courtyard_a2.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = manager_client.post(
        reverse("visits:campaign_create"),
        {**data, "compound": register.compound_b.pk, "courtyard": ""},
    )
    assert response.status_code == 200
    assert VisitCampaign.objects.count() == 1


def test_a_member_without_a_seat_cannot_start_a_campaign(member_client):
    assert member_client.get(reverse("visits:campaign_create")).status_code == 403


@pytest.mark.parametrize(
    "changes", [{"goal": "0"}, {"goal": "-5"}, {"ends_on": days_ago(30).isoformat()}, {"title": ""}]
)
def test_bad_campaigns_are_refused_on_the_page(staff_client, register, changes):
    data = {
        "title": "动员",
        "purpose": Purpose.MOBILISATION,
        "goal": "10",
        "starts_on": days_ago(1).isoformat(),
        "compound": register.compound_a.pk,
        **changes,
    }
    response = staff_client.post(reverse("visits:campaign_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not VisitCampaign.objects.exists()


def test_staff_open_and_end_a_care_record(staff_client, staff_user, register):
    url = reverse("visits:care_create") + f"?resident={register.resident_a2.pk}"
    data = {
        "household": register.household_a2.pk,
        "circumstance": CareRecord.Circumstance.LOW_INCOME,
        "needs": "需要申请临时救助。",
        "visit_every_days": "30",
        "responsible": staff_user.pk,
        "started_on": days_ago(3).isoformat(),
    }
    assert staff_client.post(url, data).status_code == 302
    record = CareRecord.objects.get()
    assert record.community == register.community_a
    assert record.history.first().history_user == staff_user
    edit = reverse("visits:care_edit", args=[record.pk])
    response = staff_client.post(edit, {**data, "ended_on": days_ago(5).isoformat()})
    assert response.status_code == 200  # ends before it started
    assert CareRecord.objects.get().ended_on is None
    response = staff_client.post(
        edit, {**data, "ended_on": days_ago(0).isoformat(), "end_reason": "已脱困"}
    )
    assert response.status_code == 302
    assert CareRecord.objects.get().ended_on == days_ago(0)


def test_care_records_cannot_be_opened_for_another_communitys_resident(staff_client, register):
    url = reverse("visits:care_create") + f"?resident={register.resident_b.pk}"
    assert staff_client.get(url).status_code == 404


def test_the_resident_page_shows_care_records_to_staff_only(
    staff_client, member_client, register, care
):
    url = register.resident_a1.get_absolute_url()
    assert care.get_absolute_url() in staff_client.get(url).content.decode()
    assert care.get_absolute_url() not in member_client.get(url).content.decode()


def test_care_list_finds_a_name_typed_with_a_space(staff_client, care):
    for typed in ["李华玉", "李 华玉"]:
        response = staff_client.get(reverse("visits:care_list"), {"q": typed})
        assert list(response.context["records"]) == [care], typed
    response = staff_client.get(reverse("visits:care_list"), {"q": "武 莉华"})
    assert list(response.context["records"]) == []
