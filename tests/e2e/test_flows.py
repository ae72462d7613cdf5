"""The flows people follow in a real browser, each checked for accessibility on every page.

Staff at a desk (1280 px), grid workers at the door and residents reading notices on
phones (375×812).
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committees.models import Notice, ResidentRequest
from meetings.models import Action, Meeting
from tests.e2e.browser import (
    assert_accessible,
    assert_focus_visible,
    assert_text_at_least,
    assert_touch_targets,
    csp_errors,
)
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, HouseholdFactory, UnitFactory
from tests.meetings.factories import MeetingFactory
from tests.notices.factories import NoticeFactory
from tests.requests.conftest import category, req  # noqa: F401  (fixtures of the flows)
from tests.requests.factories import RequestCategoryFactory, ResidentRequestFactory
from tests.residents.letter_rows import join_path, letter_issued
from tests.words import PageText, UserData, stored_texts

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_log_in_drill_down_to_a_household_and_edit_a_resident(flow, register, staff_user):
    r = register
    page = flow.page()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    assert_text_at_least(page, 16)
    assert_focus_visible(page)
    page.get_by_label("Username").fill("liaoshuying")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("金仓社区")
    assert_accessible(page)
    page.get_by_role("link", name="庆丰小区").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("庆丰小区")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("18")).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"\b2\b")).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("301")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Household 301")
    assert_accessible(page)
    page.get_by_role("link", name="李华玉").click()
    assert_accessible(page)
    page.get_by_role("link", name="Edit resident").click()
    assert_accessible(page)
    page.get_by_label("Mobile phone").fill("13800001111")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("李华玉")
    # Saved, and masked until asked for with a reason (one click, swapped in by htmx).
    expect(page.locator("main")).to_contain_text("138****1111")
    expect(page.locator("main")).not_to_contain_text("13800001111")
    assert_accessible(page)
    flow.shot(page, "resident-saved")
    page.get_by_role("button", name="To contact the resident").click()
    expect(page.locator("#numbers")).to_contain_text("13800001111")
    expect(page.get_by_role("button", name="To contact the resident")).to_have_count(0)
    assert_accessible(page)
    flow.shot(page, "resident-numbers-shown")
    r.resident_a1.refresh_from_db()
    assert r.resident_a1.phone == "13800001111"


def test_staff_ask_for_a_raisers_phone_on_the_request_page(flow, req, staff_user):  # noqa: F811
    page = flow.page(user=staff_user)
    page.goto(req.get_absolute_url())
    raiser = page.locator(".raiser")
    expect(raiser).to_contain_text("138****5678")
    expect(raiser).not_to_contain_text("13812345678")
    flow.shot(page, "raiser-phone-masked")
    page.get_by_role("button", name="Show in full, to follow up the request").click()
    expect(raiser).to_contain_text("13812345678")
    expect(page.get_by_role("heading", level=1)).to_have_text(req.title)  # still the request
    flow.shot(page, "raiser-phone-shown")


def test_record_a_held_meeting_with_an_action(flow, project_bodies, staff_user):
    page = flow.page(user=staff_user)
    csp = csp_errors(page)

    page.goto("/meetings/new/")
    assert_accessible(page)
    page.get_by_label("convening body").select_option(label="庆丰一号院业主委员会")
    page.get_by_label("kind").select_option(label="Work meeting")
    page.get_by_label("subject").fill("铸铁管改造工作例会")
    page.get_by_label("starts at").fill("2022-11-18T15:00")
    page.get_by_label("ends at").fill("2022-11-18T16:30")
    page.get_by_label("place").fill("庆丰业委会办公室")
    page.get_by_label("status").select_option(label="Held")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("铸铁管改造工作例会")
    assert_accessible(page)
    page.get_by_label("Add an attendee").fill("华玉")
    page.locator("#attendee-results").get_by_role("button", name=re.compile("李华玉")).click()
    expect(page.locator("#attendees .chips")).to_contain_text("华玉")  # her account
    page.get_by_label("organisation").fill("贵州安居建筑公司")
    page.get_by_label("representative").fill("陈工")
    page.get_by_role("button", name="Add the party").click()
    expect(page.locator("#sections")).to_contain_text("贵州安居建筑公司")
    actions = page.locator("section", has=page.get_by_role("heading", name="Follow-up actions"))
    actions.get_by_label("action").fill("修复墙面")
    owner = actions.get_by_label("owner")
    owner.select_option(owner.locator("option", has_text="贵州安居建筑公司").get_attribute("value"))
    actions.get_by_label("due on").fill("2022-12-18")
    actions.get_by_role("button", name="Add the action").click()
    expect(page.locator("#sections")).to_contain_text("修复墙面")
    assert_accessible(page)
    flow.shot(page, "recorded")
    # The swaps above broke no rule of the Content-Security-Policy (htmx's indicator style).
    assert not csp, csp

    page.get_by_role("link", name="Done").click()
    expect(page.locator("main")).to_contain_text("修复墙面")
    assert_accessible(page)
    meeting = Meeting.objects.get(title="铸铁管改造工作例会")
    assert meeting.status == Meeting.Status.HELD
    action = Action.objects.get(meeting=meeting)
    assert (action.description, action.due_on) == ("修复墙面", datetime.date(2022, 12, 18))
    assert action.owner_party.organisation == "贵州安居建筑公司"


def label(text):
    """A field's label, whatever its case: "unit" must not find "community"."""
    return re.compile(rf"^{text}\*?$", re.I)


