"""The admin: a published notice's title and text are not edited there."""

import pytest
from django.urls import reverse

from tests.notices.factories import NoticeAttachmentFactory, NoticeFactory, image_bytes, upload

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


# A file replaced or deleted in the admin leaves storage -------------------------------


def stored_files(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


def test_an_attachment_replaced_in_the_admin_is_removed_from_storage(
    admin_client, notice_bodies, media_root, django_capture_on_commit_callbacks
):
    attachment = NoticeAttachmentFactory(notice=NoticeFactory(body=notice_bodies.neighbourhood))
    old = media_root / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:committees_noticeattachment_change", args=[attachment.pk]),
            {
                "notice": attachment.notice.pk,
                "title": "新照片",
                "file": upload("新照片.gif", image_bytes("GIF"), "image/gif"),
            },
        )

    assert response.status_code == 302
    assert not old.exists()
    assert stored_files(media_root) == ["新照片.gif"]


def test_a_notice_deleted_in_the_admin_takes_its_attachments_files_along(
    admin_client, notice_bodies, media_root, django_capture_on_commit_callbacks
):
    notice = NoticeFactory(body=notice_bodies.neighbourhood)
    NoticeAttachmentFactory(notice=notice)
    kept = NoticeAttachmentFactory(notice=NoticeFactory(body=notice_bodies.neighbourhood))
    assert len(stored_files(media_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:committees_notice_delete", args=[notice.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert [p for p in media_root.rglob("*") if p.is_file()] == [media_root / kept.file.name]


def test_attachments_deleted_together_in_the_admin_leave_storage(
    admin_client, notice_bodies, media_root, django_capture_on_commit_callbacks
):
    attachments = [
        NoticeAttachmentFactory(notice=NoticeFactory(body=notice_bodies.neighbourhood))
        for _ in range(2)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:committees_noticeattachment_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [a.pk for a in attachments],
                "post": "yes",
            },
        )

    assert stored_files(media_root) == []
