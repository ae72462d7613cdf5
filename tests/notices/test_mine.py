"""A resident's notices (the residents' door): those published for the compounds of the
households they belong to today, newest first."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.notices.factories import NoticeFactory, days_ago


@pytest.fixture
def resident_client(resident_user, log_in):
    return log_in(resident_user)


def test_a_resident_reads_the_notices_of_their_compound_newest_first(
    register, notice_bodies, resident_client
):
    b = notice_bodies
    NoticeFactory(body=b.neighbourhood, title="全社区停水通知", publish_at=days_ago(3))
    NoticeFactory(
        body=b.qingfeng_1,
        title="一号院铸铁管改造",
        for_whole_community=False,
        courtyards=[register.courtyard_a1],
        publish_at=days_ago(1),
    )
    NoticeFactory(
        body=b.bailajing,
        title="百腊井停车",
        for_whole_community=False,
        compounds=[b.bailajing_compound],
    )
    NoticeFactory(
        body=b.qianling,
        title="黔灵通知",
        for_whole_community=False,
        compounds=[register.compound_b],
    )
    NoticeFactory(body=b.neighbourhood, title="草稿", publish_at=None)
    NoticeFactory(body=b.neighbourhood, title="已撤回", withdrawn_at=timezone.now())
    page = resident_client.get(reverse("notices:mine")).content.decode()
    assert "Notices of the committees for 庆丰小区, newest first." in page
    assert page.index("一号院铸铁管改造") < page.index("全社区停水通知")
    for other in ("百腊井停车", "黔灵通知", "草稿", "已撤回"):
        assert other not in page, other


def test_after_moving_out_the_door_has_no_compounds_notices(
    register, notice_bodies, resident_client
):
    NoticeFactory(body=notice_bodies.neighbourhood, title="全社区停水通知")
    register.membership_a1.delete()
    page = resident_client.get(reverse("notices:mine")).content.decode()
    assert "全社区停水通知" not in page
    assert "does not place you in any home today" in page
    assert f'href="{reverse("notices:notice_list")}"' in page


def test_my_notices_read_in_a_fixed_number_of_queries(
    register, notice_bodies, resident_user, log_in, django_assert_num_queries
):
    for n in range(8):
        NoticeFactory(body=notice_bodies.neighbourhood, title=f"通知{n}")
        NoticeFactory(
            body=notice_bodies.qingfeng_1,
            title=f"院内通知{n}",
            for_whole_community=False,
            buildings=[register.building_a1],
        )
    client = log_in(resident_user)
    # session, user, grants, account, the count, the page, the compounds named
    with django_assert_num_queries(7):
        page = client.get(reverse("notices:mine")).content.decode()
    assert page.count('class="notice-item') == 16
