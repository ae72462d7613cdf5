"""The print views make clean A4 pages: Chromium prints each to PDF, and the PDF holds
the text people sign and pin up; the QR code of each, as Chromium prints it, reads back as
the address of its page online (docs/domain.md, "Paper that leads online")."""

import datetime
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.e2e.browser import assert_accessible
from tests.meetings.conftest import PIPES_MINUTES
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    OutsidePartyFactory,
    at,
)
from tests.notices.factories import NoticeFactory
from tests.qr import decoded

pytestmark = pytest.mark.django_db(transaction=True)

A4 = (595, 842)  # points, portrait
SITE = "https://jinzang.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE  # the live server runs in this process: it reads it too


def printed(flow, page):
    """The page printed to PDF as Chromium prints it (print media, A4 from print.css);
    kept as an artefact. Returns the text of every page, one string per page."""
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    path = flow.shot(page, "screen").with_name(f"{flow.name}.pdf")
    path.write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1, path
    for sheet in reader.pages:
        size = (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height)))
        assert size == A4, f"{path}: a page of {size} points is not A4"
    return [sheet.extract_text() for sheet in reader.pages]


def qr_on_paper(page) -> list[str]:
    """What the QR codes of the page read as when printed: Chromium draws it for print,
    zxing-cpp reads the bitmap."""
    page.emulate_media(media="print")
    image = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    page.emulate_media(media="screen")
    return decoded(image)


def one_line(pages):
    return " ".join(" ".join(pages).split())


def test_minutes_print_on_a4_with_items_decisions_and_actions(
    flow, register, project_bodies, staff_user
):
    r = register
    meeting = MeetingFactory(
        body=project_bodies.qingfeng_1,
        title="铸铁管改造工作例会",
        starts_at=at(2022, 11, 18, 15, 0),
        ends_at=at(2022, 11, 18, 16, 30),
        place="庆丰业委会办公室",
    )
    AttendeeFactory(meeting=meeting, resident=r.resident_a1)
    contractor = OutsidePartyFactory(meeting=meeting, organisation="贵州安居建筑公司", name="陈工")
    item = AgendaItemFactory(meeting=meeting, order=1, title="铸铁管改造", minutes=PIPES_MINUTES)
    DecisionFactory(meeting=meeting, item=item, text="当天与施工方签订协议。")
    ActionFactory(
        meeting=meeting,
        item=item,
        description="修复墙面",
        owner_party=contractor,
        due_on=datetime.date(2022, 12, 18),
    )
    page = flow.page(user=staff_user)
    page.goto(f"/meetings/{meeting.pk}/print/")
    assert_accessible(page)
    sheets = printed(flow, page)
    assert len(sheets) == 1  # the code and the signatures share the last lines
    text = one_line(sheets)
    for expected in [
        "Minutes",
        "铸铁管改造工作例会",
        "庆丰一号院业主委员会",
        "18 Nov 2022, 15:00",
        "施工方同意修复墙面",
        "当天与施工方签订协议",
        "贵州安居建筑公司",
        "Recorded by:",
        f"{SITE}/meetings/{meeting.pk}/",
    ]:
        assert expected in text, expected
    assert qr_on_paper(page) == [f"{SITE}/meetings/{meeting.pk}/"]


def test_paper_consent_form_prints_on_a4_with_the_household_and_answers(
    flow, pipes, building_18, staff_user
):
    household = building_18.households["2-302"]
    page = flow.page(user=staff_user)
    page.goto(f"/projects/{pipes.pk}/households/{household.pk}/form/")
    assert_accessible(page)
    sheets = printed(flow, page)
    assert len(sheets) == 1
    text = one_line(sheets)
    for expected in [
        "铸铁管改造",
        "Household consent form",
        "欧阳铁柱",
        "70.00 m²",
        "Agree",
        "Decline",
        "Signature of the owner(s):",
        "For the committee's workers",
    ]:
        assert expected in text, expected
    record = f"{SITE}/projects/{pipes.pk}/households/{household.pk}/"
    assert qr_on_paper(page) == [record]


def test_notice_prints_on_a4_for_the_notice_board(flow, project_bodies):
    notice = NoticeFactory(
        body=project_bodies.neighbourhood,
        title="停水通知",
        text="11月20日9时至17时，庆丰小区因铸铁管改造停水。\n\n- 请提前储水\n- 注意关好水龙头",
        publish_at=at(2022, 11, 18, 9, 0),
    )
    page = flow.page()  # anyone may print a published notice
    page.goto(f"/notices/{notice.pk}/print/")
    assert_accessible(page)
    sheets = printed(flow, page)
    assert len(sheets) == 1
    text = one_line(sheets)
    for expected in ["停水通知", "请提前储水", "金仓社区居民委员会", "18 Nov 2022"]:
        assert expected in text, expected
    online = f"{SITE}/notices/{notice.pk}/"
    assert qr_on_paper(page) == [online]
    # the wall and the page are one: the code opens the notice, for anyone
    page.goto(online.removeprefix(SITE))
    assert page.get_by_role("heading", level=1).inner_text() == "停水通知"


def test_summary_prints_on_one_a4_page_with_a_qr_code_to_itself(flow, pipes):
    page = flow.page()  # the notice-board summary is public
    page.goto(f"/projects/{pipes.pk}/summary/")
    assert_accessible(page)
    sheets = printed(flow, page)
    assert len(sheets) == 1
    assert f"{SITE}/projects/{pipes.pk}/summary/" in one_line(sheets)
    assert qr_on_paper(page) == [f"{SITE}/projects/{pipes.pk}/summary/"]
