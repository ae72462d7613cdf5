"""The page chrome (base.html): the main navigation marks the current section, and every
link made once per process (jinzang.context_processors.main_nav, the `link` tag) is the
URL its view reverses to, in each language."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from jinzang.context_processors import MAIN_NAV

pytestmark = pytest.mark.django_db


def nav_links(page: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)
    return [
        (href, bool(cur))
        for href, cur in re.findall(r'<a href="([^"]+)"( aria-current="page")?', nav)
    ]


def test_the_main_navigation_links_every_section_and_marks_the_current_one(staff_client):
    page = staff_client.get(reverse("meetings:meeting_list")).content.decode()
    links = nav_links(page)
    assert [href for href, _ in links] == [reverse(name) for name, _label, _mark in MAIN_NAV]
    assert [href for href, current in links if current] == [reverse("meetings:meeting_list")]


def test_a_page_inside_a_section_marks_that_section(staff_client):
    page = staff_client.get(reverse("requests:summary")).content.decode()
    assert [href for href, current in nav_links(page) if current] == [reverse("requests:list")]


def test_labels_follow_the_language(staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = staff_client.get(reverse("home")).content.decode()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = staff_client.get(reverse("home")).content.decode()
    assert ">Residents</a>" in english and ">居民</a>" not in english
    assert ">居民</a>" in chinese


def test_links_made_once_follow_the_script_prefix():
    tag = Template("{% load jinzang %}{% link 'residents:resident_list' %}")
    assert tag.render(Context()) == "/residents/"
    set_script_prefix("/jz/")
    try:
        assert tag.render(Context()) == "/jz/residents/"
    finally:
        set_script_prefix("/")
    assert tag.render(Context()) == "/residents/"
