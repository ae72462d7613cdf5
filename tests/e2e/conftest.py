"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

One browser serves the whole session; every test gets fresh contexts (cookies, viewport).
Without /usr/bin/chromium (or $JINZANG_CHROMIUM) the tests skip, unless
JINZANG_E2E=required (as in .ci/run), when they fail instead.

Each test is a *flow*: `flow.shot(page, "step")` keeps a screenshot named after the flow
under tests/e2e/artefacts/ (or $JINZANG_E2E_ARTEFACTS); when a flow fails, every page it
opened is photographed as `<flow>-failed-N.png` and the report names the flow and files.
"""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.browser import axe_source, log_in
from tests.projects.conftest import (  # noqa: F401  (fixtures used by the flows)
    building_18,
    fund,
    manager,
    media_root,
    pipes,
    project_bodies,
)

# Playwright's sync API keeps an event loop running in the main thread for as long as
# the (session-wide) browser lives, so Django's guard would take every later test, in
# any folder, for async code and refuse its queries. The tests stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("JINZANG_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("JINZANG_E2E") == "required"
ARTEFACTS = Path(os.environ.get("JINZANG_E2E_ARTEFACTS", Path(__file__).parent / "artefacts"))

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Every test here is a browser test: `-m "not e2e"` leaves them all out.
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.e2e)


def _unavailable(reason):
    if REQUIRED:
        pytest.fail(f"browser tests required (JINZANG_E2E=required) but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set JINZANG_E2E=required to fail instead)")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (uv sync)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


class Flow:
    """One browser flow: its pages, its screenshots."""

    def __init__(self, name, browser, base_url):
        self.name = name
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.pages = []
        self.shots = []

    def page(self, *, viewport=DESKTOP, user=None, locale="en-GB"):
        """A fresh page (its own cookies) at `viewport`, logged in as `user` when given."""
        context = self.browser.new_context(
            viewport=viewport,
            base_url=self.base_url,
            locale=locale,
            timezone_id="Asia/Shanghai",
            device_scale_factor=1,
            has_touch=viewport["width"] < 600,
        )
        context.set_default_timeout(10_000)
        # axe-core rides along in every document: sent to Chromium once per context, not
        # 650 kB per check (add_script_tag cost a second a page).
        context.add_init_script(script=axe_source())
        if user is not None:
            log_in(context, self.base_url, user)
        self.contexts.append(context)
        page = context.new_page()
        self.pages.append(page)
        return page

    def shot(self, page, step):
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{self.name}-{step}.png"
        page.screenshot(path=path, full_page=True)
        self.shots.append(path)
        return path

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def flow(request, browser, live_server):
    name = re.sub(r"^test_", "", request.node.name)
    for old in ARTEFACTS.glob(f"{name}[-.]*"):  # the last run's: not to be taken for this one's
        old.unlink()
    flow = Flow(name, browser, live_server.url)
    request.node.e2e_flow = flow
    yield flow
    flow.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    flow = getattr(item, "e2e_flow", None)
    if flow is not None and report.failed and call.when == "call":
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        kept = []
        for n, page in enumerate(flow.pages, start=1):
            path = ARTEFACTS / f"{flow.name}-failed-{n}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except Exception as error:  # a crashed page must not hide the real failure
                kept.append(f"{path} (not taken: {error})")
            else:
                kept.append(f"{path} ({page.url})")
        text = f"flow {flow.name!r} failed; screenshots:\n" + "\n".join(kept or ["(no page)"])
        report.sections.append(("e2e flow", text))
        reporter = item.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\nE2E FLOW FAILED: {flow.name} -> {ARTEFACTS}")
    return report