def test_receive_a_request_pinned_to_a_unit_2_household_by_building_unit_and_door(
    flow, register, staff_user
):
    r = register
    RequestCategoryFactory(name="道路设施")
    # Building 18 has a 301 in unit 1 as well as 李华玉's in unit 2.
    HouseholdFactory(unit=UnitFactory(building=r.building_a1, number="1"), door_number="301")
    page = flow.page(user=staff_user)
    page.goto("/requests/new/")
    assert_accessible(page)
    page.get_by_label(label("category")).select_option(label="道路设施")
    page.get_by_label(label("title")).fill("楼道灯坏了")
    page.get_by_label(label("building")).select_option(label="庆丰小区 Building 18")
    unit = page.get_by_label(label("unit"))
    expect(unit.locator("option")).to_have_text(["From the door number", "Unit 1", "Unit 2"])
    page.get_by_label(label("door number")).fill("301")
    page.get_by_label(label("door number")).blur()
    page.get_by_role("button", name="Save").click()

    # 301 alone is in two units: the page asks which, and nothing is written.
    expect(page.locator("main")).to_contain_text(
        "Door 301 is in several units of building 18 (units 1, 2): choose the unit."
    )
    assert_accessible(page)
    assert not ResidentRequest.objects.exists()
    page.get_by_label(label("unit")).select_option(label="Unit 2")
    raiser = page.get_by_label(label("raised by"))
    expect(raiser.locator("option", has_text="李华玉")).to_have_count(1)
    raiser.select_option(label="李华玉 (1962)")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("楼道灯坏了")
    expect(page.locator("main")).to_contain_text("庆丰小区 building 18 unit 2, 301")
    assert_accessible(page)
    flow.shot(page, "received")
    received = ResidentRequest.objects.get()
    assert (received.household, received.raised_by) == (r.household_a1, r.resident_a1)


def legend_count(page, label):
    item = page.locator("#legend li", has_text=label)
    return int(item.locator("strong").inner_text())


