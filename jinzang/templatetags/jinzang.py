import functools
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, get_language_info, gettext, pgettext

from jinzang import names
from jinzang.links import absolute_url
from jinzang.qr import qr_svg

register = template.Library()


@functools.cache
def _link(urlconf, prefix, viewname):
    return reverse(viewname)


@register.simple_tag
def link(viewname):
    """The URL of a view without arguments, reversed once per URL configuration: the links
    every page carries (brand, language switch, log out, footer) cost a dictionary
    lookup instead of a reverse() each."""
    return _link(get_urlconf(), get_script_prefix(), viewname)


@functools.cache
def _other_languages(current, codes):
    return tuple(get_language_info(code) for code in codes if code != current)


@register.simple_tag
def other_languages():
    """The languages the page can switch to, with their names (get_language_info)."""
    return _other_languages(get_language(), tuple(code for code, _name in settings.LANGUAGES))


@register.filter
def percent(value, digits=1):
    """A share (Fraction, Decimal or float between 0 and 1) as a percentage: 76.8%."""
    if value in (None, ""):
        return ""
    share = Fraction(value) if not isinstance(value, Fraction) else value
    quantum = Decimal(1).scaleb(-int(digits))
    shown = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )
    return f"{number_format(shown, int(digits))}%"


CENT = Decimal("0.01")


@register.filter
def money(value):
    """An amount of yuan, the same in every language: ¥30,000.00.

    Amounts are Decimal (or int); a float is a bug upstream, so it is refused rather
    than rounded into a wrong cent.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, float):
        raise TypeError(f"money() takes a Decimal, not the float {value!r}")
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def built_when(text):
    """When a compound was built, as the register writes it ("1980s", "1996"), in the page's
    language: the 1980s / 1980年代, 1996 / 1996年; other text as it is."""
    text = str(text).strip()
    if re.fullmatch(r"\d{3}0s", text):
        return pgettext("a decade", "the %(start)ss") % {"start": text[:4]}
    if re.fullmatch(r"\d{4}", text):
        return pgettext("a year", "%(year)s") % {"year": text}
    return text


CHINESE = re.compile(r"[\u3400-\u9fff]")


@register.filter
def written_in(text):
    """The language a text shown in every language is written in, for its lang attribute:
    a spreadsheet's Chinese column names on an English page are read as Chinese."""
    return "zh-hans" if CHINESE.search(str(text)) else "en"


@register.simple_tag
def list_separator():
    """What goes between the items of a list in running text: 、 in Chinese (the
    enumeration comma), ", " in English. For lists whose items are markup (links)."""
    return pgettext("between the items of a list in running text", ", ")


@register.filter
def listing(items):
    """Items as a list in running text, with the language's separator: 手机号、身份证号 in
    Chinese (the enumeration comma), "phone, ID number" in English."""
    return list_separator().join(str(item) for item in items)


BULLETS = ("- ", "* ", "· ")


@register.filter
def simple_format(text):
    """Minutes as written: blank lines part paragraphs, runs of lines starting with "- "
    make a list, other line breaks stay.

    Every piece of the text goes through format_html, so nothing the writer typed
    is ever treated as HTML.
    """
    blocks = [b for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()) if b]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        run: list[str] = []
        is_list = None
        for line in [*lines, None]:
            line_is_item = line is not None and line.startswith(BULLETS)
            if run and (line is None or line_is_item != is_list):
                parts.append(_list(run) if is_list else _paragraph(run))
                run = []
            if line is not None:
                run.append(line[2:].strip() if line_is_item else line)
                is_list = line_is_item
    return format_html_join("", "{}", ((p,) for p in parts))


def _list(items):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


def _paragraph(lines):
    body = format_html_join("", "{}<br>", ((line,) for line in lines[:-1]))
    return format_html("<p>{}{}</p>", body, lines[-1])


@register.filter
def person_name(person):
    """A person's name as shown (jinzang.names): 李华玉, Li Huayu; "" for nobody."""
    return names.person_name(person)


@register.simple_tag(takes_context=True)
def filters_on(context, *filters) -> int:
    """How many of a list's filters the request sets: each of `filters` is a form (each of
    its fields counts) or the name of a query parameter. The folded filter form says it."""
    query = context["request"].GET
    count = 0
    for item in filters:
        if isinstance(item, str):
            count += any(value.strip() for value in query.getlist(item))
        else:
            for field in item:
                data = field.data if isinstance(field.data, list | tuple) else [field.data]
                count += any(value not in (None, "", False) for value in data)
    return count


@register.simple_tag
def qr_code(path, caption):
    """A QR code to `path` on this site as paper carries it (docs/domain.md, "Paper that
    leads online"): the code (inline SVG, made here), `caption` saying what it opens, and
    the absolute address in small type, to be typed where no camera reads it."""
    url = absolute_url(path)
    label = gettext("QR code: %(url)s") % {"url": url}
    return format_html(
        '<figure class="qr">{}<figcaption>{}<br><a class="qr-url" href="{}">{}</a>'
        "</figcaption></figure>",
        qr_svg(url, label=label),
        caption,
        url,
        url,
    )
