"""A page's words as a person reads them, and the interface's words told from the user's:
for the walk of every page (tests/test_words_on_pages.py) and the browser flows."""

import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

from residents.models import Resident
from residents.validators import mask_name
from tests.test_translations import CJK

# Text on either side of these elements is not one run of words.
BLOCKS = {
    "address", "article", "aside", "br", "button", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "input", "label", "legend", "li", "main", "nav", "ol",
    "option", "p", "section", "select", "summary", "table", "tbody", "td", "text", "textarea",
    "tfoot", "th", "thead", "title", "tr", "ul",
}  # fmt: skip
# Inline elements the stylesheet shows on lines of their own: a stat card's figure and label.
BLOCK_CLASSES = {"stat-value", "stat-label"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIPPED = {"script", "style", "template"}
# Attributes whose text a person reads or hears.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-label")
# Elements that head what follows them: their text starts with a capital in English.
HEADINGS = {"label", "legend", "th"}

# Apps whose rows hold what people typed; Django's own (content types, permissions,
# sessions) hold identifiers, not text a page shows.
DATA_APPS = ("auth", "residents", "committees", "meetings", "jinzang")
# What the user's words become in a page's text: a Chinese character for Chinese ones (so
# that "李华, 王明" joined by hand still reads "〇, 〇"), a Latin letter for others.
CJK_DATA, LATIN_DATA = "〇", "x"


class PageText(HTMLParser):
    """A page's text as a person reads it, in `language`: runs of inline text (whitespace
    collapsed), the attributes read aloud, the headings (labels, legends, table headers,
    data-label) and the choices of select boxes. Scripts, styles and text marked as another
    language (lang="zh-hans" on an English page: the language switch) are left out."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.runs = [""]
        self.attributes = []
        self.headings = []  # (tag, text)
        self.options = []
        self.open = []  # (tag, left out, a block) of the open elements
        self.captures = []  # [tag, text] of the headings and options being read

    @property
    def left_out(self):
        return any(left_out for _tag, left_out, _block in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        left_out = tag in SKIPPED or bool(lang) and not lang.startswith(self.language[:2])
        block = tag in BLOCKS or bool(BLOCK_CLASSES & set((attrs.get("class") or "").split()))
        if block:
            self.runs.append("")
        if not (self.left_out or left_out):
            self.attributes += [attrs[a] for a in READ_ATTRIBUTES if attrs.get(a)]
            if attrs.get("data-label"):
                self.headings.append(("data-label", attrs["data-label"]))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.attributes.append(attrs["value"])
        if tag in VOID:
            return
        self.open.append((tag, left_out, block))
        if tag in HEADINGS or tag == "option":
            self.captures.append([tag, ""])

    def handle_endtag(self, tag):
        tags = [t for t, _left_out, _block in self.open]
        if tag in VOID or tag not in tags:
            return
        index = len(tags) - 1 - tags[::-1].index(tag)
        _tag, _left_out, block = self.open[index]
        del self.open[index:]
        if block:
            self.runs.append("")
        if self.captures and self.captures[-1][0] == tag:
            _tag, text = self.captures.pop()
            if tag == "option":
                self.options.append(text.strip())
            else:
                self.headings.append((tag, text.strip()))

    def handle_data(self, data):
        if self.left_out:
            return
        text = re.sub(r"\s+", " ", data)
        self.runs[-1] += text
        for capture in self.captures:
            capture[1] += text

    @classmethod
    def of(cls, html, language):
        parser = cls(language)
        parser.feed(html)
        parser.close()
        return parser

    def texts(self):
        return [t.strip() for t in [*self.runs, *self.attributes] if t.strip()]


def stored_texts():
    """Every text the database's rows hold (and each line of it): the user's words, which
    a page shows as they are. Choices are left out: they are codes, shown by their label."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in DATA_APPS:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model._base_manager.values_list(*fields) if fields else []:
            for value in row:
                if value and value.strip():
                    texts.add(value.strip())
                    texts.update(line.strip() for line in value.splitlines() if line.strip())
    # A resident's name masked as an access letter's page shows it (李*玉) is theirs too.
    texts.update(mask_name(name) for name in Resident.objects.values_list("name", flat=True))
    return texts


class UserData:
    """Takes the user's words out of a page's text: Chinese ones wherever they are, others as
    whole words (a door number "12" is not the start of the figure "1234.56")."""

    def __init__(self, texts):
        self.texts = texts
        longest_first = sorted(texts, key=len, reverse=True)
        chinese = [re.escape(t) for t in longest_first if re.search(CJK, t)]
        other = [re.escape(t) for t in longest_first if not re.search(CJK, t)]
        alternatives = []
        if chinese:
            alternatives.append("|".join(chinese))
        if other:
            alternatives.append(rf"(?<![0-9A-Za-z])(?:{'|'.join(other)})(?![0-9A-Za-z])")
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    def replaced(self, text):
        if self.pattern is None:
            return text
        return self.pattern.sub(
            lambda m: CJK_DATA if re.search(CJK, m.group()) else LATIN_DATA, text
        )

    def starts(self, text):
        return bool(self.pattern and self.pattern.match(text))

    def chinese_in(self, text):
        """The Chinese left in `text` once the user's words are taken out. An excerpt cut
        with "…" (a notice's text in a list) ends with the start of one of them."""
        replaced = self.replaced(text)
        if replaced.endswith("…"):
            head, mark, tail = replaced[:-1].rpartition(CJK_DATA)
            tail = tail.strip()
            if mark and tail and any(t.startswith(tail) for t in self.texts):
                replaced = head + mark
        return re.findall(CJK, replaced.replace(CJK_DATA, ""))