def test_record_three_consent_answers_on_the_grid_at_phone_width(
    flow, pipes, building_18, staff_user
):
    page = flow.page(viewport=PHONE, user=staff_user)
    csp = csp_errors(page)
    page.goto(f"/projects/{pipes.pk}/buildings/{building_18.building.pk}/")
    assert_accessible(page)
    assert_touch_targets(page, ".consent-grid .cell")
    assert_touch_targets(page, ".building-tabs a")
    # Colour is never the only signal: every door and every legend entry shows a mark.
    marks = page.locator(".consent-grid .cell-mark, #legend .cell").all_inner_texts()
    assert marks and all(m.strip() for m in marks)
    assert (legend_count(page, "Agree"), legend_count(page, "Decline")) == (2, 1)
    assert legend_count(page, "Undecided") == 1

    unit_4 = building_18.households
    for key, answer, label, expected in [
        ("4-301", "✓ Agree", "Agree", 3),
        ("4-302", "✗ Decline", "Decline", 2),
        ("4-401", "? Undecided", "Undecided", 2),
    ]:
        page.locator(f"#cell-{unit_4[key].pk}").click()
        buttons = page.locator("#panel .answer")
        expect(buttons.first).to_be_visible()
        assert_touch_targets(page, "#panel .answer")
        assert_accessible(page)
        page.locator("#panel").get_by_role("button", name=answer).click()
        expect(page.locator("#legend li", has_text=label).locator("strong")).to_have_text(
            str(expected)
        )
        expect(page.locator(f"#cell-{unit_4[key].pk} .cell-mark")).to_have_text(answer[0])
    assert_accessible(page)
    flow.shot(page, "tally")
    assert legend_count(page, "Not reached") == 1
    assert not csp, csp


