"""Every page of meetings runs a fixed number of queries, however many meetings there are.

Each test measures a page with a few meetings, grows the community to over a
hundred meetings (each with attendees, an outside party, items, decisions and
actions, as the Qingfeng owners' committee holds in a year) and gives the held
meeting of 18 November 2022 as many parts again, then measures again. The first
queries of every page are the same three: the session, the user, and the user's
active access grants.
"""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from residents.models import Resident
from tests.factories import ResidentFactory
from tests.meetings.factories import at

pytestmark = pytest.mark.django_db

# session + user + the user's active access grants
BASE = 3

SMALL, LARGE = 4, 120  # meetings added; the held meeting gets 1, then 30 more of each part


def grow(meetings, bodies, people, n, held_parts=False):
    """`n` more meetings in November 2022, spread over the bodies of community A, each with
    two attendees, an outside party, two items with a decision each and two open actions
    (one of them the manager's; all overdue); with `held_parts`, a quarter as many more of
    each part on the held meeting too."""
    bodies_a = itertools.cycle([bodies.qingfeng_1, bodies.bailajing, bodies.neighbourhood])
    new = Meeting.objects.bulk_create(
        Meeting(
            body=next(bodies_a),
            title=f"增加的例会{i}",
            starts_at=at(2022, 11, 1 + i % 30, 8 + i % 10),
            place="庆丰业委会办公室",
            status=Meeting.Status.HELD,
        )
        for i in range(n)
    )
    held = [meetings.held] * (n // 4) if held_parts else []
    residents = Resident.objects.bulk_create(ResidentFactory.build_batch(2 + len(held)))
    pairs = [(m, r) for m in new for r in residents[:2]] + list(
        zip(held, residents[2:], strict=True)
    )
    Attendee.objects.bulk_create(Attendee(meeting=m, resident=r) for m, r in pairs)
    parties = OutsideParty.objects.bulk_create(
        OutsideParty(meeting=m, organisation=f"施工单位{i}", name="陈工")
        for i, m in enumerate(new + held)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=o, title=f"议题{o}", minutes="- 记录")
        for m in new + held
        for o in (1, 2)
    )
    Decision.objects.bulk_create(Decision(meeting=i.meeting, item=i, text="决定") for i in items)
    Decision.objects.bulk_create(Decision(meeting=m, text="另议") for m in held)
    due = datetime.date(2022, 12, 1)
    owners = itertools.cycle(
        [
            {"owner_user": people["manager"]},
            {"owner_user": people["staff_user"]},
            {"owner_resident": residents[0]},
        ]
    )
    Action.objects.bulk_create(
        [Action(meeting=m, description="跟进", due_on=due, **next(owners)) for m in new + held]
        + [
            Action(meeting=p.meeting, description="施工", due_on=due, owner_party=p)
            for p in parties
        ]
    )


@pytest.fixture
def measure(django_assert_num_queries, meetings, meeting_bodies, manager, staff_user):
    """Request `url` with `client` with a few meetings, then with over a hundred (and, with
    `held_parts`, the held meeting's parts grown too): `n` queries both times."""

    def measure(client, url, n, method="get", data=None, held_parts=False, **extra):
        people = {"manager": manager, "staff_user": staff_user}
        grow(meetings, meeting_bodies, people, SMALL, held_parts)
        with django_assert_num_queries(n):
            small = getattr(client, method)(url, data, **extra)
        assert small.status_code == 200
        grow(meetings, meeting_bodies, people, LARGE, held_parts)
        assert Meeting.objects.count() > 100
        with django_assert_num_queries(n):
            large = getattr(client, method)(url, data, **extra)
        assert large.status_code == 200
        assert len(large.content) > len(small.content)
        return large

    return measure


def test_meeting_list_queries_do_not_grow_with_meetings(measure, reader_client):
    # BASE + may the user record (a body they manage) + the bodies to filter by
    # + count + one page of meetings with their counts
    measure(reader_client, reverse("meetings:meeting_list"), BASE + 4)


