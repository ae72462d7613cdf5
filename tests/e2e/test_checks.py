"""The browser checks catch what they are for (on small pages written here)."""

import pytest

from tests.e2e.browser import (
    assert_accessible,
    assert_focus_visible,
    assert_text_at_least,
    assert_touch_targets,
)

GOOD = """<!doctype html><html lang="en"><head><title>Fine</title></head><body>
<main><h1>Fine</h1><label for="q">Name</label> <input id="q" style="font-size:18px">
<button style="width:48px;height:48px;font-size:18px">Go</button></main></body></html>"""


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_a_clean_page_passes_every_check(page):
    page.set_content(GOOD)
    assert_accessible(page)
    assert_text_at_least(page, 16, within="main")
    assert_touch_targets(page, "button")
    assert_focus_visible(page, presses=2)


def test_a_field_without_a_label_fails_axe(page):
    page.set_content(GOOD.replace('<label for="q">Name</label>', ""))
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_an_id_used_twice_fails(page):
    page.set_content(GOOD.replace("<h1>", '<h1 id="q">'))
    with pytest.raises(AssertionError, match="more than once"):
        assert_accessible(page)


def test_small_text_fails(page):
    page.set_content(GOOD.replace("<h1>Fine</h1>", '<p style="font-size:12px">small print</p>'))
    with pytest.raises(AssertionError, match="small print"):
        assert_text_at_least(page, 16, within="main")


def test_a_small_touch_target_fails(page):
    page.set_content(GOOD.replace("width:48px;height:48px", "width:30px;height:30px"))
    with pytest.raises(AssertionError, match="under 44px"):
        assert_touch_targets(page, "button")


def test_focus_without_an_outline_fails(page):
    page.set_content(GOOD.replace("</main>", "</main><style>*:focus{outline:none}</style>"))
    with pytest.raises(AssertionError, match="no visible focus"):
        assert_focus_visible(page, presses=2)
