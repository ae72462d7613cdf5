"""Checks a page must pass in a real browser, shared by every browser test.

A new page joins by calling them after it loads:

    assert_accessible(page)                 # axe-core: no serious or critical violation
    assert_text_at_least(page, 16)          # public pages: readable for old eyes
    assert_touch_targets(page, ".cell", 44) # what a thumb must hit at the door
    assert_focus_visible(page)              # the keyboard's place is always seen

and `csp = csp_errors(page)` before it loads, `assert not csp` once the flow is done.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.test import Client

VENDOR = Path(__file__).parent / "vendor"

# Impacts that fail a page; axe's "moderate" and "minor" findings are reported, not failed.
BLOCKING = ("serious", "critical")


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, *, exclude=()):
    """axe-core's violations on the page as it is now (all rules of WCAG 2.1 A/AA and
    best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
            const result = await axe.run(context, {resultTypes: ["violations"], preload: false});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        list(exclude),
    )


def assert_accessible(page, *, exclude=()):
    """No serious or critical axe-core violation on the page as it is now, and no id used
    twice (a label pointing at a shared id names only the first field: axe misses it)."""
    twice = page.evaluate(
        """() => {
            const seen = new Set(), twice = new Set();
            for (const el of document.querySelectorAll("[id]")) {
                (seen.has(el.id) ? twice : seen).add(el.id);
            }
            return [...twice];
        }"""
    )
    assert not twice, f"ids used more than once on {page.url}: {twice}"
    blocking = [v for v in axe_violations(page, exclude=exclude) if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in blocking
    )


def assert_text_at_least(page, px: float, within: str = "body"):
    """Every piece of visible text (in `within`, the whole page by default) is at least
    `px` CSS pixels."""
    small = page.evaluate(
        """([px, within]) => {
            const found = [];
            const walker = document.createTreeWalker(document.querySelector(within),
                                                     NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                if (!node.textContent.trim()) continue;
                const el = node.parentElement;
                const box = el.getBoundingClientRect();
                if (box.width <= 1 || box.height <= 1) continue;  // not shown, or for screen readers
                const size = parseFloat(getComputedStyle(el).fontSize);
                if (size < px) found.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
            }
            return found;
        }""",
        [px, within],
    )
    assert not small, f"text under {px}px on {page.url}:\n" + "\n".join(small[:20])


def assert_touch_targets(page, selector: str, px: float = 44):
    """Every element matching `selector` (and there is one at least) is `px` by `px` or more."""
    boxes = page.eval_on_selector_all(
        selector,
        """(els) => els.map((el) => {
            const r = el.getBoundingClientRect();
            return {what: el.outerHTML.slice(0, 80), width: r.width, height: r.height};
        })""",
    )
    assert boxes, f"nothing matches {selector!r} on {page.url}"
    small = [b for b in boxes if b["width"] < px or b["height"] < px]
    assert not small, f"targets under {px}px on {page.url}:\n" + "\n".join(
        f"{b['width']:.0f}×{b['height']:.0f} {b['what']}" for b in small
    )


def assert_focus_visible(page, presses: int = 6):
    """Tabbing through the first controls, each focused one shows an outline or a ring."""
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const s = getComputedStyle(el);
                return {what: el.outerHTML.slice(0, 80), outline: s.outlineStyle,
                        width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
            }"""
        )
        if style is None:
            continue
        ring = style["outline"] == "auto"  # the browser's own focus ring
        outline = style["outline"] != "none" and style["width"] >= 2
        visible = ring or outline or style["shadow"] != "none"
        assert visible, f"no visible focus on {style['what']} ({page.url})"


def log_in(context, base_url: str, user):
    """Give the browser context the session cookie of `user`, without the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def csp_errors(page) -> list[str]:
    """The console errors about the Content-Security-Policy that `page` logs from now on (an
    inline style or script the policy refuses), kept in the list returned."""
    errors = []

    def keep(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", keep)
    return errors
