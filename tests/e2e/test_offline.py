"""Recording with no signal, in Chromium at 375 px (issue 21; docs/domain.md, "Recording with
no signal"): a building's grid and a visit form opened while online open again offline from
the service worker; answers and a visit recorded offline wait in the browser's queue through
a reload and are sent once when the connection returns, however often they are sent; a
household answered meanwhile shows both answers and applies the one chosen; a closed vote
refuses with its reason; logging out clears the queue and the kept pages."""

import re

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread
from django.urls import reverse
from playwright.sync_api import expect

from jinzang.models import QueuedSend
from jinzang.staticfiles import hashed_static_files
from meetings.models import ConsentRecord, Visit
from meetings.projects import consent
from tests.e2e.browser import assert_accessible, log_in
from tests.e2e.conftest import PHONE
from tests.projects.conftest import record

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = """() => new Promise((done) => {
    const opening = indexedDB.open("jinzang-offline", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("queue", {keyPath: "key"});
    opening.onsuccess = () => {
        const db = opening.result;
        const all = db.transaction("queue").objectStore("queue").getAll();
        all.onsuccess = () => { db.close(); done(all.result); };
    };
})"""

PUT_BACK = """(items) => new Promise((done) => {
    const opening = indexedDB.open("jinzang-offline", 1);
    opening.onsuccess = () => {
        const db = opening.result;
        const tx = db.transaction("queue", "readwrite");
        for (const item of items) tx.objectStore("queue").put(item);
        tx.oncomplete = () => { db.close(); done(); };
    };
})"""


def grid_url(project, building_18):
    return reverse("projects:grid", args=[project.pk, building_18.building.pk])


def visit_url(household):
    return f"{reverse('visits:visit_create')}?household={household.pk}"


