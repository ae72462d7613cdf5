"""The admin: a published notice's title and text are not edited there."""

import pytest
from django.urls import reverse

from tests.notices.factories import NoticeAttachmentFactory, NoticeFactory

pytestmark = pytest.mark.django_db


def test_admin_lets_the_title_and_text_of_a_draft_be_edited(admin_client, notice_bodies):
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None)

    page = admin_client.get(reverse("admin:committees_notice_change", args=[draft.pk])).text

    assert 'name="title"' in page
    assert 'name="text"' in page


def test_admin_makes_title_and_text_read_only_once_published(admin_client, notice_bodies):
    notice = NoticeFactory(body=notice_bodies.neighbourhood, title="微型消防站安全提示")

    page = admin_client.get(reverse("admin:committees_notice_change", args=[notice.pk])).text

    assert 'name="title"' not in page
    assert 'name="text"' not in page
    assert "微型消防站安全提示" in page
    assert 'name="category"' in page


def test_admin_lists_and_searches_notices(admin_client, notice_bodies):
    NoticeFactory(body=notice_bodies.neighbourhood, title="微型消防站安全提示")
    NoticeFactory(body=notice_bodies.qingfeng_1, title="铸铁管改造通知")

    response = admin_client.get(reverse("admin:committees_notice_changelist"), {"q": "消防"})

    assert response.status_code == 200
    assert "微型消防站安全提示" in response.text
    assert "铸铁管改造通知" not in response.text


def test_admin_pages_of_revisions_and_attachments_open(admin_client, notice_bodies):
    NoticeAttachmentFactory(notice=NoticeFactory(body=notice_bodies.neighbourhood))

    for name in ("noticerevision", "noticeattachment"):
        response = admin_client.get(reverse(f"admin:committees_{name}_changelist"))
        assert response.status_code == 200
