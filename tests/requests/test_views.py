import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from committees.models import AllianceMember, RequestPhoto, ResidentRequest, Whistle
from committees.requests import services
from tests.conftest import logged_in
from tests.factories import stored
from tests.notices.factories import png_bytes
from tests.requests.factories import AllianceMemberFactory, ResidentRequestFactory

pytestmark = pytest.mark.django_db
Status = ResidentRequest.Status

PNG = png_bytes()


def test_anonymous_visitors_are_sent_to_log_in_except_on_the_public_page(client, req):
    for url in [
        reverse("requests:list"),
        reverse("requests:receive"),
        reverse("requests:summary"),
        reverse("requests:alliance"),
        req.get_absolute_url(),
        reverse("requests:accept", args=[req.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get(reverse("requests:resolved")).status_code == 200


def test_public_page_shows_resolved_problems_without_personal_data(client, req, staff_user):
    req = services.request_accept(request=req, by=staff_user)
    services.request_resolve(request=req, by=staff_user, reply="已更换声控灯。")
    response = client.get(reverse("requests:resolved"))
    assertContains(response, "楼道灯坏了")
    assertContains(response, "已更换声控灯。")
    assertContains(response, "庆丰小区")
    # Read as a person reads the page: machine values (the CSRF token, a time's datetime
    # attribute with its microseconds) may hold "301" or "5678" by chance.
    shown = re.sub(r'(datetime|value)="[^"]*"', "", response.content.decode())
    for personal in ["李华玉", "13812345678", "5678", "301", "老人夜里摔过一跤", "廖"]:
        assert personal not in shown, personal


def test_public_page_leaves_out_open_and_private_requests(client, req, register):
    ResidentRequestFactory(compound=register.compound_a, title="未解决的问题")
    response = client.get(reverse("requests:resolved"))
    assertNotContains(response, "楼道灯坏了")
    assertNotContains(response, "未解决的问题")


def test_queue_shows_the_requests_of_the_users_part_with_overdue_marked(
    staff_client, req, register, category
):
    ResidentRequestFactory(
        compound=register.compound_a,
        category=category,
        title="早就该处理",
        received_at=timezone.now() - datetime.timedelta(days=3),
    )
    ResidentRequestFactory(compound=register.compound_b, title="别的社区")
    response = staff_client.get(reverse("requests:list"))
    assertContains(response, "楼道灯坏了")
    assertContains(response, "早就该处理")
    assertNotContains(response, "别的社区")
    assertContains(response, "⚠ Overdue", count=1)
    response = staff_client.get(reverse("requests:list"), {"overdue": "true"})
    assertContains(response, "早就该处理")
    assertNotContains(response, "楼道灯坏了")
    response = staff_client.get(reverse("requests:list"), {"status": "closed"})
    assertContains(response, "No requests match.")


def test_member_of_another_compound_gets_404(community_b_user, req):
    client = logged_in(community_b_user)
    assert client.get(req.get_absolute_url()).status_code == 404
    assert client.post(reverse("requests:accept", args=[req.pk])).status_code == 404


def test_reader_sees_the_request_with_a_masked_phone_but_cannot_take_steps(member_client, req):
    response = member_client.get(req.get_absolute_url())
    assertContains(response, "李华玉")
    assertContains(response, "138****5678")
    assertNotContains(response, "13812345678")
    assertNotContains(response, "Accept the request")
    response = member_client.post(reverse("requests:accept", args=[req.pk]), {"note": ""})
    assert response.status_code == 403
    assert stored(req).status == Status.RECEIVED


def test_staff_see_the_phone_masked_until_they_ask(staff_client, req):
    response = staff_client.get(req.get_absolute_url())
    assertContains(response, "138****5678")
    assertNotContains(response, "13812345678")


def test_a_raiser_outside_the_members_part_is_named_without_a_phone(bodies, req, register):
    # 武莉华 lives in courtyard A2; the request is about courtyard A1, the chair's part.
    req.raised_by = register.resident_a2
    req.save()
    response = logged_in(bodies.qingfeng_1_user).get(req.get_absolute_url())
    assertContains(response, '<dd class="raiser">武莉华</dd>', html=True)
    assertNotContains(response, "139****4321")


def test_committee_member_takes_the_steps_through_the_page(bodies, req):
    client = logged_in(bodies.qingfeng_1_user)
    response = client.get(req.get_absolute_url())
    assertContains(response, "Accept the request")
    response = client.post(reverse("requests:accept", args=[req.pk]), {"note": "马上处理"})
    assertRedirects(response, req.get_absolute_url())
    response = client.post(reverse("requests:resolve", args=[req.pk]), {"reply": ""})
    assertContains(response, "Write the reply to the resident")
    assert stored(req).status == Status.ACCEPTED
    client.post(reverse("requests:resolve", args=[req.pk]), {"reply": "修好了"})
    response = client.get(req.get_absolute_url())
    assertContains(response, "修好了")
    assertContains(response, "The resident confirms")


def test_closing_without_a_reason_shows_the_message(staff_client, req):
    response = staff_client.post(reverse("requests:close", args=[req.pk]), {"reason": ""})
    assertContains(response, "Say why the request is closed.")
    assert stored(req).status == Status.RECEIVED


def test_staff_receive_a_request_raised_by_a_resident_of_the_household(
    staff_client, register, category
):
    response = staff_client.post(
        reverse("requests:receive"),
        {
            "community": register.community_a.pk,
            "category": category.pk,
            "title": "井盖松动",
            "compound": register.compound_a.pk,
            "building": register.building_a2.pk,
            "door_number": "502",
            "raised_by": register.resident_a2.pk,
            "callback_phone": "0851-8555 1234",
            "received_through": "phone",
            "received_at": "2026-01-05T09:30",
        },
    )
    req = ResidentRequest.objects.get(title="井盖松动")
    assertRedirects(response, req.get_absolute_url())
    assert req.raised_by == register.resident_a2
    assert req.callback_phone == "085185551234"
    assert req.household == register.household_a2
    assert req.steps.count() == 1


def test_the_raiser_is_one_of_the_residents_of_the_household_given(
    staff_client, register, category
):
    url = reverse("requests:receive")
    # the page asks for the household's residents when the building or the door changes
    page = staff_client.get(url, {"building": register.building_a2.pk, "door_number": "502"})
    assertContains(page, f'<option value="{register.resident_a2.pk}">武莉华 (1975)</option>')
    assertNotContains(page, register.resident_a1.name)
    assertContains(page, 'hx-select="#id_raised_by"', count=2)
    response = staff_client.post(
        url,
        {
            "community": register.community_a.pk,
            "category": category.pk,
            "title": "井盖松动",
            "building": register.building_a2.pk,
            "door_number": "502",
            "raised_by": register.resident_a1.pk,  # of another household
            "received_through": "phone",
            "received_at": "2026-01-05T09:30",
        },
    )
    assertContains(response, "Select a valid choice.")
    assert not ResidentRequest.objects.filter(title="井盖松动").exists()


def test_the_number_to_call_back_is_kept_as_given_and_masked_to_committee_members(
    staff_client, member_client, register, category, staff_user
):
    req = services.request_receive(
        community=register.community_a,
        category=category,
        title="楼下积水",
        received_through=ResidentRequest.Channel.PHONE,
        recorded_by=staff_user,
        compound=register.compound_a,
        callback_phone="15912345678",  # a relative's, not on the register
    )
    response = member_client.get(req.get_absolute_url())
    assertContains(response, "159****5678")
    assertNotContains(response, "15912345678")
    assertContains(response, "An anonymous neighbour")
    assertContains(staff_client.get(req.get_absolute_url()), "15912345678")


def test_a_number_to_call_back_that_is_not_a_phone_number_is_refused(
    staff_client, register, category
):
    response = staff_client.post(
        reverse("requests:receive"),
        {
            "community": register.community_a.pk,
            "category": category.pk,
            "title": "井盖松动",
            "compound": register.compound_a.pk,
            "callback_phone": "call me",
            "received_through": "phone",
            "received_at": "2026-01-05T09:30",
        },
    )
    assertContains(response, "Enter a phone number")
    assert not ResidentRequest.objects.exists()


def test_whistle_and_report_through_the_page(staff_client, req, staff_user, register):
    unit = AllianceMemberFactory(community=register.community_a, name="金仓小学")
    services.request_accept(request=req, by=staff_user)
    response = staff_client.post(
        reverse("requests:whistle", args=[req.pk]),
        {"level": Whistle.Level.ALLIANCE, "alliance_members": [unit.pk]},
    )
    assertRedirects(response, req.get_absolute_url())
    responder = Whistle.objects.get().responders.get()
    staff_client.post(
        reverse("requests:report", args=[req.pk, responder.pk]), {"action": "师生共同清理"}
    )
    response = staff_client.get(req.get_absolute_url())
    assertContains(response, "金仓小学")
    assertContains(response, "师生共同清理")


def test_party_branch_whistle_calls_party_members_chosen_from_the_list(
    staff_client, req, staff_user, register
):
    services.request_accept(request=req, by=staff_user)
    # The request's page leads to the whistle's own page (its list of names is long) ...
    whistle = reverse("requests:whistle", args=[req.pk])
    assertContains(staff_client.get(req.get_absolute_url()), f'href="{whistle}"')
    page = staff_client.get(whistle)
    assertContains(page, "<h1>Blow the whistle</h1>", html=True)
    # ... which lists the party members of the community, by name; not the others
    assertContains(page, f'name="party_members" value="{register.resident_a1.pk}"')
    assertNotContains(page, f'name="party_members" value="{register.resident_a2.pk}"')
    response = staff_client.post(
        reverse("requests:whistle", args=[req.pk]),
        {"level": Whistle.Level.PARTY_BRANCH, "party_members": [register.resident_a1.pk]},
    )
    assertRedirects(response, req.get_absolute_url())
    assert Whistle.objects.get().responders.get().resident == register.resident_a1


def test_photo_upload_refuses_a_disguised_file(staff_client, req):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = staff_client.post(reverse("requests:photo_add", args=[req.pk]), {"file": fake})
    assertContains(response, "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF.")
    assert not RequestPhoto.objects.exists()


def test_photo_upload_refuses_an_oversize_file(staff_client, req):
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    response = staff_client.post(reverse("requests:photo_add", args=[req.pk]), {"file": big})
    assertContains(response, "the limit is 5 MB")
    assert not RequestPhoto.objects.exists()


def test_photo_is_served_only_within_scope(
    staff_client, req, community_b_user, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("lamp.png", PNG, content_type="image/png")
    staff_client.post(
        reverse("requests:photo_add", args=[req.pk]), {"file": photo, "caption": "灯"}
    )
    photo = RequestPhoto.objects.get()
    url = reverse("requests:photo", args=[req.pk, photo.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert logged_in(community_b_user).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_summary_counts_the_month_by_category_and_status(staff_client, req, staff_user):
    req = services.request_accept(request=req, by=staff_user)
    month = timezone.localtime(req.received_at).strftime("%Y-%m")
    response = staff_client.get(reverse("requests:summary"), {"month": month})
    assertContains(response, "道路设施")
    assert response.context["totals"]["total"] == 1
    assert response.context["totals"]["accepted"] == 1
    assert response.context["median_response"] is not None


def test_alliance_page_totals_and_masks_contacts_for_non_staff(
    member_client, staff_client, register
):
    AllianceMemberFactory(
        community=register.community_a, party_members=5, contact_phone="13811112222"
    )
    AllianceMemberFactory(community=register.community_a, party_members=7)
    AllianceMemberFactory(community=register.community_b, party_members=100)
    response = member_client.get(reverse("requests:alliance"))
    assert response.context["figures"]["organisations"] == 2
    assert response.context["figures"]["party_members"] == 12
    assertContains(response, "138****2222")
    assertContains(staff_client.get(reverse("requests:alliance")), "13811112222")


def test_alliance_page_counts_its_party_organisations_by_whose_they_are(member_client, register):
    Kind = AllianceMember.Kind
    for kind, n in [(Kind.STATIONED_UNIT, 3), (Kind.DEPARTMENT, 2), (Kind.ENTERPRISE, 1)]:
        AllianceMemberFactory.create_batch(n, community=register.community_a, kind=kind)
    response = member_client.get(reverse("requests:alliance"))
    assert response.context["kinds"] == [
        ("Party organisation of a stationed unit", 3),
        ("Party organisation of a government department", 2),
        ("Party organisation of an enterprise", 1),
    ]
    assertContains(response, "Party organisation of an enterprise", count=2)


def test_queue_holds_only_open_requests_unless_asked_for_done_ones(staff_client, req, register):
    now = timezone.now()
    ResidentRequestFactory(
        compound=register.compound_a,
        title="早已办结",
        status="resolved",
        reply="已修好",
        accepted_at=now,
        resolved_at=now,
    )
    ResidentRequestFactory(
        compound=register.compound_a,
        title="无法办理",
        status="closed",
        close_reason="不属本会职责",
        closed_at=now,
    )
    response = staff_client.get(reverse("requests:list"))
    assertContains(response, "楼道灯坏了")
    assertNotContains(response, "早已办结")
    assertNotContains(response, "无法办理")
    assertContains(response, "Still open")
    response = staff_client.get(reverse("requests:list"), {"status": "resolved"})
    assertContains(response, "早已办结")
    assertNotContains(response, "楼道灯坏了")
    response = staff_client.get(reverse("requests:list"), {"status": "all"})
    for title in ("楼道灯坏了", "早已办结", "无法办理"):
        assertContains(response, title)


def test_overdue_filter_offers_words_not_dashes(staff_client):
    response = staff_client.get(reverse("requests:list"))
    assertNotContains(response, "---------")
    assertContains(response, '<option value="" selected>Either</option>', html=True)
