"""What anyone sees without an account: the list, a notice, its print view, the feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Notice
from committees.notices import services as notice_services
from tests.notices.factories import (
    NoticeAttachmentFactory,
    NoticeFactory,
    days_ago,
    pdf_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def hidden(notice_bodies):
    """One notice in each state that anyone must not see, each with an attachment."""
    body = notice_bodies.qingfeng_1
    notices = {
        "draft": NoticeFactory(body=body, title="草稿：停车棚改造", publish_at=None),
        "scheduled": NoticeFactory(
            body=body, title="下周停水通知", publish_at=timezone.now() + datetime.timedelta(days=7)
        ),
        "expired": NoticeFactory(
            body=body, title="化粪池清掏通知", publish_at=days_ago(40), expires_at=days_ago(30)
        ),
        "withdrawn": NoticeFactory(body=body, title="撤回的通知", withdrawn_at=days_ago(0.5)),
    }
    for notice in notices.values():
        NoticeAttachmentFactory(notice=notice)
    return notices


def test_published_notice_is_shown_to_anyone_with_its_text(anonymous, notice_bodies):
    notice = NoticeFactory(
        body=notice_bodies.qingfeng_1, title="铸铁管改造开工通知", text="18栋2单元先开工。"
    )

    response = anonymous.get(notice.get_absolute_url())

    assert response.status_code == 200
    assert "铸铁管改造开工通知" in response.text
    assert "18栋2单元先开工。" in response.text
    assert "庆丰一号院业主委员会" in response.text


@pytest.mark.parametrize("state", ["draft", "scheduled", "expired", "withdrawn"])
def test_anonymous_visitor_cannot_open_a_notice_that_is_not_public(anonymous, hidden, state):
    notice = hidden[state]
    attachment = notice.attachments.get()
    assert notice.state == state

    assert anonymous.get(notice.get_absolute_url()).status_code == 404
    assert anonymous.get(reverse("notices:notice_print", args=[notice.pk])).status_code == 404
    url = reverse("notices:attachment", args=[notice.pk, attachment.pk])
    assert anonymous.get(url).status_code == 404


def test_list_and_feed_leave_out_notices_that_are_not_public(anonymous, hidden, notice_bodies):
    NoticeFactory(body=notice_bodies.qingfeng_1, title="正在公示的通知")
    compound = notice_bodies.qingfeng_1.compound

    listed = anonymous.get(reverse("notices:notice_list")).text
    feed = anonymous.get(reverse("notices:feed", args=[compound.pk])).content.decode()

    assert "正在公示的通知" in listed
    assert "正在公示的通知" in feed
    for notice in hidden.values():
        assert notice.title not in listed
        assert notice.title not in feed


def test_list_puts_pinned_notices_first_then_the_newest(anonymous, notice_bodies):
    body = notice_bodies.neighbourhood
    NoticeFactory(body=body, title="较早的通知", publish_at=days_ago(5))
    NoticeFactory(body=body, title="置顶的消防安全提示", publish_at=days_ago(10), pinned=True)
    NoticeFactory(body=body, title="最新的通知", publish_at=days_ago(1))

    response = anonymous.get(reverse("notices:notice_list"))

    titles = [n.title for n in response.context["notices"]]
    assert titles == ["置顶的消防安全提示", "最新的通知", "较早的通知"]
    assert (
        response.text.count("Pinned") == 1
    )  # the pinned notice says so in words, not only by place


def test_filter_by_compound_shows_the_notices_addressed_to_it_and_its_places(
    anonymous, register, notice_bodies
):
    r, b = register, notice_bodies
    NoticeFactory(body=b.neighbourhood, title="全社区：垃圾分类")
    NoticeFactory(
        body=b.neighbourhood,
        title="庆丰小区：消防提示",
        for_whole_community=False,
        compounds=[r.compound_a],
    )
    NoticeFactory(
        body=b.qingfeng_1,
        title="一号院：开会",
        for_whole_community=False,
        courtyards=[r.courtyard_a1],
    )
    NoticeFactory(
        body=b.qingfeng_1, title="17栋：停水", for_whole_community=False, buildings=[r.building_a2]
    )
    NoticeFactory(
        body=b.bailajing,
        title="百腊井：屋面维修",
        for_whole_community=False,
        compounds=[b.bailajing_compound],
    )
    NoticeFactory(
        body=b.bailajing,
        title="百腊井3栋：水箱清洗",
        for_whole_community=False,
        buildings=[b.bailajing_building],
    )
    NoticeFactory(body=b.qianling, title="黔灵社区：全社区通知")

    response = anonymous.get(reverse("notices:notice_list"), {"compound": r.compound_a.pk})

    titles = {n.title for n in response.context["notices"]}
    assert titles == {"全社区：垃圾分类", "庆丰小区：消防提示", "一号院：开会", "17栋：停水"}
    assert "百腊井" not in response.text.split('<ul class="notice-list">')[1]
    assert reverse("notices:feed", args=[r.compound_a.pk]) in response.text


def test_notice_addressed_to_several_places_of_a_compound_is_listed_once(
    anonymous, register, notice_bodies
):
    r = register
    NoticeFactory(
        body=notice_bodies.qingfeng_1,
        title="两个院的通知",
        for_whole_community=False,
        compounds=[r.compound_a],
        courtyards=[r.courtyard_a1, r.courtyard_a2],
        buildings=[r.building_a1, r.building_a2],
    )

    response = anonymous.get(reverse("notices:notice_list"), {"compound": r.compound_a.pk})

    assert [n.title for n in response.context["notices"]] == ["两个院的通知"]


def test_filter_by_category_shows_only_that_category(anonymous, notice_bodies):
    body = notice_bodies.neighbourhood
    NoticeFactory(body=body, title="微型消防站安全提示", category=Notice.Category.SAFETY)
    NoticeFactory(body=body, title="铸铁管改造通知", category=Notice.Category.RENOVATION)

    response = anonymous.get(reverse("notices:notice_list"), {"category": "safety"})

    assert [n.title for n in response.context["notices"]] == ["微型消防站安全提示"]


def test_unknown_filters_are_ignored(anonymous, notice_bodies):
    NoticeFactory(body=notice_bodies.neighbourhood, title="全社区通知")

    response = anonymous.get(reverse("notices:notice_list"), {"compound": "x", "category": "y"})

    assert response.status_code == 200
    assert [n.title for n in response.context["notices"]] == ["全社区通知"]


def test_feed_of_a_compound_is_atom_with_its_public_notices(anonymous, register, notice_bodies):
    r, b = register, notice_bodies
    NoticeFactory(body=b.neighbourhood, title="全社区：垃圾分类", publish_at=days_ago(3))
    NoticeFactory(
        body=b.qingfeng_1,
        title="一号院：开会",
        for_whole_community=False,
        courtyards=[r.courtyard_a1],
        publish_at=days_ago(1),
    )
    NoticeFactory(
        body=b.bailajing,
        title="百腊井：屋面维修",
        for_whole_community=False,
        compounds=[b.bailajing_compound],
    )
    NoticeFactory(body=b.qingfeng_1, title="一号院草稿", publish_at=None)

    response = anonymous.get(reverse("notices:feed", args=[r.compound_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Notices for 庆丰小区"
    entries = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert entries == ["一号院：开会", "全社区：垃圾分类"]


def test_feed_of_an_unknown_compound_is_not_found(anonymous, notice_bodies):
    assert anonymous.get(reverse("notices:feed", args=[999999])).status_code == 404


def test_notice_text_is_escaped_and_dash_lines_make_a_list(anonymous, notice_bodies):
    notice = NoticeFactory(
        body=notice_bodies.neighbourhood,
        text="请注意：<script>alert('x')</script>\n\n- 不要在楼道充电\n- 保持消防通道畅通",
    )

    for url in (notice.get_absolute_url(), reverse("notices:notice_print", args=[notice.pk])):
        page = anonymous.get(url).text
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        assert "<ul><li>不要在楼道充电</li><li>保持消防通道畅通</li></ul>" in page


def test_print_view_is_a_page_of_its_own_for_the_notice_board(anonymous, notice_bodies):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1, title="铸铁管改造开工通知")

    response = anonymous.get(reverse("notices:notice_print", args=[notice.pk]))

    assert response.status_code == 200
    assert "铸铁管改造开工通知" in response.text
    assert 'class="print' in response.text
    assert "All notices" not in response.text


def test_attachments_of_a_public_notice_are_served_until_it_is_withdrawn(anonymous, notice_bodies):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1)
    png = NoticeAttachmentFactory(notice=notice)
    pdf = NoticeAttachmentFactory(
        notice=notice, title="协议.pdf", file=upload("协议.pdf", pdf_bytes(), "application/pdf")
    )
    png_url = reverse("notices:attachment", args=[notice.pk, png.pk])
    pdf_url = reverse("notices:attachment", args=[notice.pk, pdf.pk])

    page = anonymous.get(notice.get_absolute_url()).text
    image = anonymous.get(png_url)
    document = anonymous.get(pdf_url)

    assert png_url in page and pdf_url in page
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png_bytes()
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"].startswith("attachment")
    assert b"".join(document.streaming_content) == pdf_bytes()

    notice_services.notice_withdraw(notice=notice)

    assert anonymous.get(png_url).status_code == 404
    assert anonymous.get(pdf_url).status_code == 404


def test_attachment_of_another_notice_is_not_served_through_this_one(anonymous, notice_bodies):
    public = NoticeFactory(body=notice_bodies.qingfeng_1)
    draft = NoticeFactory(body=notice_bodies.qingfeng_1, publish_at=None)
    secret = NoticeAttachmentFactory(notice=draft)

    url = reverse("notices:attachment", args=[public.pk, secret.pk])

    assert anonymous.get(url).status_code == 404
