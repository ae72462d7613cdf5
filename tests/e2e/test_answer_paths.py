"""Every path that offers an answer records it, on a phone (375 px): the household's own
page reached from the grid's "left to visit" list, and the grid's panel, whose answers
take the household off that list at once."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import ConsentRecord
from tests.e2e.browser import assert_accessible, assert_touch_targets, csp_errors
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def console_errors(page) -> list[str]:
    """The console errors `page` logs from now on (htmx logs `htmx:targetError` there when
    a form's target is not on the page, and sends nothing)."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def assert_fits(page, width=PHONE["width"]):
    """Nothing on the page is wider than the phone: no sideways scrolling."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


def to_visit(page) -> list[str]:
    return page.locator("#to-visit a").all_inner_texts()


def test_a_worker_records_an_answer_on_the_household_page_from_the_left_to_visit_list(
    flow, pipes, building_18, manager
):
    door = building_18.households["4-301"]
    page = flow.page(viewport=PHONE, user=manager)
    errors = console_errors(page)
    csp = csp_errors(page)
    page.goto(f"/projects/{pipes.pk}/buildings/{building_18.building.pk}/")
    assert "4-301" in to_visit(page)

    page.locator("#to-visit").get_by_role("link", name="4-301").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Building 18, unit 4, door 301")
    expect(page.locator(".page-head").get_by_role("link", name="铸铁管改造")).to_have_attribute(
        "href", f"/projects/{pipes.pk}/"
    )
    back = page.get_by_role("link", name="Back to building 18")
    expect(back).to_be_visible()
    expect(page.get_by_text("上官银锁")).to_be_visible()  # the owner
    assert_accessible(page)
    assert_touch_targets(page, ".answer-buttons .answer")
    assert_touch_targets(page, ".page-head .button")
    assert_fits(page)
    page.get_by_text("Contribution, conditions, channel, scan").click()
    assert_fits(page)
    flow.shot(page, "household")
    # axe-core and screenshots leave `style=""` on the fields they looked at, which htmx
    # copies onto their replacements (refused by the CSP): a worker's page has never been
    # inspected.
    page.reload()

    page.get_by_role("button", name="✓ Agree").click()
    expect(page.get_by_role("status")).to_have_text("Unit 4, 301: Agrees.")
    expect(page.get_by_text(re.compile(r"Now: Agrees, recorded by"))).to_be_visible()
    expect(page.locator(".answer.current")).to_have_text("✓ Agrees")
    saved = ConsentRecord.objects.get(project=pipes, household=door)
    assert (saved.answer, saved.recorded_by, saved.version) == ("agree", manager, 1)
    assert_fits(page)

    # A second answer from the same page goes over the version now shown: no conflict.
    page.get_by_role("button", name="? Undecided").click()
    expect(page.get_by_role("status")).to_have_text("Unit 4, 301: Undecided.")
    saved.refresh_from_db()
    assert (saved.answer, saved.version) == ("undecided", 2)
    page.get_by_role("button", name="✓ Agree").click()
    expect(page.get_by_role("status")).to_have_text("Unit 4, 301: Agrees.")
    flow.shot(page, "recorded")
    assert_accessible(page)

    page.get_by_role("link", name="Back to building 18").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Building 18")
    expect(page.locator(f"#cell-{door.pk} .cell-mark")).to_have_text("✓")
    assert "4-301" not in to_visit(page)
    assert not [e for e in errors if "targetError" in e], errors
    assert not csp, csp
    assert not errors, errors


def test_an_answer_recorded_on_the_grid_takes_the_household_off_the_left_to_visit_list(
    flow, pipes, building_18, manager
):
    door = building_18.households["4-302"]
    page = flow.page(viewport=PHONE, user=manager)
    errors = console_errors(page)
    page.goto(f"/projects/{pipes.pk}/buildings/{building_18.building.pk}/")
    heading = page.locator("#to-visit h2")
    expect(heading).to_have_text("5 households left to visit")
    assert to_visit(page) == ["2-402", "4-301", "4-302", "4-401", "4-402"]
    # A mark that a reload would wipe out.
    page.evaluate("window.notReloaded = true")

    page.locator(f"#cell-{door.pk}").click()
    page.locator("#panel").get_by_role("button", name="✗ Decline").click()
    expect(page.locator("#panel").get_by_role("status")).to_have_text("Unit 4, 302: Declines.")
    expect(heading).to_have_text("4 households left to visit")
    assert to_visit(page) == ["2-402", "4-301", "4-401", "4-402"]
    # Undecided sends someone back to the door: the household is on the list again.
    page.locator(f"#cell-{door.pk}").click()
    page.locator("#panel").get_by_role("button", name="? Undecided").click()
    expect(heading).to_have_text("5 households left to visit")
    assert to_visit(page) == ["2-402", "4-301", "4-302", "4-401", "4-402"]
    assert page.evaluate("window.notReloaded === true")
    # The list's links still open the households' pages.
    page.locator("#to-visit").get_by_role("link", name="4-302").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Building 18, unit 4, door 302")
    expect(page.get_by_text(re.compile(r"Now: Undecided, recorded by"))).to_be_visible()
    assert_accessible(page)
    assert not errors, errors
