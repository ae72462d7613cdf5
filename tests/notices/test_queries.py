"""Every notice page runs a fixed number of queries, however many notices there are.

Each test measures a page with a few notices, adds many more (each addressed to
several places, with attachments and corrections where the page shows them),
and measures again. Anonymous pages have no session to load; the manage list
starts with the session, the user and the user's access grants.
"""

import pytest
from django.test import Client
from django.urls import reverse

from committees.models import NoticeRevision
from tests.notices.factories import NoticeAttachmentFactory, NoticeFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 60  # MANY is over a page (PAGE_SIZE is 50)


def add_notices(notice_bodies, register, n):
    r, b = register, notice_bodies
    for i in range(n):
        body = [b.neighbourhood, b.qingfeng_1, b.bailajing][i % 3]
        if body == b.neighbourhood:
            NoticeFactory(body=body, title=f"社区通知{i}", pinned=i % 9 == 0, category="safety")
        elif body == b.qingfeng_1:
            NoticeFactory(
                body=body,
                title=f"一号院通知{i}",
                for_whole_community=False,
                compounds=[r.compound_a],
                courtyards=[r.courtyard_a1],
                buildings=[r.building_a1, r.building_a2],
            )
        else:
            NoticeFactory(
                body=body,
                title=f"百腊井通知{i}",
                for_whole_community=False,
                compounds=[b.bailajing_compound],
            )
    NoticeFactory(body=b.qingfeng_1, title="草稿", publish_at=None)


def add_parts(notice, n):
    for i in range(n):
        NoticeAttachmentFactory(notice=notice, title=f"照片{i}.png")
        NoticeRevision.objects.create(
            notice=notice, title=notice.title, text=f"第{i}稿", reason=f"更正{i}"
        )


@pytest.fixture
def measure(django_assert_num_queries, notice_bodies, register):
    """`measure(client, url, n, **params)`: the page runs `n` queries with a few notices and
    with many."""

    def check(client, url, n, grow=None, **params):
        add_notices(notice_bodies, register, FEW)
        with django_assert_num_queries(n):
            assert client.get(url, params).status_code == 200
        add_notices(notice_bodies, register, MANY)
        if grow is not None:
            grow()
        with django_assert_num_queries(n):
            assert client.get(url, params).status_code == 200

    return check


@pytest.mark.parametrize(
    ("params", "n"),
    [
        ({}, 3),
        ({"category": "safety"}, 3),
        ({"compound": "COMPOUND"}, 4),
        ({"compound": "COMPOUND", "category": "safety"}, 4),
    ],
    ids=["all", "category", "compound", "compound-and-category"],
)
def test_public_list_runs_a_fixed_number_of_queries(measure, register, params, n):
    params = {k: register.compound_a.pk if v == "COMPOUND" else v for k, v in params.items()}

    measure(Client(), reverse("notices:notice_list"), n, **params)


@pytest.mark.parametrize("page", ["notices:notice", "notices:notice_print"])
def test_notice_page_runs_a_fixed_number_of_queries(measure, notice_bodies, page):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1, title="铸铁管改造开工通知")
    add_parts(notice, 2)

    measure(Client(), reverse(page, args=[notice.pk]), 3, grow=lambda: add_parts(notice, 10))


def test_feed_runs_a_fixed_number_of_queries(measure, register):
    measure(Client(), reverse("notices:feed", args=[register.compound_a.pk]), 2)


def test_manage_list_runs_a_fixed_number_of_queries(measure, staff_client):
    measure(staff_client, reverse("notices:manage_list"), 6)
