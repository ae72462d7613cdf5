"""A resident's own requests (the residents' door): the list, one request's timeline as the
resident may read it, and a new request raised online that lands in the committee's queue."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees.models import ResidentRequest, Whistle
from committees.requests import services
from tests.factories import ResidentAccountFactory, ResidentFactory, UserFactory
from tests.requests.factories import RequestCategoryFactory

Channel = ResidentRequest.Channel


@pytest.fixture
def resident_client(resident_user, log_in):
    return log_in(resident_user)


def receive(register, by, *, resident=None, title="楼道灯坏了", hours_ago=2, category=None):
    return services.request_receive(
        community=register.community_a,
        category=category or RequestCategoryFactory(name="道路设施"),
        title=title,
        received_through=Channel.PHONE,
        recorded_by=by,
        household=register.household_a1,
        raised_by=resident or register.resident_a1,
        received_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


def test_my_requests_lists_the_residents_own_requests_only(register, staff_user, resident_client):
    receive(register, staff_user, title="楼道灯坏了")
    receive(register, staff_user, title="邻居噪音", resident=register.resident_a2)
    page = resident_client.get(reverse("requests:mine")).content.decode()
    assert "楼道灯坏了" in page and "Received" in page
    assert "邻居噪音" not in page


def test_the_timeline_shows_the_steps_the_reply_and_the_whistle_but_not_the_notes(
    register, bodies, staff_user, resident_client
):
    req = receive(register, staff_user)
    services.request_accept(request=req, by=staff_user, note="内部：找物业王经理 13600001111")
    party_member = ResidentFactory(name="党员张三", is_party_member=True)
    services.whistle_blow(
        request=req, level=Whistle.Level.PARTY_BRANCH, by=staff_user, residents=[party_member]
    )
    whistle = req.whistles.get()
    services.responder_report(responder=whistle.responders.get(), action="换了灯泡", by=staff_user)
    services.request_resolve(request=req, by=staff_user, reply="楼道灯已更换。")
    page = resident_client.get(reverse("requests:mine_detail", args=[req.pk])).content.decode()
    for seen in ("Received", "Accepted", "Escalated: Party branch", "Resolved", "楼道灯已更换。"):
        assert seen in page, seen
    for unseen in ("王经理", "13600001111", "党员张三", "换了灯泡", "廖书英"):
        assert unseen not in page, unseen
    assert "Phone" in page  # how it was received


def test_another_residents_request_is_not_found(register, staff_user, resident_client):
    theirs = receive(register, staff_user, resident=register.resident_a2)
    response = resident_client.get(reverse("requests:mine_detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert "楼道灯坏了" not in response.content.decode()


def test_a_closed_request_shows_the_reason_given_to_the_resident(
    register, staff_user, resident_client
):
    req = receive(register, staff_user)
    services.request_close(request=req, by=staff_user, reason="不属于社区管理范围。")
    page = resident_client.get(reverse("requests:mine_detail", args=[req.pk])).content.decode()
    assert "Closed, not actionable" in page and "不属于社区管理范围。" in page


def test_a_request_raised_online_lands_in_the_committees_queue(
    register, staff_user, resident_user, resident_client, log_in
):
    category = RequestCategoryFactory(name="环境卫生")
    response = resident_client.post(
        reverse("requests:mine_new"),
        {
            "household": register.household_a1.pk,
            "category": category.pk,
            "title": "垃圾桶满了没人清",
            "description": "三天没清运。",
            "callback_phone": "139 0000 1234",
        },
    )
    req = ResidentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:mine_detail", args=[req.pk])
    assert (req.received_through, req.raised_by, req.received_by) == (
        Channel.ONLINE,
        register.resident_a1,
        resident_user,
    )
    assert (req.household, req.building, req.compound, req.community) == (
        register.household_a1,
        register.building_a1,
        register.compound_a,
        register.community_a,
    )
    assert req.callback_phone == "13900001234"
    assert req.public is False  # the resident's own words: off the public page unless asked
    assert req.steps.get().to_status == ResidentRequest.Status.RECEIVED
    queue = log_in(staff_user).get(reverse("requests:list")).content.decode()
    assert "垃圾桶满了没人清" in queue
    detail = resident_client.get(response["Location"]).content.decode()
    assert "Your request is sent to the committee." in detail and "Online" in detail


def test_a_resident_may_put_a_solved_problem_on_the_public_page(register, resident_client):
    category = RequestCategoryFactory(name="环境卫生")
    resident_client.post(
        reverse("requests:mine_new"),
        {
            "household": register.household_a1.pk,
            "category": category.pk,
            "title": "垃圾桶满了",
            "public": "on",
        },
    )
    assert ResidentRequest.objects.get().public is True


def test_a_request_about_another_households_door_is_refused_and_writes_nothing(
    register, resident_client
):
    category = RequestCategoryFactory(name="环境卫生")
    response = resident_client.post(
        reverse("requests:mine_new"),
        {"household": register.household_b.pk, "category": category.pk, "title": "试探"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ResidentRequest.objects.exists()


def test_the_service_refuses_a_household_the_account_does_not_reach(register, resident_user):
    with pytest.raises(ValidationError, match="one of your own homes"):
        services.request_raise_online(
            account=resident_user.resident_account,
            household=register.household_b,
            category=RequestCategoryFactory(),
            title="试探",
        )
    assert not ResidentRequest.objects.exists()


def test_ask_for_a_correction_prefills_the_category_and_names_the_field(register, resident_client):
    RequestCategoryFactory(name="道路设施")
    corrections = RequestCategoryFactory(name="登记信息更正", for_corrections=True)
    url = reverse("requests:mine_new")
    page = resident_client.get(
        url, {"household": register.household_a1.pk, "correct": "phone"}
    ).content.decode()
    assert f'<option value="{corrections.pk}" selected>登记信息更正</option>' in page
    assert 'value="Correction to the register: my mobile phone number"' in page
    assert "The register holds my mobile phone number wrongly. It should be:" in page
    assert f'<option value="{register.household_a1.pk}" selected>庆丰小区 18-2-301</option>' in page


def test_an_unknown_correction_or_household_prefills_nothing(register, resident_client):
    page = resident_client.get(
        reverse("requests:mine_new"), {"household": "99999999999999999999", "correct": "x"}
    ).content.decode()
    assert "Correction to the register" not in page
    assert "Tell the committee about a problem" in page


def test_after_moving_out_a_resident_cannot_raise_a_request_for_the_old_home(
    register, resident_client
):
    register.membership_a1.delete()
    page = resident_client.get(reverse("requests:mine_new")).content.decode()
    assert "does not place you in any home today" in page
    assert '<form method="post"' not in page
    category = RequestCategoryFactory(name="环境卫生")
    resident_client.post(
        reverse("requests:mine_new"),
        {"household": register.household_a1.pk, "category": category.pk, "title": "灯"},
    )
    assert not ResidentRequest.objects.exists()


def test_staff_do_not_receive_requests_through_the_online_channel(staff_client):
    page = staff_client.get(reverse("requests:receive")).content.decode()
    assert 'value="phone"' in page and 'value="online"' not in page


def test_my_requests_reads_in_a_fixed_number_of_queries(
    register, staff_user, resident_user, log_in, django_assert_num_queries
):
    for n in range(12):
        receive(register, staff_user, title=f"问题{n}", category=RequestCategoryFactory())
    client = log_in(resident_user)
    # session, user, grants, account, the count, the page
    with django_assert_num_queries(6):
        page = client.get(reverse("requests:mine")).content.decode()
    assert page.count("问题") == 12


def test_a_request_reads_in_a_fixed_number_of_queries(
    register, staff_user, resident_user, log_in, django_assert_num_queries
):
    req = receive(register, staff_user)
    services.request_accept(request=req, by=staff_user)
    services.whistle_blow(
        request=req, level=Whistle.Level.SUBDISTRICT, by=staff_user, departments=["住建局"]
    )
    party_members = [ResidentFactory(is_party_member=True) for _ in range(3)]
    services.whistle_blow(
        request=req, level=Whistle.Level.PARTY_BRANCH, by=staff_user, residents=party_members
    )
    client = log_in(resident_user)
    # session, user, grants, account, the request, its steps, its whistles
    with django_assert_num_queries(7):
        page = client.get(reverse("requests:mine_detail", args=[req.pk])).content.decode()
    assert page.count("Escalated:") == 2


def test_another_account_sees_none_of_the_first_residents_requests(register, staff_user, log_in):
    receive(register, staff_user)
    user = UserFactory(username="wu_at_home")
    ResidentAccountFactory(user=user, resident=register.resident_a2)
    page = log_in(user).get(reverse("requests:mine")).content.decode()
    assert "楼道灯坏了" not in page and "You have not raised any request yet." in page