def test_meeting_list_search_queries_do_not_grow_with_matches(measure, reader_client):
    # the same as the list: the search and the filters are subqueries and conditions
    query = {"q": "例会", "kind": "work", "date_from": "2022-11-01", "date_to": "2022-11-30"}
    measure(reader_client, reverse("meetings:meeting_list"), BASE + 4, data=query)


def test_meeting_list_by_body_queries_do_not_grow_with_meetings(
    measure, manager_client, meeting_bodies
):
    # the list's, + the chosen body, fetched when the filter form checks it
    query = {"q": "议题", "body": meeting_bodies.qingfeng_1.pk}
    measure(manager_client, reverse("meetings:meeting_list"), BASE + 5, data=query)


def test_calendar_queries_do_not_grow_with_meetings(measure, reader_client):
    # BASE + the bodies to choose from + the month's meetings with their bodies
    url = reverse("meetings:calendar")
    measure(reader_client, url, BASE + 2, data={"month": "2022-11"})


def test_calendar_of_one_body_queries_do_not_grow_with_meetings(
    measure, reader_client, meeting_bodies
):
    # BASE + the body + the bodies to choose from + the body's meetings of the month
    url = reverse("meetings:calendar")
    query = {"month": "2022-11", "body": meeting_bodies.qingfeng_1.pk}
    measure(reader_client, url, BASE + 3, data=query)


MEETING_PARTS = 5  # attendees, parties, items, every decision, actions


def test_meeting_page_for_a_manager_queries_do_not_grow_with_its_parts(
    measure, manager_client, meetings
):
    # BASE + the meeting + is the user a member of its body + its parts
    url = reverse("meetings:meeting", args=[meetings.held.pk])
    measure(manager_client, url, BASE + 2 + MEETING_PARTS, held_parts=True)


def test_meeting_page_for_staff_queries_do_not_grow_with_its_parts(measure, staff_client, meetings):
    # staff manage every body of their community: no question about seats
    url = reverse("meetings:meeting", args=[meetings.held.pk])
    measure(staff_client, url, BASE + 1 + MEETING_PARTS, held_parts=True)


def test_meeting_page_for_a_reader_queries_do_not_grow_with_its_parts(
    measure, reader_client, meetings
):
    url = reverse("meetings:meeting", args=[meetings.held.pk])
    measure(reader_client, url, BASE + 2 + MEETING_PARTS, held_parts=True)


def test_print_view_queries_do_not_grow_with_the_meetings_parts(measure, reader_client, meetings):
    url = reverse("meetings:meeting_print", args=[meetings.held.pk])
    measure(reader_client, url, BASE + 2 + MEETING_PARTS, held_parts=True)


def test_record_page_queries_do_not_grow_with_the_meetings_parts(measure, manager_client, meetings):
    # the meeting page's, + the items again for the decision and action forms' choices
    url = reverse("meetings:meeting_record", args=[meetings.held.pk])
    measure(manager_client, url, BASE + 2 + MEETING_PARTS + 2, held_parts=True)


def test_htmx_item_post_queries_do_not_grow_with_the_meetings_parts(
    measure, manager_client, meetings
):
    # the record page's, + the item written in a savepoint: the last order, the check
    # that its meeting exists (full_clean), the insert, and the savepoint and its release
    url = reverse("meetings:item_add", args=[meetings.held.pk])
    response = measure(
        manager_client,
        url,
        BASE + 2 + MEETING_PARTS + 2 + 5,
        method="post",
        data={"title": "墙面修复", "minutes": "- 先修17栋"},
        held_parts=True,
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in response.content.decode()


def test_my_open_actions_queries_do_not_grow_with_actions(measure, manager_client):
    # BASE + count + one page of actions with their meetings, bodies and owners
    measure(manager_client, reverse("meetings:actions_mine"), BASE + 2)


def test_overdue_actions_queries_do_not_grow_with_actions(measure, reader_client):
    measure(reader_client, reverse("meetings:actions_overdue"), BASE + 2)


def test_every_open_action_grown_here_is_overdue(meetings, meeting_bodies, manager, staff_user):
    grow(meetings, meeting_bodies, {"manager": manager, "staff_user": staff_user}, SMALL)
    assert Action.objects.overdue().count() == Action.objects.open().count()
    assert Action.objects.overdue(today=timezone.localdate()).exists()
