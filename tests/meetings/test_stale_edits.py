"""Minutes saved from a page opened before a colleague's save are refused and kept on the
page; the colleague's minutes stay. One connection: the rival saves between GET and POST."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.meetings import services


def shown_version(response) -> str:
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


@pytest.fixture
def item_page(meetings):
    return reverse("meetings:item_edit", args=[meetings.held.pk, meetings.pipes.pk])


def test_minutes_saved_from_an_older_page_are_refused_and_kept_on_the_page(
    manager_client, meetings, item_page
):
    seen = shown_version(manager_client.get(item_page))
    services.item_update(item=meetings.pipes, title="铸铁管改造", minutes="同事的纪要", version=1)

    response = manager_client.post(
        item_page, {"title": "铸铁管改造", "minutes": "我的纪要", "version": seen}
    )

    assertContains(response, "changed this agenda item after you opened it")
    assertContains(response, "我的纪要")
    meetings.pipes.refresh_from_db()
    assert (meetings.pipes.minutes, meetings.pipes.version) == ("同事的纪要", 2)


def test_minutes_saved_from_the_current_page_go_through(manager_client, meetings, item_page):
    seen = shown_version(manager_client.get(item_page))
    manager_client.post(item_page, {"title": "铸铁管改造", "minutes": "新纪要", "version": seen})
    meetings.pipes.refresh_from_db()
    assert (meetings.pipes.minutes, meetings.pipes.version) == ("新纪要", 2)
