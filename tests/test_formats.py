"""Dates, numbers and money read the way each language writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

from jinzang.templatetags.jinzang import money

NOV_18 = datetime.date(2022, 11, 18)
MEETING = timezone.make_aware(datetime.datetime(2022, 11, 18, 15, 0))


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load humanize jinzang %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "datetime_", "short"),
    [
        ("zh-hans", "2022年11月18日", "2022年11月18日 15:00", "2022年11月18日 15:00"),
        ("en", "18 Nov 2022", "18 Nov 2022, 15:00", "18 Nov 2022 15:00"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, date, datetime_, short):
    assert render('{{ d|date:"DATE_FORMAT" }}', language, d=NOV_18) == date
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', language, d=NOV_18) == date
    assert render('{{ t|date:"DATETIME_FORMAT" }}', language, t=MEETING) == datetime_
    assert render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', language, t=MEETING) == short
    assert render("{{ d }}", language, d=NOV_18) == date


def test_times_are_on_the_24_hour_clock_in_both_languages():
    for language in ("zh-hans", "en"):
        assert render('{{ t|time:"TIME_FORMAT" }}', language, t=MEETING) == "15:00"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_numbers_group_thousands_with_commas_in_both_languages(language):
    assert render("{{ n|intcomma }}", language, n=5000) == "5,000"
    assert render('{{ n|floatformat:"2g" }}', language, n=Decimal("30000")) == "30,000.00"
    with translation.override(language):
        assert formats.number_format(Decimal("1234567.5"), 1, force_grouping=True) == (
            "1,234,567.5"
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_reads_yuan_with_thousands_and_cents_in_both_languages(language):
    assert render("{{ a|money }}", language, a=Decimal("30000")) == "¥30,000.00"
    assert render("{{ a|money }}", language, a=Decimal("1200.5")) == "¥1,200.50"


def test_money_rounds_half_cents_up_and_keeps_small_amounts_whole():
    assert money(Decimal("0.005")) == "¥0.01"
    assert money(Decimal("999.994")) == "¥999.99"
    assert money(Decimal("1234567.891")) == "¥1,234,567.89"
    assert money(0) == "¥0.00"
    assert money(30000) == "¥30,000.00"


def test_money_puts_the_sign_before_the_currency():
    assert money(Decimal("-800.50")) == "-¥800.50"


def test_money_of_nothing_is_empty():
    assert money(None) == ""
    assert money("") == ""


def test_money_refuses_a_float_rather_than_round_it_wrongly():
    with pytest.raises(TypeError, match="Decimal"):
        money(0.1 + 0.2)
