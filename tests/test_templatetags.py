from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import SafeString

from jinzang.templatetags.jinzang import percent, simple_format, written_in

# simple_format: minutes as written


def test_simple_format_makes_a_paragraph_of_plain_text():
    assert simple_format("铸铁管改造") == "<p>铸铁管改造</p>"


def test_simple_format_parts_paragraphs_at_blank_lines():
    text = "18户同意共同出资。\n\n7户同意。\n  \n其他楼栋仍在调查。"
    assert (
        simple_format(text) == "<p>18户同意共同出资。</p><p>7户同意。</p><p>其他楼栋仍在调查。</p>"
    )


def test_simple_format_breaks_lines_within_a_paragraph():
    assert simple_format("18栋2单元\n18栋4单元\n17栋3单元") == (
        "<p>18栋2单元<br>18栋4单元<br>17栋3单元</p>"
    )


def test_simple_format_reads_windows_line_ends():
    assert simple_format("一\r\n二\r\n\r\n三") == "<p>一<br>二</p><p>三</p>"


def test_simple_format_makes_a_list_of_lines_starting_with_a_dash():
    text = "会议决定：\n\n- 当天签订协议\n- 修复墙面\n-  其他楼栋继续调查 "
    assert simple_format(text) == (
        "<p>会议决定：</p><ul><li>当天签订协议</li><li>修复墙面</li><li>其他楼栋继续调查</li></ul>"
    )


def test_simple_format_accepts_stars_and_middle_dots_as_list_marks():
    assert simple_format("* 一\n· 二") == "<ul><li>一</li><li>二</li></ul>"


def test_simple_format_makes_a_list_of_dash_lines_that_follow_text():
    assert simple_format("报告如下\n- 18户同意\n- 7户同意\n其余摸底中") == (
        "<p>报告如下</p><ul><li>18户同意</li><li>7户同意</li></ul><p>其余摸底中</p>"
    )


def test_simple_format_does_not_take_a_bare_dash_for_a_list():
    assert simple_format("-5度，暂停施工") == "<p>-5度，暂停施工</p>"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("甲 & 乙", "<p>甲 &amp; 乙</p>"),
        ('他说"好"', "<p>他说&quot;好&quot;</p>"),
        ("it's", "<p>it&#x27;s</p>"),
        ("a < b > c", "<p>a &lt; b &gt; c</p>"),
        ("- <b>粗体</b>\n- &amp;", "<ul><li>&lt;b&gt;粗体&lt;/b&gt;</li><li>&amp;amp;</li></ul>"),
        ("<i>一</i>\n<i>二</i>", "<p>&lt;i&gt;一&lt;/i&gt;<br>&lt;i&gt;二&lt;/i&gt;</p>"),
    ],
    ids=["script", "ampersand", "double-quotes", "single-quote", "angles", "list", "lines"],
)
def test_simple_format_escapes_everything_the_writer_typed(text, shown):
    assert simple_format(text) == shown


@pytest.mark.parametrize("text", ["", None, "\n\n", "   \n  "])
def test_simple_format_of_nothing_is_nothing(text):
    assert simple_format(text) == ""


def test_simple_format_is_safe_to_show_and_not_escaped_twice_in_a_template():
    template = Template("{% load jinzang %}{{ minutes|simple_format }}")
    shown = template.render(Context({"minutes": "- 甲 & 乙\n- <丙>"}))
    assert shown == "<ul><li>甲 &amp; 乙</li><li>&lt;丙&gt;</li></ul>"
    assert isinstance(simple_format("x"), SafeString)


# percent: a share as a percentage


@pytest.mark.parametrize(
    "value, shown",
    [
        (Fraction(235, 306), "76.8%"),
        (Fraction(2, 3), "66.7%"),
        (Fraction(1, 3), "33.3%"),
        (Fraction(1, 8), "12.5%"),  # half up, not to even
        (Fraction(1), "100.0%"),
        (Fraction(0), "0.0%"),
        (0, "0.0%"),
        (Decimal("0.5"), "50.0%"),
        (0.25, "25.0%"),
    ],
)
def test_percent_shows_a_share_to_one_decimal(value, shown):
    assert percent(value) == shown


def test_percent_takes_the_number_of_decimals():
    assert percent(Fraction(2, 3), 0) == "67%"
    assert percent(Fraction(2, 3), 2) == "66.67%"


@pytest.mark.parametrize("value", [None, ""])
def test_percent_of_nothing_is_empty(value):
    assert percent(value) == ""


def test_percent_in_a_template():
    template = Template("{% load jinzang %}{{ share|percent }} {{ missing|percent }}|")
    assert template.render(Context({"share": Fraction(235, 306)})) == "76.8% |"


@pytest.mark.parametrize(
    ("built", "chinese", "english"),
    [
        ("1980s", "1980年代", "the 1980s"),
        ("1996", "1996年", "1996"),
        ("八十年代", "八十年代", "八十年代"),
    ],
)
def test_when_a_compound_was_built_reads_in_the_pages_language(built, chinese, english):
    from jinzang.templatetags.jinzang import built_when

    with translation.override("zh-hans"):
        assert built_when(built) == chinese
    with translation.override("en"):
        assert built_when(built) == english


@pytest.mark.django_db
def test_home_page_says_when_a_compound_was_built_in_chinese(staff_client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = staff_client.get("/").content.decode()
    assert "建于1980年代" in page and "1980s" not in page


def test_a_list_of_links_takes_the_languages_separator():
    template = Template(
        "{% load jinzang %}{% for n in names %}<a>{{ n }}</a>"
        "{% if not forloop.last %}{% list_separator %}{% endif %}{% endfor %}"
    )
    names = Context({"names": ["李华玉", "陈莉"]})
    with translation.override("zh-hans"):
        assert template.render(names) == "<a>李华玉</a>、<a>陈莉</a>"
    with translation.override("en"):
        assert template.render(names) == "<a>李华玉</a>, <a>陈莉</a>"


def test_a_text_shown_in_every_language_is_marked_with_the_language_it_is_written_in():
    assert written_in("门牌号") == "zh-hans"
    assert written_in("出资（元）") == "zh-hans"
    assert written_in("door number") == "en"
