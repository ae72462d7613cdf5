"""The phone-first layout and light pages, in a real browser: one-line header, pages no
wider than the screen, thumb-sized links in lists, and what a page costs on the wire."""

import re
import threading

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import expect

from jinzang.staticfiles import hashed_static_files
from tests.e2e.browser import assert_touch_targets, log_in
from tests.e2e.conftest import DESKTOP, PHONE
from tests.meetings.factories import MeetingFactory
from tests.notices.factories import NoticeFactory
from tests.requests.factories import ResidentRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_MAX = 64
# Every link and button in a list or a table.
IN_LISTS = "main :is(li, td, th, dd) :is(a, button)"
KB = 1024


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_header_is_one_line_on_a_phone_and_the_menu_holds_the_users_name(
    flow, settings, staff_user, language
):
    page = flow.page(viewport=PHONE, user=staff_user)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": flow.base_url}]
    )
    page.goto("/dashboard/")
    assert header_height(page) <= HEADER_MAX
    expect(page.locator(".site-header .main-nav")).to_be_hidden()
    page.locator(".menu-button").click()
    expect(page.locator(".site-header .main-nav a").first).to_be_visible()
    expect(page.locator(".site-header .who")).to_have_text("廖书英")
    assert_touch_targets(page, ".site-header .main-nav a, .site-header button")
    assert header_height(page) <= HEADER_MAX  # the menu opens over the page
    flow.shot(page, "menu")


def test_the_navigation_is_one_line_at_a_desk_in_english(flow, staff_user):
    staff_user.is_staff = True  # the Admin link too
    staff_user.save()
    page = flow.page(viewport=DESKTOP, user=staff_user)
    page.goto("/dashboard/")
    expect(page.locator(".menu-button")).to_be_hidden()
    tops = {
        round(box["y"]) for box in (a.bounding_box() for a in page.locator(".main-nav a").all())
    }
    assert len(tops) == 1, tops
    assert page.locator(".main-nav a").count() == 13
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def flow_pages(r, pipes, building_18):
    """The pages the staff and member flows (test_flows, test_fieldwork) reach, and the
    main navigation's."""
    household = building_18.households["4-301"]
    request = ResidentRequestFactory(
        compound=r.compound_a, building=r.building_a1, household=r.household_a1
    )
    meeting = MeetingFactory(body=pipes.body, title="铸铁管改造工作例会")
    notice = NoticeFactory(body=pipes.body, title="停水通知")
    nav = [
        reverse(name)
        for name in (
            "home",
            "dashboard",
            "residents:resident_list",
            "meetings:meeting_list",
            "projects:project_list",
            "notices:notice_list",
            "visits:visit_list",
            "requests:list",
            "volunteers:list",
            "funds:list",
            "facilities:list",
            "committees:body_list",
        )
    ]
    return nav + [
        r.compound_a.get_absolute_url(),
        r.building_a1.get_absolute_url(),
        r.unit_a1.get_absolute_url(),
        r.household_a1.get_absolute_url(),
        r.resident_a1.get_absolute_url(),
        reverse("residents:resident_edit", args=[r.resident_a1.pk]),
        request.get_absolute_url(),
        reverse("requests:receive"),
        reverse("meetings:meeting_create"),
        meeting.get_absolute_url(),
        reverse("meetings:calendar"),
        reverse("notices:notice_create"),
        notice.get_absolute_url(),
        pipes.get_absolute_url(),
        reverse("projects:grid", args=[pipes.pk, building_18.building.pk]),
        reverse("projects:summary", args=[pipes.pk]),
        household.get_absolute_url(),
        reverse("visits:visit_create") + f"?household={household.pk}",
        reverse("requests:resolved"),
    ]