def test_publish_a_notice_and_read_it_on_a_phone_without_an_account(
    flow, project_bodies, staff_user
):
    page = flow.page(user=staff_user)
    page.goto("/notices/new/")
    assert_accessible(page)
    page.get_by_label("publishing body").select_option(label="金仓社区居民委员会")
    page.get_by_label("title").fill("停水通知")
    page.get_by_label("text").fill("11月20日9时至17时，庆丰小区因铸铁管改造停水，请提前储水。")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("停水通知")
    assert_accessible(page)
    page.get_by_role("row", name=re.compile("停水通知")).get_by_role(
        "button", name="Publish"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Published: residents of")
    assert Notice.objects.get(title="停水通知").state == "published"

    phone = flow.page(viewport=PHONE)
    phone.goto("/notices/")
    assert_accessible(phone)
    assert_text_at_least(phone, 16)
    phone.get_by_role("link", name="停水通知").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("停水通知")
    expect(phone.locator("main")).to_contain_text("请提前储水")
    assert_accessible(phone)
    assert_text_at_least(phone, 16)
    assert_focus_visible(phone)
    flow.shot(phone, "read")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desk"])
def test_read_the_meeting_calendar(flow, project_bodies, staff_user, viewport):
    MeetingFactory(
        body=project_bodies.qingfeng_1, title="铸铁管改造工作例会", starts_at=timezone.now()
    )
    page = flow.page(viewport=viewport, user=staff_user)
    page.goto("/meetings/calendar/")
    expect(page.locator(".calendar")).to_contain_text("铸铁管改造工作例会")
    assert_accessible(page)
    flow.shot(page, "month")
    # A month without a meeting.
    page.goto(f"/meetings/calendar/?month={timezone.localdate().year + 1}-01")
    assert_accessible(page)


def test_switch_the_language_and_see_the_page_in_english(flow, settings, project_bodies):
    settings.LANGUAGE_CODE = "zh-hans"  # the project's default; conftest forces English
    NoticeFactory(
        body=project_bodies.neighbourhood,
        title="居民议事会通知",
        publish_at=timezone.make_aware(datetime.datetime(2022, 11, 18, 9, 0)),
    )
    page = flow.page(viewport=PHONE)
    page.goto("/notices/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main")).to_contain_text("2022年11月18日")
    assert_accessible(page)
    assert_text_at_least(page, 16)
    flow.shot(page, "chinese")

    # On a phone the language switch is in the header's menu.
    page.locator(".menu-button").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".menu-button").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("main")).to_contain_text("18 Nov 2022")
    assert_accessible(page)
    flow.shot(page, "english")
    page.get_by_role("link", name="居民议事会通知").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_a_committee_member_cannot_reach_another_compounds_pages(flow, register, member_a):
    r = register
    page = flow.page(viewport=PHONE, user=member_a)
    page.goto("/")
    expect(page.get_by_role("link", name="庆丰小区")).to_be_visible()
    expect(page.get_by_role("link", name="黔灵小区")).to_have_count(0)
    assert_accessible(page)
    for url in [
        f"/compounds/{r.compound_b.pk}/",
        f"/buildings/{r.building_b.pk}/",
        f"/households/{r.household_b.pk}/",
        f"/residents/{r.resident_b.pk}/",
        f"/residents/{r.resident_b.pk}/edit/",
    ]:
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.locator("main")).not_to_contain_text("赵湘黔")
    assert_accessible(page)
    flow.shot(page, "not-found")
    page.goto("/residents/?q=赵湘黔")
    expect(page.get_by_role("link", name="赵湘黔")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("赵湘黔")  # the search, not a person


def test_public_pages_read_at_16px_or_more_on_a_phone(flow, pipes, register, settings):
    settings.SMS_BACKEND = "residents.accounts.sms.LocmemBackend"
    _letter, code = letter_issued(resident=register.resident_a1, household=register.household_a1)
    page = flow.page(viewport=PHONE)
    for url in [
        "/requests/resolved/",
        f"/projects/{pipes.pk}/summary/",
        "/accounts/login/",
        "/accounts/login/sms/",
        "/join/",
        join_path(code),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
        assert_text_at_least(page, 16)
        assert_focus_visible(page, presses=3)
        flow.shot(page, url.strip("/").replace("/", "-"))


def test_a_committee_member_finds_a_resident_by_the_phone_tail_on_the_screen(
    flow, register, member_a
):
    page = flow.page(viewport=PHONE, user=member_a)
    page.goto("/residents/")
    expect(page.locator("main")).to_contain_text("the last four digits of a phone number")
    search = page.get_by_role("searchbox", name="Search residents")
    search.fill("5678")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="李华玉")).to_be_visible()
    expect(results).to_contain_text("138****5678")
    expect(results.get_by_role("link", name="武莉华")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?q=5678$"))
    assert_accessible(page)
    flow.shot(page, "found")
    # More digits than the mask shows find nobody: hidden digits cannot be probed.
    search.fill("45678")
    expect(results).to_contain_text("Nobody matches “45678”.")
    # The place as the list shows it finds the same resident.
    search.fill("18-2-301")
    expect(results.get_by_role("link", name="李华玉")).to_be_visible()
    expect(results).to_contain_text("1 resident")


def assert_no_chinese_but_the_users_words(page):
    """No Chinese on the English page but what the database holds (names, titles, places)
    and what is marked as Chinese (the language switch)."""
    user_data = UserData(stored_texts())
    left = [t for t in PageText.of(page.content(), "en").texts() if user_data.chinese_in(t)]
    assert left == [], f"{page.url}: {left}"


def test_the_english_request_page_shows_chinese_only_in_the_residents_words(
    flow, register, staff_user
):
    r = register
    request = ResidentRequestFactory(
        compound=r.compound_a, building=r.building_a1, household=r.household_a1
    )
    page = flow.page(user=staff_user)
    page.goto(f"/requests/{request.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Accept the request")).to_be_visible()
    expect(page.get_by_role("button", name="Close as not actionable")).to_be_visible()
    assert_no_chinese_but_the_users_words(page)
    assert_accessible(page)

    page.get_by_role("button", name="Accept the request").click()
    expect(page.get_by_role("heading", name="Start work")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Accepted")
    assert_no_chinese_but_the_users_words(page)
    flow.shot(page, "accepted")
