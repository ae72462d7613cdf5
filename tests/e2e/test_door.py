"""The residents' door in a browser, at a phone's width: large type (nothing under 16 px),
the axe checks, thumb-sized targets, nothing wider than the screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from committees.models import ResidentRequest
from committees.requests import services
from residents.privacy.services import personal_data_reveal
from tests.e2e.browser import (
    assert_accessible,
    assert_focus_visible,
    assert_text_at_least,
    assert_touch_targets,
)
from tests.e2e.conftest import DESKTOP, PHONE
from tests.notices.factories import NoticeFactory
from tests.requests.factories import RequestCategoryFactory


@pytest.fixture
def door(register, staff_user, resident_user):
    """李华玉's account, a request she raised by phone and answered, a staff member who was
    shown her phone, a notice for her compound."""
    r = register
    category = RequestCategoryFactory(name="道路设施")
    RequestCategoryFactory(name="登记信息更正", for_corrections=True)
    req = services.request_receive(
        community=r.community_a,
        category=category,
        title="楼道灯坏了",
        received_through=ResidentRequest.Channel.PHONE,
        recorded_by=staff_user,
        household=r.household_a1,
        raised_by=r.resident_a1,
        received_at=timezone.now() - datetime.timedelta(hours=5),
    )
    services.request_accept(request=req, by=staff_user)
    services.request_resolve(request=req, by=staff_user, reply="楼道灯已更换。")
    personal_data_reveal(
        user=staff_user, residents=[r.resident_a1], path="/x/", fields=("phone",), reason="contact"
    )
    from tests.factories import BodyFactory

    body = BodyFactory(neighbourhood=True, community=r.community_a, name="金仓社区居民委员会")
    NoticeFactory(body=body, title="停水通知")
    return req


def assert_fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide"


def test_the_door_pages_read_at_16px_or_more_and_fit_a_phone(flow, door, resident_user):
    page = flow.page(viewport=PHONE, user=resident_user)
    urls = [
        reverse("door:home"),
        reverse("door:record"),
        reverse("requests:mine"),
        reverse("requests:mine_detail", args=[door.pk]),
        reverse("requests:mine_new"),
        reverse("notices:mine"),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
        assert_text_at_least(page, 16)
        assert_fits(page, PHONE["width"])
        # A checkbox is ticked through its label, which is the target.
        assert_touch_targets(
            page,
            "main .button, main select, main .checkbox label,"
            " main input:not([type=hidden]):not([type=checkbox])",
        )
        assert_touch_targets(page, ".main-nav a")
        assert_focus_visible(page, presses=4)
        flow.shot(page, url.strip("/").replace("/", "-"))
    body = page.locator("body")
    expect(body).to_have_css("font-size", "18px")


def test_a_resident_asks_for_a_correction_and_follows_it(flow, door, resident_user):
    page = flow.page(viewport=PHONE, user=resident_user)
    page.goto("/")
    expect(page).to_have_url(reverse("door:home"))
    expect(page.locator("main")).to_contain_text("138****5678")
    page.get_by_label("Is something wrong?").select_option("phone")
    page.get_by_role("button", name="Ask for a correction").click()
    expect(page.get_by_label("The problem in a few words")).to_have_value(
        "Correction to the register: my mobile phone number"
    )
    description = page.get_by_label("Tell us more")
    description.fill(description.input_value() + "13812340000")
    page.get_by_role("button", name="Send to the committee").click()
    expect(page.locator("main")).to_contain_text("Your request is sent to the committee.")
    expect(page.locator("main")).to_contain_text("Online")
    assert_accessible(page)
    flow.shot(page, "sent")
    page.get_by_role("link", name="My requests").first.click()
    expect(page.locator("main")).to_contain_text("Correction to the register")


def test_the_door_reads_on_a_desktop_too(flow, door, resident_user):
    page = flow.page(viewport=DESKTOP, user=resident_user)
    page.goto(reverse("door:record"))
    expect(page.locator("main")).to_contain_text("廖书英 · Neighbourhood-committee staff")
    assert_accessible(page)
    assert_fits(page, DESKTOP["width"])
    flow.shot(page, "record")