def test_every_page_of_the_flows_fits_a_phone_and_its_list_links_take_a_thumb(
    flow, register, pipes, building_18, staff_user, member_a
):
    pages = flow_pages(register, pipes, building_18)
    for user, urls in [(staff_user, pages), (member_a, ["/", "/residents/", "/notices/"])]:
        page = flow.page(viewport=PHONE, user=user)
        for url in urls:
            response = page.goto(url)
            assert response.status in (200, 403, 404), url
            for width in (320, 375):
                page.set_viewport_size({"width": width, "height": PHONE["height"]})
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{url} is {wide} px wide at {width} px"
            if page.locator(IN_LISTS).count():
                small = page.eval_on_selector_all(
                    IN_LISTS,
                    """(els) => els.filter((el) => el.checkVisibility())
                        .map((el) => [el.getBoundingClientRect().height, el.outerHTML.slice(0, 80)])
                        .filter(([h]) => h < 44)""",
                )
                assert not small, f"{url}: {small[:5]}"
    flow.shot(page, "last")


def test_a_list_folds_its_filters_behind_a_button_that_counts_them(flow, staff_user, register):
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto("/requests/?status=received&overdue=")
    form = page.locator("form.filters")
    expect(form).to_be_hidden()
    button = page.locator(".filter-button")
    expect(button).to_contain_text("1 on")
    assert header_height(page) + button.bounding_box()["height"] < 400
    button.click()
    expect(form).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("received")
    page.set_viewport_size(DESKTOP)
    page.goto("/requests/")
    expect(form).to_be_visible()  # open on a wide screen
    expect(button).to_be_hidden()


@pytest.fixture
def site_as_deployed(settings, tmp_path, transactional_db):
    """The site served as in production: static files collected under hashed names and
    served by whitenoise with the pages, not by the test server's own static handler."""
    settings.STATIC_ROOT = tmp_path
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    with hashed_static_files():
        for connection in shared.values():
            connection.inc_thread_sharing()
        server = LiveServerThread("127.0.0.1", lambda app: app, shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
        server.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


def transfers(context, url):
    """[(url, bytes on the wire, content encoding)] of loading `url`, from Chromium's own
    network events; a file taken from the browser's cache costs no bytes and is left out."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen, done = {}, {}
    lock = threading.Lock()

    def response(event):
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        with lock:
            seen[event["requestId"]] = (event["response"]["url"], headers.get("content-encoding"))

    cdp.on("Network.responseReceived", response)
    cdp.on(
        "Network.loadingFinished",
        lambda e: done.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.close()
    return [(*seen[k], size) for k, size in done.items() if size > 0 and k in seen]


@pytest.mark.parametrize(
    ("what", "budget"), [("notices", 30 * KB), ("grid", 35 * KB)], ids=["notices", "grid"]
)
def test_a_page_is_compressed_within_its_budget_and_costs_one_request_when_seen_again(
    browser, site_as_deployed, pipes, building_18, staff_user, project_bodies, what, budget
):
    for n in range(12):
        NoticeFactory(body=project_bodies.neighbourhood, title=f"停水通知{n}", text="停水。" * 40)
    # What the page itself costs; the service worker's one-time cost is measured in
    # tests/e2e/test_offline.py.
    context = browser.new_context(
        viewport=PHONE, base_url=site_as_deployed, service_workers="block"
    )
    if what == "grid":
        log_in(context, site_as_deployed, staff_user)
        url = reverse("projects:grid", args=[pipes.pk, building_18.building.pk])
    else:
        url = reverse("notices:notice_list")
    cold = transfers(context, url)
    kinds = sorted(re.sub(r"\.[0-9a-f]{12}\.", ".", u.split(site_as_deployed)[1]) for u, *_ in cold)
    assets = ["/static/css/jinzang.css", "/static/js/htmx.min.js"]
    if what == "grid":  # recording with no signal: the queue's script, on the grid alone
        assets.append("/static/js/offline.js")
    assert kinds == sorted([url, *assets])
    assert {encoding for _, encoding, _ in cold} == {"gzip"}
    total = sum(size for *_, size in cold)
    print(f"{what}: cold {total} bytes: {cold}")
    assert total <= budget
    warm = transfers(context, url)
    assert [u.split(site_as_deployed)[1] for u, *_ in warm] == [url]  # no revalidation
    context.close()
