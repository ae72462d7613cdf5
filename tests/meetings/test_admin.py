import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

# What each changelist shows of the held meeting of 18 November 2022.
CHANGELIST_TEXT = {
    "meeting": "铸铁管改造工作例会",
    "attendee": "武莉华",
    "outsideparty": "贵州安居建筑公司",
    "agendaitem": "铸铁管改造",
    "decision": "当天与施工方签订协议",
    "action": "贵州安居建筑公司 陈工",  # the owner's name
}

# A record of each model, and a text its change form shows.
RECORDS = {
    "meeting": (lambda m: m.held, "18户同意"),  # the items inline, with their minutes
    "attendee": (lambda m: m.held.attendees.first(), "李华玉"),
    "outsideparty": (lambda m: m.contractor, 'value="陈工"'),
    "agendaitem": (lambda m: m.pipes, "17栋3单元7户同意"),
    "decision": (lambda m: m.agreement, "当天与施工方签订协议"),
    "action": (lambda m: m.repair, 'value="修复墙面"'),
}


def add_rows(meetings, n):
    """`n` more meetings, each with a row in every table the admin lists."""
    for meeting in MeetingFactory.create_batch(n, body=meetings.held.body):
        AttendeeFactory(meeting=meeting)
        DecisionFactory(meeting=meeting, item=AgendaItemFactory(meeting=meeting))
        ActionFactory(meeting=meeting)


def count_queries(client, url):
    client.get(url)  # warms the process-wide caches (content types) the admin reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_decisions_changelist_says_who_signed_and_finds_them_by_signer(admin_client, meetings):
    changelist = reverse("admin:meetings_decision_changelist")
    assertContains(admin_client.get(changelist), "廖书英")
    found = admin_client.get(changelist, {"q": "廖书英"})
    assert list(found.context["cl"].result_list) == [meetings.agreement]


def test_every_changelist_opens_for_the_superuser(admin_client, meetings):
    for model, shown in CHANGELIST_TEXT.items():
        assertContains(admin_client.get(reverse(f"admin:meetings_{model}_changelist")), shown)


def item_counts(response) -> dict[str, str]:
    return dict(
        re.findall(
            r'<th class="field-title"><a [^>]*>([^<]+)</a></th>.*?field-item_count">(\d+)<',
            response.content.decode(),
            re.S,
        )
    )


def test_meeting_changelist_counts_the_items_of_each_meeting(admin_client, meetings):
    AgendaItemFactory(meeting=meetings.held)
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"))
    assert item_counts(response) == {
        "铸铁管改造工作例会": "2",
        "下周工作例会": "1",
        "百腊井意见征集会": "0",
        "黔灵小区工作例会": "1",
    }


def test_meeting_changelist_counts_the_items_also_in_search_results(admin_client, meetings):
    AgendaItemFactory(meeting=meetings.held)
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "铸铁管改造"})
    assert item_counts(response) == {"铸铁管改造工作例会": "2"}


def test_meeting_changelist_searches_by_agenda_item(admin_client, meetings):
    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "预备议题"})
    assertContains(response, "下周工作例会")
    assertContains(response, "1 meeting")


def test_every_change_page_opens_for_the_superuser(admin_client, meetings):
    for model, (record, shown) in RECORDS.items():
        url = reverse(f"admin:meetings_{model}_change", args=[record(meetings).pk])
        assertContains(admin_client.get(url), shown)


def test_meeting_change_page_shows_every_inline(admin_client, meetings):
    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meetings.held.pk]))
    for inline in ("attendees", "outside_parties", "items", "decisions", "actions"):
        assertContains(response, f'id="{inline}-group"')


def test_every_add_page_opens_for_the_superuser(admin_client, meetings):
    for model in RECORDS:
        response = admin_client.get(reverse(f"admin:meetings_{model}_add"))
        assert response.status_code == 200, model


def test_changelist_queries_do_not_grow_with_rows(admin_client, meetings):
    urls = {model: reverse(f"admin:meetings_{model}_changelist") for model in CHANGELIST_TEXT}
    add_rows(meetings, 3)
    small = {model: count_queries(admin_client, url) for model, url in urls.items()}
    add_rows(meetings, 8)
    large = {model: count_queries(admin_client, url) for model, url in urls.items()}
    assert large == small
