"""The printed notice carries a QR code to the notice online (docs/domain.md, "Paper that
leads online"): the notice board on the wall and the one online are one thing."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.notices.factories import NoticeFactory
from tests.qr import page_qr_urls

pytestmark = pytest.mark.django_db

SITE = "https://jinzang.example"


@override_settings(SITE_URL=SITE)
def test_a_printed_notice_carries_a_qr_code_to_the_notice_which_anyone_opens(notice_bodies):
    notice = NoticeFactory(
        body=notice_bodies.qingfeng_1, title="停水通知", text="11月20日庆丰小区停水。"
    )
    anyone = Client()

    response = anyone.get(reverse("notices:notice_print", args=[notice.pk]))

    assert page_qr_urls(response.text) == [f"{SITE}/notices/{notice.pk}/"]
    assertContains(response, "Scan to read this notice online")
    # where the code leads, a passer-by without an account reads the notice
    online = anyone.get(f"/notices/{notice.pk}/")
    assert online.status_code == 200
    assertContains(online, "11月20日庆丰小区停水。")


@override_settings(SITE_URL=SITE)
def test_a_draft_printed_by_its_body_leads_to_a_page_still_closed_to_the_public(
    notice_bodies, log_in
):
    draft = NoticeFactory(body=notice_bodies.qingfeng_1, title="草稿：停车棚改造", publish_at=None)

    response = log_in(notice_bodies.qingfeng_1_user).get(
        reverse("notices:notice_print", args=[draft.pk])
    )

    assert page_qr_urls(response.text) == [f"{SITE}/notices/{draft.pk}/"]
    assert Client().get(f"/notices/{draft.pk}/").status_code == 404
