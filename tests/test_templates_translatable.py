"""Every template's user-facing text goes through the translation machinery.

The scanner reads each template under templates/ with Django's own lexer, masks what
Django fills in (variables, tags, {% translate %}, the inside of {% blocktranslate %},
{% comment %}) and parses the rest as HTML. Any text left that holds a letter (Latin,
CJK, any script) is a string nobody can translate; so is a letter in an attribute people
read (title, alt, placeholder, aria-label, a button's value). So is Chinese punctuation
(、 between items, （）, ：, the ideographic space): written by hand, it shows on the English
page too; it belongs in the translation ({% list_separator %} between items). New
templates are scanned without being listed.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# (template, text): why it is not translated. Keep it short.
ALLOWED = {
    ("base.html", "金"): "the logo's mark (the project's name), hidden from screen readers",
    ("notices/_notice_body.html", "PDF ·"): "a file format's name, the same in every language",
    ("door/base.html", "door"): "the body's CSS class (base.html's body_class block), not text",
    ("projects/ballot.html", "PDF ·"): "a file format's name, the same in every language",
}
# Whole templates: why they are written out instead.
ALLOWED_TEMPLATES = {
    "500.html": "rendered when something broke, so it uses no tags at all: both languages "
    "are written out, each marked with its lang attribute",
}

READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}
# Nothing in these blocks is read as page text.
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED_BLOCKS |= {"comment": "endcomment", "verbatim": "endverbatim"}

LETTER = re.compile(r"[^\W\d_]")
CHINESE_PUNCTUATION = re.compile(
    r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
MASK = "\x00"
# Literal text a tag or variable puts on the page: {{ x|default:"None" }},
# {% include "x.html" with label="Save" %}.
SHOWN_LITERAL = re.compile(
    r"""(?:\b(?:default|default_if_none|yesno):|\bwith\b.*?\w=)(["'])(.*?)\1"""
)


def literals(source: str) -> list[tuple[int, str]]:
    """Text with letters given as a literal to a tag or filter that shows it."""
    found = []
    for token in Lexer(source).tokenize():
        if token.token_type in (TokenType.VAR, TokenType.BLOCK):
            name = token.contents.split(maxsplit=1)[0] if token.contents else ""
            if name.startswith(("translate", "trans", "blocktrans")):
                continue
            found += [
                (token.lineno, m.group(2))
                for m in SHOWN_LITERAL.finditer(token.contents)
                if LETTER.search(m.group(2))
            ]
    return found


def masked(source: str) -> str:
    """The template with everything Django fills in replaced by MASK (lines kept)."""
    out, closing = [], None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT and closing is None:
            out.append(raw)
            continue
        if token.token_type == TokenType.BLOCK:
            name = raw.split(maxsplit=1)[0] if raw else ""
            if closing is None and name in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[name]
            elif name == closing:
                closing = None
        out.append(MASK + "\n" * raw.count("\n"))
    return "".join(out)


class Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.raw_text = 0  # inside <script> or <style>

    def check(self, text):
        punctuation = CHINESE_PUNCTUATION.search(text)
        text = " ".join(text.replace(MASK, " ").split())
        if LETTER.search(text) or punctuation:
            self.found.append((self.getpos()[0], text))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.check(value)
        if tag == "input" and attributes.get("type") in BUTTON_TYPES:
            self.check(attributes.get("value") or "")
        if tag in ("script", "style"):
            self.raw_text += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.raw_text:
            self.raw_text -= 1

    def handle_data(self, data):
        if not self.raw_text:
            self.check(data)


def untranslated(source: str) -> list[tuple[int, str]]:
    scanner = Scanner()
    scanner.feed(masked(source))
    scanner.close()
    return sorted(scanner.found + literals(source))


def all_templates():
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", [n for n in all_templates() if n not in ALLOWED_TEMPLATES])
def test_template_has_no_text_outside_the_translation_machinery(name):
    found = untranslated((TEMPLATES / name).read_text(encoding="utf-8"))
    offenders = [(line, text) for line, text in found if (name, text) not in ALLOWED]
    assert not offenders, f"templates/{name}: wrap in {{% translate %}}:\n" + "\n".join(
        f"  line {line}: {text!r}" for line, text in offenders
    )


def test_every_allowed_exception_is_still_needed():
    found = {
        (name, text)
        for name in all_templates()
        for _line, text in untranslated((TEMPLATES / name).read_text(encoding="utf-8"))
    }
    assert set(ALLOWED) <= found, f"no longer needed: {set(ALLOWED) - found}"
    assert {name for name, _text in found} >= set(ALLOWED_TEMPLATES)


# The scanner itself


@pytest.mark.parametrize(
    "source",
    [
        "<p>Save</p>",
        "<p>保存</p>",
        "<h1>{{ title }} Details</h1>",
        '<input type="search" placeholder="Search">',
        '<button aria-label="Close">×</button>',
        '<input type="submit" value="Send">',
        '<img src="x.png" alt="照片">',
        "{% if x %}<span>Edit</span>{% endif %}",
        '{{ resident.phone|default:"none" }}',
        "{% include 'includes/field.html' with label='Name' %}",
        "{% for n in names %}{{ n }}{% if not forloop.last %}、{% endif %}{% endfor %}",
        "<p>{{ name }}（{{ relation }}）</p>",
        "<p>{{ label }}：{{ value }}</p>",
        "<p>{{ a }}　　{{ b }}</p>",
    ],
)
def test_scanner_finds_a_string_left_out(source):
    assert untranslated(source)


@pytest.mark.parametrize(
    "source",
    [
        '{% load i18n %}<p>{% translate "Save" %}</p>',
        "{% load i18n %}<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>",
        "{% load i18n %}<p>{% blocktranslate count n=k %}{{ n }} day{% plural %}{{ n }} days"
        "{% endblocktranslate %}</p>",
        "<p>{{ resident.name }} · {{ n }} — 2022 / 18:00 ✓ ✗ ? ○</p>",
        "<!-- a comment for developers --><p>{# a note #}</p>",
        "{% comment %}Explained here{% endcomment %}",
        '<script>document.title = "x";</script><style>p::after { content: "x"; }</style>',
        '<a href="/en/" class="link" data-x="word">{{ label }}</a>',
        '<input type="hidden" name="next" value="somewhere">',
        '{{ x|default:"—" }} {{ d|date:"DATE_FORMAT" }} {% url "home" %} {% include "a.html" %}',
        '{% load i18n %}{% blocktranslate with d=t|date:"Y-m" %}On {{ d }}{% endblocktranslate %}',
    ],
)
def test_scanner_passes_what_is_translated_or_no_words(source):
    assert untranslated(source) == []


def test_scanner_reports_the_line():
    assert untranslated('{% load i18n %}\n{% translate "a" %}\n<p>\n  Left out\n</p>') == [
        (3, "Left out")
    ]