def wait_kept(page, path):
    """Until the service worker keeps `path` (the page it is on installs it first)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "(url) => caches.open('pages').then((c) => c.match(url)).then((r) => !!r)",
        arg=flow_url(page, path),
    )


def flow_url(page, path):
    return page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + path


def answer_offline(page, household, answer):
    page.locator(f"#cell-{household.pk}").click()
    form = page.locator("#panel .offline-form")
    expect(form.locator("h2")).to_have_text(f"{household.unit.number}-{household.door_number}")
    form.locator(f'.answer[value="{answer}"]').click()
    expect(page.locator(f"#cell-{household.pk}.waiting")).to_be_visible()


def state(page):
    return page.locator("#offline .offline-state")


def test_answers_and_a_visit_recorded_offline_are_sent_once_when_the_signal_returns(
    flow, pipes, building_18, staff_user
):
    h = building_18.households
    grid, visit = grid_url(pipes, building_18), visit_url(h["4-301"])
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(grid)
    wait_kept(page, grid)
    page.goto(visit)
    wait_kept(page, visit)
    before = {r.pk: r.version for r in ConsentRecord.objects.filter(project=pipes)}

    page.context.set_offline(True)
    page.goto(grid)  # from the worker
    expect(state(page)).to_contain_text("No connection")
    answers = {"4-301": "agree", "4-302": "decline", "4-401": "undecided", "4-402": "agree"}
    answers["2-402"] = "agree"  # undecided on the server: version 1
    for door, answer in answers.items():
        answer_offline(page, h[door], answer)
    expect(state(page)).to_contain_text("5 waiting to send.")
    flow.shot(page, "grid-offline")
    page.goto(visit)
    page.get_by_label("Purpose").select_option("opinion")
    page.get_by_label("Notes").fill("楼道无信号，离线记录。")
    page.get_by_role("button", name="Save the visit").click()
    expect(state(page)).to_contain_text("6 waiting to send.")
    assert not Visit.objects.exists()
    page.goto(grid)
    page.reload()  # the queue stays through a reload, with no signal
    expect(state(page)).to_contain_text("6 waiting to send.")
    for door in answers:
        expect(page.locator(f"#cell-{h[door].pk}.waiting")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    flow.shot(page, "reloaded-offline")
    queued = page.evaluate(QUEUE)
    assert len(queued) == 6 and len({item["key"] for item in queued}) == 6

    page.context.set_offline(False)  # sent by itself when the connection returns
    expect(state(page)).to_contain_text("6 sent.", timeout=15_000)
    expect(page.locator("#cell-{}.ans-agree".format(h["4-301"].pk))).to_be_visible()
    expect(page.locator(".waiting")).to_have_count(0)
    flow.shot(page, "sent")
    records = ConsentRecord.objects.filter(project=pipes)
    assert {r.household_id: r.answer for r in records if r.pk not in before or r.version > 1} == {
        h["4-301"].pk: "agree",
        h["4-302"].pk: "decline",
        h["4-401"].pk: "undecided",
        h["4-402"].pk: "agree",
        h["2-402"].pk: "agree",
    }
    assert Visit.objects.get().notes == "楼道无信号，离线记录。"

    # The same six sent again (a send whose answer never came back): nothing changes.
    snapshot = sorted(ConsentRecord.objects.values_list("pk", "answer", "version"))
    page.evaluate(PUT_BACK, queued)
    page.reload()
    expect(state(page)).to_contain_text("6 sent.", timeout=15_000)
    assert sorted(ConsentRecord.objects.values_list("pk", "answer", "version")) == snapshot
    assert Visit.objects.count() == 1
    assert QueuedSend.objects.count() == 6
    assert page.evaluate(QUEUE) == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_household_answered_meanwhile_shows_both_answers_and_applies_the_one_chosen(
    flow, settings, pipes, building_18, staff_user, manager, language
):
    h = building_18.households
    grid = grid_url(pipes, building_18)
    page = flow.page(viewport=PHONE, user=staff_user)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": flow.base_url}]
    )
    page.goto(grid)
    wait_kept(page, grid)
    page.context.set_offline(True)
    page.reload()
    answer_offline(page, h["4-301"], "agree")
    answer_offline(page, h["4-302"], "decline")
    # Meanwhile, with a signal, the chair records both households.
    record(pipes, h["4-301"], "decline", manager)
    record(pipes, h["4-302"], "undecided", manager)

    page.context.set_offline(False)
    conflicts = page.locator("#offline .message.warning")
    expect(conflicts).to_have_count(2, timeout=15_000)
    if language == "en":
        first = conflicts.first
        expect(first).to_contain_text("Someone else recorded this household meanwhile.")
        expect(first).to_contain_text("Recorded: Declines, by 李华玉 on")
        expect(first).to_contain_text("Yours, waiting: ✓ Agrees.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    buttons = conflicts.first.locator("button")
    assert all(b.bounding_box()["height"] >= 44 for b in buttons.all())
    flow.shot(page, f"conflict-{language}")

    conflicts.first.locator("button.primary").click()  # use mine (4-301)
    expect(conflicts).to_have_count(1, timeout=15_000)
    conflicts.first.locator("button:not(.primary)").click()  # keep the recorded one (4-302)
    expect(conflicts).to_have_count(0)
    mine = ConsentRecord.objects.get(project=pipes, household=h["4-301"])
    theirs = ConsentRecord.objects.get(project=pipes, household=h["4-302"])
    assert (mine.answer, mine.recorded_by, mine.version) == ("agree", staff_user, 2)
    assert (theirs.answer, theirs.recorded_by, theirs.version) == ("undecided", manager, 1)
    expect(page.locator("#cell-{}.ans-agree".format(h["4-301"].pk))).to_be_visible()
    expect(page.locator("#cell-{}.ans-undecided".format(h["4-302"].pk))).to_be_visible()
    assert page.evaluate(QUEUE) == []


def test_a_vote_closed_meanwhile_refuses_the_answer_with_its_reason(
    flow, fund, building_18, staff_user, manager
):
    household = building_18.households["4-402"]  # has not voted
    grid = grid_url(fund, building_18)
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(grid)
    wait_kept(page, grid)
    page.context.set_offline(True)
    page.reload()
    answer_offline(page, household, "agree")
    consent.vote_close(project=fund, by=manager, reason="业主大会决定提前结束")

    page.context.set_offline(False)
    refusal = page.locator("#offline .message.error")
    expect(refusal).to_contain_text("Not recorded:", timeout=15_000)
    expect(refusal).to_contain_text("closed")
    flow.shot(page, "refused")
    assert not ConsentRecord.objects.filter(project=fund, household=household).exists()
    refusal.get_by_role("button", name="Remove").click()
    expect(refusal).to_have_count(0)
    assert page.evaluate(QUEUE) == []


def test_logging_out_clears_the_queue_and_the_kept_pages(flow, pipes, building_18, staff_user):
    household = building_18.households["4-301"]
    grid = grid_url(pipes, building_18)
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(grid)
    wait_kept(page, grid)
    page.context.set_offline(True)
    page.reload()
    answer_offline(page, household, "agree")
    assert len(page.evaluate(QUEUE)) == 1
    # A page the worker did not keep: its offline page, in both languages.
    page.goto(reverse("dashboard"))
    expect(page.locator('section[lang="en"] h1')).to_have_text("No connection")
    expect(page.locator('section[lang="zh-hans"] h1')).to_have_text("无网络")
    flow.shot(page, "not-kept")
    # Back online on a page without the queue's script (nothing sends the answer), and
    # logged out there: the service worker clears the queue and the pages on the way.
    page.context.set_offline(False)
    page.goto(reverse("dashboard"))
    assert page.locator("script[src*=offline]").count() == 0
    page.locator(".menu-button").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert "/accounts/logout/" in page.url or "/accounts/login/" in page.url
    assert page.evaluate("caches.has('pages')") is False
    names = page.evaluate("indexedDB.databases().then((dbs) => dbs.map((d) => d.name))")
    assert "jinzang-offline" not in names
    assert not ConsentRecord.objects.filter(project=pipes, household=household).exists()
    page.goto(reverse("dashboard"))
    assert "/accounts/login/" in page.url


def test_an_answer_tapped_as_the_signal_drops_is_queued_not_lost(
    flow, pipes, building_18, staff_user
):
    household = building_18.households["4-401"]
    grid = grid_url(pipes, building_18)
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(grid)
    wait_kept(page, grid)
    page.locator(f"#cell-{household.pk}").click()  # the door's panel, from the server
    answers = page.locator("#panel form[hx-post] .answer")
    expect(answers.first).to_be_visible()
    page.context.set_offline(True)
    answers.filter(has_text="Declines").click()
    expect(state(page)).to_contain_text("1 waiting to send.")
    expect(state(page)).to_contain_text(
        f"{household.unit.number}-{household.door_number}: ✗ Declines"
    )
    expect(page.locator(f"#cell-{household.pk}.waiting.ans-decline")).to_be_visible()
    # No CSRF cookie by then (another login, cleared cookies): the send is refused by the
    # CSRF check once, takes a fresh token from the page and goes again.
    page.context.clear_cookies(name="csrftoken")
    page.context.set_offline(False)
    expect(state(page)).to_contain_text("1 sent.", timeout=15_000)
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "decline"


class Counting:
    """A WSGI wrapper keeping (path, bytes of body sent) of every response."""

    def __init__(self, app, seen):
        self.app, self.seen = app, seen

    def __call__(self, environ, start_response):
        entry = [environ["PATH_INFO"], 0]
        self.seen.append(entry)
        body = self.app(environ, start_response)
        try:
            for chunk in body:
                entry[1] += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()


@pytest.fixture
def counted_site(settings, tmp_path, transactional_db):
    """The site as deployed (static files hashed, served by whitenoise; as in
    tests/e2e/test_phone_layout.py), with what it sends counted: (url, seen)."""
    settings.STATIC_ROOT = tmp_path
    seen = []
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    with hashed_static_files():
        for connection in shared.values():
            connection.inc_thread_sharing()
        server = LiveServerThread("127.0.0.1", lambda app: Counting(app, seen), shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}", seen
        server.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


def test_the_worker_costs_a_few_kilobytes_once_and_a_page_seen_before_one_request(
    browser, counted_site, pipes, building_18, staff_user
):
    base, seen = counted_site
    grid = grid_url(pipes, building_18)
    context = browser.new_context(viewport=PHONE, base_url=base)
    log_in(context, base, staff_user)
    page = context.new_page()
    page.goto(grid)
    wait_kept(page, grid)
    page.wait_for_load_state("networkidle")
    names = [re.sub(r"\.[0-9a-f]{12}\.", ".", path) for path, _ in seen]
    # The page (the grid, the stylesheet, htmx, the queue's script), then the worker: its
    # code, the offline page and a copy of the grid to keep; the static files it keeps come
    # from the browser's cache, not again over the wire.
    assert sorted(names) == sorted(
        [
            grid,
            "/static/css/jinzang.css",
            "/static/js/htmx.min.js",
            "/static/js/offline.js",
            "/sw.js",
            "/offline/",
            grid,
        ]
    )
    worker = sum(size for path, size in seen[4:])
    print(f"cold with the worker: {seen}; the worker's part {worker} bytes")
    assert worker <= 8 * 1024
    seen.clear()
    page.goto(grid)
    page.wait_for_load_state("networkidle")
    assert [path for path, _ in seen] == [grid]  # the page itself, fetched for fresh answers
    context.close()


def test_the_pages_kept_for_one_account_go_when_another_signs_in_any_way(
    flow, pipes, building_18, staff_user, manager
):
    """Another account signed in on the same phone without the login page (an access
    letter's link, an SMS code, or as here a session cookie): its first page says so, and
    the worker drops the grids it kept for the first account."""
    grid = grid_url(pipes, building_18)
    page = flow.page(viewport=PHONE, user=staff_user)
    page.goto(grid)
    wait_kept(page, grid)
    page.context.clear_cookies()
    log_in(page.context, flow.base_url, manager)
    page.goto(reverse("home"))
    page.wait_for_function(
        "(url) => caches.open('pages').then((c) => c.match(url)).then((r) => !r)",
        arg=flow_url(page, grid),
    )
    page.context.set_offline(True)
    page.goto(grid)
    expect(page.locator('section[lang="en"] h1')).to_have_text("No connection")
