import datetime
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from committees.bodies.services import member_end
from committees.models import Member
from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from tests.factories import (
    AccessGrantFactory,
    MemberFactory,
    MembershipFactory,
    TermFactory,
    UserFactory,
    stored,
)
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    at,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
MODELS = [Meeting, Attendee, OutsideParty, AgendaItem, Decision, Action]


def text(response) -> str:
    return response.content.decode()


def snapshot(meetings):
    """What a write could change: the rows of every meetings table, and the held
    meeting's and its item's own fields."""
    held = stored(meetings.held)
    pipes = AgendaItem.objects.filter(pk=meetings.pipes.pk).values_list("title", "minutes")
    return (
        {model.__name__: model.objects.count() for model in MODELS},
        (held.title, held.starts_at, held.ends_at, held.status, held.body_id),
        pipes.first(),
    )


def meeting_data(meeting, **changes):
    """The meeting form's data as the meeting stands, with `changes`."""
    local = timezone.localtime
    data = {
        "body": meeting.body_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": local(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(meeting.ends_at).strftime("%Y-%m-%dT%H:%M") if meeting.ends_at else "",
        "place": meeting.place,
        "status": meeting.status,
    }
    return data | changes


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def attendee_of(meeting, resident):
    return meeting.attendees.get(resident=resident)


# Every page about the held meeting (18 November 2022, 庆丰一号院业主委员会).
MEETING_PAGES = {
    "meeting": lambda m: url("meeting", m.held),
    "meeting_print": lambda m: url("meeting_print", m.held),
    "meeting_edit": lambda m: url("meeting_edit", m.held),
    "meeting_record": lambda m: url("meeting_record", m.held),
    "attendee_search": lambda m: url("attendee_search", m.held),
    "item_edit": lambda m: url("item_edit", m.held, m.pipes.pk),
}

# The pages that change the held meeting (searched for 华), and a text each shows.
MANAGE_PAGES = {
    "meeting_edit": 'value="铸铁管改造工作例会"',
    "meeting_record": "Add the action",
    "attendee_search": "李华玉",
    "item_edit": "18户同意",
}

# Every write on the held meeting: its URL and valid data, given the meetings and the
# register.
WRITES = {
    "meeting_edit": (
        lambda m, r: url("meeting_edit", m.held),
        lambda m, r: meeting_data(m.held, title="铸铁管改造工作例会（第二次）"),
    ),
    "attendee_add": (
        lambda m, r: url("attendee_add", m.held),
        lambda m, r: {"resident": MembershipFactory(household=r.household_a1).resident.pk},
    ),
    "attendee_remove": (
        lambda m, r: url("attendee_remove", m.held, attendee_of(m.held, r.resident_a2).pk),
        lambda m, r: {},
    ),
    "party_add": (
        lambda m, r: url("party_add", m.held),
        lambda m, r: {"kind": "government", "organisation": "云岩区住建局", "name": ""},
    ),
    "item_add": (
        lambda m, r: url("item_add", m.held),
        lambda m, r: {"title": "墙面修复", "minutes": "- 先修17栋"},
    ),
    "item_edit": (
        lambda m, r: url("item_edit", m.held, m.pipes.pk),
        lambda m, r: {"title": "铸铁管改造（续）", "minutes": "新的记录", "version": 1},
    ),
    "decision_add": (
        lambda m, r: url("decision_add", m.held),
        lambda m, r: {"text": "下周验收", "item": m.pipes.pk},
    ),
    "action_add": (
        lambda m, r: url("action_add", m.held),
        lambda m, r: {
            "description": "通知住户",
            "owner": f"p{m.contractor.pk}",
            "due_on": "2022-12-01",
            "item": "",
        },
    ),
    # Last: the deletes take away what the writes above use.
    "decision_delete": (
        lambda m, r: url("decision_delete", m.held, m.agreement.pk),
        lambda m, r: {},
    ),
    "action_delete": (lambda m, r: url("action_delete", m.held, m.repair.pk), lambda m, r: {}),
    "item_delete": (lambda m, r: url("item_delete", m.held, m.pipes.pk), lambda m, r: {}),
}

# Every URL of meetings: the lists, and the pages and writes of the held meeting.
ALL_URLS = {
    "meeting_list": lambda m: reverse("meetings:meeting_list"),
    "calendar": lambda m: reverse("meetings:calendar"),
    "meeting_create": lambda m: reverse("meetings:meeting_create"),
    "actions_mine": lambda m: reverse("meetings:actions_mine"),
    "actions_overdue": lambda m: reverse("meetings:actions_overdue"),
    "action_status": lambda m: reverse("meetings:action_status", args=[m.repair.pk]),
    **MEETING_PAGES,
    "attendee_add": lambda m: url("attendee_add", m.held),
    "attendee_remove": lambda m: url("attendee_remove", m.held, m.held.attendees.first().pk),
    "party_add": lambda m: url("party_add", m.held),
    "item_add": lambda m: url("item_add", m.held),
    "decision_add": lambda m: url("decision_add", m.held),
    "action_add": lambda m: url("action_add", m.held),
    "item_delete": lambda m: url("item_delete", m.held, m.pipes.pk),
    "decision_delete": lambda m: url("decision_delete", m.held, m.agreement.pk),
    "action_delete": lambda m: url("action_delete", m.held, m.repair.pk),
}


# Anonymous visitors, users without a role, users of another community


def test_anonymous_visitor_is_sent_to_log_in_from_every_meetings_url(client, meetings):
    before = snapshot(meetings)
    sent_to = {}
    for page, target in ALL_URLS.items():
        for method in ("get", "post"):
            response = getattr(client, method)(target(meetings))
            sent_to[f"{method} {page}"] = response.get("Location", response.status_code)
    login = reverse("login")
    assert sent_to == {
        f"{method} {page}": f"{login}?next={quote(target(meetings))}"
        for page, target in ALL_URLS.items()
        for method in ("get", "post")
    }
    assert snapshot(meetings) == before


def test_user_without_a_role_is_refused_every_meetings_url(outsider_client, meetings):
    before = snapshot(meetings)
    statuses = {
        f"{method} {page}": getattr(outsider_client, method)(target(meetings)).status_code
        for page, target in ALL_URLS.items()
        for method in ("get", "post")
    }
    assert statuses == dict.fromkeys(statuses, 403)
    assert snapshot(meetings) == before


def test_user_of_another_community_cannot_find_the_meeting(community_b_client, meetings):
    statuses = {
        page: community_b_client.get(target(meetings)).status_code
        for page, target in MEETING_PAGES.items()
    }
    assert statuses == dict.fromkeys(MEETING_PAGES, 404)


def test_user_of_another_community_cannot_find_the_meeting_to_change_it(
    community_b_client, meetings, register
):
    before = snapshot(meetings)
    statuses = {
        write: community_b_client.post(
            target(meetings, register), data(meetings, register)
        ).status_code
        for write, (target, data) in WRITES.items()
    }
    assert statuses == dict.fromkeys(WRITES, 404)
    assert snapshot(meetings) == before


def test_user_of_another_community_cannot_find_an_action(community_b_client, meetings):
    response = community_b_client.post(
        reverse("meetings:action_status", args=[meetings.repair.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    meetings.repair.refresh_from_db()
    assert meetings.repair.status == Action.Status.OPEN


def test_user_of_another_community_sees_only_their_meetings(community_b_client, meetings):
    response = community_b_client.get(reverse("meetings:meeting_list"))
    assertContains(response, "黔灵小区工作例会")
    assertNotContains(response, "铸铁管改造工作例会")


# Who may record and edit: members of the convening body and neighbourhood-committee staff


@pytest.mark.parametrize("who", ["manager", "staff_user"])
def test_members_of_the_convening_body_and_staff_open_the_pages_that_change_a_meeting(
    request, log_in, meetings, who
):
    client = log_in(request.getfixturevalue(who))
    for page, shown in MANAGE_PAGES.items():
        assertContains(client.get(MEETING_PAGES[page](meetings), {"q": "华"}), shown)


@pytest.mark.parametrize("who", ["manager", "staff_user"])
def test_members_of_the_convening_body_and_staff_change_every_section(
    request, log_in, meetings, register, who
):
    user = request.getfixturevalue(who)
    client = log_in(user)
    for write, (target, data) in WRITES.items():
        before = snapshot(meetings)
        response = client.post(target(meetings, register), data(meetings, register))
        assert response.get("Location") == url("meeting_record", meetings.held), write
        assert snapshot(meetings) != before, write


@pytest.mark.parametrize("who", ["other_member", "reader"])
def test_member_of_another_body_and_reader_cannot_open_the_pages_that_change_a_meeting(
    request, log_in, meetings, who
):
    client = log_in(request.getfixturevalue(who))
    statuses = {
        page: client.get(MEETING_PAGES[page](meetings), {"q": "华"}).status_code
        for page in MANAGE_PAGES
    }
    assert statuses == dict.fromkeys(MANAGE_PAGES, 403)


@pytest.mark.parametrize("who", ["other_member", "reader"])
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_member_of_another_body_and_reader_cannot_change_any_section(
    request, log_in, meetings, register, who, htmx
):
    user = request.getfixturevalue(who)
    client = log_in(user)
    before = snapshot(meetings)
    statuses = {
        write: client.post(
            target(meetings, register), data(meetings, register), **(HX if htmx else {})
        ).status_code
        for write, (target, data) in WRITES.items()
    }
    assert statuses == dict.fromkeys(WRITES, 403)
    assert snapshot(meetings) == before


def test_former_member_of_the_convening_body_reads_the_minutes_but_cannot_record(
    log_in, meetings, register, manager
):
    member_end(
        member=Member.objects.get(user=manager),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    AccessGrantFactory(user=manager, compound=register.compound_a)
    client = log_in(manager)
    assertContains(client.get(url("meeting", meetings.held)), "18户同意")
    assert client.get(url("meeting_record", meetings.held)).status_code == 403
    response = client.post(url("item_add", meetings.held), {"title": "墙面修复"})
    assert response.status_code == 403


def test_member_of_a_past_term_of_the_body_cannot_record(log_in, meetings, meeting_bodies):
    old_term = TermFactory(
        body=meeting_bodies.qingfeng_1,
        number=9,
        starts_on=datetime.date(2010, 1, 1),
        ends_on=datetime.date(2013, 12, 31),
    )
    user = UserFactory(username="laowei")
    MemberFactory(term=old_term, user=user, resident=None, name="魏老")
    AccessGrantFactory(user=user, compound=meeting_bodies.qingfeng_1.compound)
    assert log_in(user).get(url("meeting_record", meetings.held)).status_code == 403


def test_record_link_is_shown_only_to_those_who_may_record(
    manager_client, other_member_client, meetings
):
    record = url("meeting_record", meetings.held)
    assertContains(manager_client.get(url("meeting", meetings.held)), record)
    assertNotContains(other_member_client.get(url("meeting", meetings.held)), record)


# Recording a new meeting


def test_member_records_a_meeting_of_their_body(manager_client, manager, meeting_bodies):
    data = {
        "body": meeting_bodies.qingfeng_1.pk,
        "kind": "work",
        "title": "墙面修复协调会",
        "starts_at": "2022-12-02T15:00",
        "ends_at": "2022-12-02T16:00",
        "place": "庆丰业委会办公室",
        "status": "held",
    }
    response = manager_client.post(reverse("meetings:meeting_create"), data)
    meeting = Meeting.objects.get()
    assertRedirects(response, url("meeting_record", meeting), fetch_redirect_response=False)
    assert (meeting.title, meeting.created_by) == ("墙面修复协调会", manager)
    assert meeting.starts_at == at(2022, 12, 2, 15, 0)


def test_new_meeting_form_offers_only_the_bodies_the_user_may_record_for(
    manager_client, staff_client, meeting_bodies
):
    manager_options = re.findall(
        r'<option value="\d+"[^>]*>([^<]+)</option>',
        text(manager_client.get(reverse("meetings:meeting_create"))),
    )
    staff_options = re.findall(
        r'<option value="\d+"[^>]*>([^<]+)</option>',
        text(staff_client.get(reverse("meetings:meeting_create"))),
    )
    assert manager_options == ["庆丰一号院业主委员会"]
    assert set(staff_options) == {
        "金仓社区居民委员会",
        "庆丰一号院业主委员会",
        "百腊井小区业主委员会",
    }


def test_member_of_another_body_cannot_record_a_meeting_for_this_body(
    other_member_client, meetings, meeting_bodies
):
    data = meeting_data(meetings.held, title="冒名的会议")
    before = snapshot(meetings)
    response = other_member_client.post(reverse("meetings:meeting_create"), data)
    assertContains(response, "Select a valid choice")
    assert snapshot(meetings) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_reader_without_a_seat_cannot_record_a_meeting(reader_client, meetings, method):
    before = snapshot(meetings)
    response = getattr(reader_client, method)(
        reverse("meetings:meeting_create"), meeting_data(meetings.held, title="冒名的会议")
    )
    assert response.status_code == 403
    assert snapshot(meetings) == before


def test_meeting_form_refuses_an_end_before_the_start_and_saves_nothing(manager_client, meetings):
    data = meeting_data(
        meetings.held, title="新会议", starts_at="2022-12-02T15:00", ends_at="2022-12-02T14:00"
    )
    before = snapshot(meetings)
    response = manager_client.post(reverse("meetings:meeting_create"), data)
    assertContains(response, "A meeting cannot end before it starts.")
    assert snapshot(meetings) == before


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59"])
def test_meeting_form_refuses_a_year_outside_the_range_and_saves_nothing(
    manager_client, meetings, when
):
    """Found by fuzzing: year 1 overflowed on its way to UTC (a 500)."""
    before = snapshot(meetings)
    for target in (reverse("meetings:meeting_create"), url("meeting_edit", meetings.held)):
        data = meeting_data(meetings.held, title="新会议", starts_at=when, ends_at="")
        response = manager_client.post(target, data)
        assert response.status_code == 200
        assert response.context["form"].errors["starts_at"] == [
            "Enter a date between the years 1900 and 2200."
        ]
    assert snapshot(meetings) == before


def test_meeting_edit_refuses_an_end_before_the_start_and_keeps_the_meeting(
    manager_client, meetings
):
    data = meeting_data(meetings.held, title="改名", ends_at="2022-11-18T14:00")
    before = snapshot(meetings)
    response = manager_client.post(url("meeting_edit", meetings.held), data)
    assertContains(response, "A meeting cannot end before it starts.")
    assert snapshot(meetings) == before


# Reading the minutes


def test_community_reads_the_minutes_of_a_held_meeting(reader_client, meetings):
    response = reader_client.get(url("meeting", meetings.held))
    page = text(response)
    for shown in ("铸铁管改造", "18户同意", "当天与施工方签订协议", "修复墙面", "贵州安居建筑公司"):
        assert shown in page
    assert "李华玉" in page and "武莉华" in page
    assertContains(response, "4 people present")
    assertContains(response, url("meeting_print", meetings.held))


def test_a_meeting_without_decisions_says_so_instead_of_numbering_it(
    reader_client, manager_client, meetings
):
    Decision.objects.filter(meeting=meetings.held).delete()
    for client, page, empty in (
        (reader_client, "meeting", "No decisions recorded."),
        (reader_client, "meeting_print", "No decisions recorded."),
        (manager_client, "meeting_record", "No decisions yet."),
    ):
        response = client.get(url(page, meetings.held))
        assertContains(response, f'<p class="muted">{empty}</p>', html=True)
        assertNotContains(response, f'<li class="muted">{empty}</li>', html=True)


def test_the_minutes_list_decisions_by_agenda_item_then_those_of_no_item(reader_client, meetings):
    """Read at once and put in the minutes' order: the agenda's order, not the decisions'
    own (a decision recorded later under the first item comes first)."""
    held = meetings.held
    Decision.objects.filter(meeting=held).delete()
    second = AgendaItem.objects.create(meeting=held, title="第二项", order=2)
    first = AgendaItem.objects.create(meeting=held, title="第一项", order=1)
    Decision.objects.create(meeting=held, text="决定丙：无议题")
    Decision.objects.create(meeting=held, item=second, text="决定乙：第二项")
    Decision.objects.create(meeting=held, item=first, text="决定甲：第一项")
    page = text(reader_client.get(url("meeting", held)))
    order = [page.index(t) for t in ("决定甲：第一项", "决定乙：第二项", "决定丙：无议题")]
    assert order == sorted(order)


def test_a_meeting_without_items_says_so_where_it_is_recorded(other_member_client, meetings):
    response = other_member_client.get(url("meeting_record", meetings.bailajing))
    assertContains(response, '<p class="muted">No items yet.</p>', html=True)
    assertNotContains(response, '<ol class="items">')


def test_the_meeting_pages_export_buttons_say_what_they_export(reader_client, meetings):
    response = reader_client.get(url("meeting", meetings.held))
    attendance = reverse("meetings:attendance", args=[meetings.held.pk, "csv"])
    assertContains(
        response, f'<a class="button" href="{attendance}">Attendance (CSV)</a>', html=True
    )
    assertContains(response, "Attendance (Excel)")


def test_community_reads_the_print_view_of_a_held_meeting(reader_client, meetings):
    response = reader_client.get(url("meeting_print", meetings.held))
    assertContains(response, "18户同意")
    assertContains(response, "当天与施工方签订协议")


@pytest.mark.parametrize("status", [Meeting.Status.PLANNED, Meeting.Status.CANCELLED])
def test_community_cannot_read_minutes_before_the_meeting_is_held(
    reader_client, other_member_client, meetings, status
):
    Meeting.objects.filter(pk=meetings.planned.pk).update(status=status)
    for client in (reader_client, other_member_client):
        response = client.get(url("meeting", meetings.planned))
        assertContains(response, "下周工作例会")
        assertContains(response, "The minutes can be read once the meeting is marked as held.")
        assertNotContains(response, "预备议题")
        assertNotContains(response, "草稿纪要")
        assertNotContains(response, url("meeting_print", meetings.planned))
        assert client.get(url("meeting_print", meetings.planned)).status_code == 403


@pytest.mark.parametrize("who", ["manager", "staff_user"])
def test_managers_read_the_minutes_of_a_planned_meeting(request, log_in, meetings, who):
    client = log_in(request.getfixturevalue(who))
    assertContains(client.get(url("meeting", meetings.planned)), "草稿纪要")
    assertContains(client.get(url("meeting_print", meetings.planned)), "草稿纪要")


def test_minutes_are_escaped_on_the_meeting_page_and_the_print_view(reader_client, meetings):
    AgendaItemFactory(
        meeting=meetings.held,
        title="<b>议题</b>",
        minutes="<script>alert('x')</script> & \"引号\"\n\n- 第一条 <i>\n- 第二条",
    )
    DecisionFactory(meeting=meetings.held, text="<script>决定</script>")
    for page in ("meeting", "meeting_print"):
        response = reader_client.get(url(page, meetings.held))
        assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        assertContains(response, "&amp; &quot;引号&quot;")
        assertContains(response, "&lt;b&gt;议题&lt;/b&gt;")
        assertContains(response, "&lt;script&gt;决定&lt;/script&gt;")
        assertContains(response, "<li>第一条 &lt;i&gt;</li><li>第二条</li>")
        assertNotContains(response, "<script>alert")
        assertNotContains(response, "<script>决定")


def test_minutes_lines_starting_with_a_dash_become_a_list(reader_client, meetings):
    response = reader_client.get(url("meeting", meetings.held))
    assertContains(
        response,
        "<p>庆丰一号院18栋2单元、4单元共18户同意共同出资。<br>17栋3单元7户同意。</p>"
        "<ul><li>其他楼栋仍在调查</li><li>施工方同意修复墙面</li></ul>",
    )


def test_print_view_is_a_page_of_its_own_with_the_a4_stylesheet(reader_client, meetings):
    response = reader_client.get(url("meeting_print", meetings.held))
    page = text(response)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css[^"]*">', page)
    assert "jinzang.css" not in page
    assert "Minutes: 铸铁管改造工作例会" in page
    stylesheet = Path(settings.BASE_DIR, "static", "css", "print.css").read_text()
    assert "size: A4" in stylesheet


# The record page: sections updated in place


def sections(response) -> str:
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page and "<body" not in page, "a whole page, not the fragment"
    assert page.lstrip().startswith('<div id="sections"')
    return page


def test_record_page_shows_every_section_of_the_meeting(manager_client, meetings):
    response = manager_client.get(url("meeting_record", meetings.held))
    for shown in ("李华玉", "贵州安居建筑公司", "铸铁管改造", "当天与施工方签订协议", "修复墙面"):
        assertContains(response, shown)
    assertContains(response, "<html")


def test_htmx_item_post_returns_only_the_sections_with_the_new_item(manager_client, meetings):
    response = manager_client.post(
        url("item_add", meetings.held), {"title": "墙面修复", "minutes": "先修17栋"}, **HX
    )
    assert "<strong>墙面修复</strong>" in sections(response)
    assert list(meetings.held.items.values_list("title", "order")) == [
        ("铸铁管改造", 1),
        ("墙面修复", 2),
    ]


def test_htmx_item_post_without_a_title_shows_the_error_and_writes_nothing(
    manager_client, meetings
):
    before = snapshot(meetings)
    response = manager_client.post(url("item_add", meetings.held), {"title": ""}, **HX)
    assert "This field is required." in sections(response)
    assert snapshot(meetings) == before


def test_htmx_attendee_post_adds_the_resident(staff_client, meetings, register):
    attendee_of(meetings.held, register.resident_a2).delete()
    response = staff_client.post(
        url("attendee_add", meetings.held), {"resident": register.resident_a2.pk}, **HX
    )
    assert "武莉华" in sections(response)
    assert attendee_of(meetings.held, register.resident_a2)


def test_htmx_attendee_remove_takes_the_attendee_off_the_list(manager_client, meetings, register):
    attendee = attendee_of(meetings.held, register.resident_a2)
    response = manager_client.post(url("attendee_remove", meetings.held, attendee.pk), **HX)
    assert "武莉华" not in sections(response)
    assert not meetings.held.attendees.filter(pk=attendee.pk).exists()


def test_attendee_of_another_meeting_cannot_be_removed_through_this_one(
    manager_client, meetings, register
):
    elsewhere = AttendeeFactory(meeting=meetings.planned, resident=register.resident_a1)
    response = manager_client.post(url("attendee_remove", meetings.held, elsewhere.pk), **HX)
    assert response.status_code == 404
    assert Attendee.objects.filter(pk=elsewhere.pk).exists()


def test_htmx_unknown_attendee_shows_the_error_and_writes_nothing(manager_client, meetings):
    before = snapshot(meetings)
    for resident in ("999999", "李华玉", ""):
        response = manager_client.post(
            url("attendee_add", meetings.held), {"resident": resident}, **HX
        )
        error = "Unknown attendee: pick someone from the search results."
        assert error in sections(response), resident
    assert snapshot(meetings) == before


def test_htmx_resident_of_another_community_shows_the_error_and_writes_nothing(
    manager_client, meetings, register
):
    before = snapshot(meetings)
    response = manager_client.post(
        url("attendee_add", meetings.held), {"resident": register.resident_b.pk}, **HX
    )
    assert snapshot(meetings) == before
    assert "Unknown attendee: pick someone from the search results." in sections(response)


def test_htmx_inactive_account_shows_the_error_and_writes_nothing(manager_client, meetings):
    gone = UserFactory(username="gone", is_active=False)
    before = snapshot(meetings)
    response = manager_client.post(url("attendee_add", meetings.held), {"user": gone.pk}, **HX)
    assert snapshot(meetings) == before
    assert "Unknown attendee: pick someone from the search results." in sections(response)


def test_htmx_attendee_already_on_the_list_shows_the_error(manager_client, meetings, register):
    before = snapshot(meetings)
    response = manager_client.post(
        url("attendee_add", meetings.held), {"resident": register.resident_a1.pk}, **HX
    )
    assert "Already on the list of attendees." in sections(response)
    assert snapshot(meetings) == before


def test_htmx_party_post_adds_the_outside_party(manager_client, meetings):
    response = manager_client.post(
        url("party_add", meetings.held),
        {"kind": "government", "organisation": "云岩区住建局", "name": "王科长"},
        **HX,
    )
    assert "云岩区住建局 王科长" in sections(response)


def test_htmx_decision_post_adds_the_decision(manager_client, meetings):
    response = manager_client.post(
        url("decision_add", meetings.held), {"text": "下周验收", "item": meetings.pipes.pk}, **HX
    )
    assert "<li>下周验收<form" in sections(response)
    assert meetings.pipes.decisions.filter(text="下周验收").exists()


def test_htmx_decision_post_records_who_signed_the_agreement(manager_client, meetings):
    response = manager_client.post(
        url("decision_add", meetings.held),
        {"text": "与施工方签订补充协议", "item": meetings.pipes.pk, "signed_by": "李华玉"},
        **HX,
    )
    assert '与施工方签订补充协议 <span class="muted">(Signed by 李华玉)</span>' in sections(
        response
    )
    assert meetings.pipes.decisions.get(text="与施工方签订补充协议").signed_by == "李华玉"


def test_the_meeting_page_and_its_print_say_who_signed_a_decision(reader_client, meetings):
    for page in ("meeting", "meeting_print"):
        response = reader_client.get(url(page, meetings.held))
        assertContains(
            response,
            '<li>当天与施工方签订协议。<br><span class="muted">Signed by 廖书英</span></li>',
            html=True,
        )


def test_htmx_decision_on_an_item_of_another_meeting_shows_the_error(manager_client, meetings):
    elsewhere = AgendaItemFactory(meeting=meetings.bailajing)
    before = snapshot(meetings)
    response = manager_client.post(
        url("decision_add", meetings.held), {"text": "下周验收", "item": elsewhere.pk}, **HX
    )
    assert "Select a valid choice." in sections(response)
    assert snapshot(meetings) == before


def action_data(meetings, **changes):
    data = {
        "description": "通知住户",
        "owner": f"p{meetings.contractor.pk}",
        "due_on": "2022-12-01",
        "item": meetings.pipes.pk,
    }
    return data | changes


@pytest.mark.parametrize(
    "owner, name",
    [("contractor", "贵州安居建筑公司 陈工"), ("resident", "武莉华")],
)
def test_htmx_action_post_adds_the_action_with_its_owner(
    manager_client, meetings, register, owner, name
):
    key = {"contractor": f"p{meetings.contractor.pk}", "resident": f"r{register.resident_a2.pk}"}
    response = manager_client.post(
        url("action_add", meetings.held), action_data(meetings, owner=key[owner]), **HX
    )
    assert f"通知住户 · {name} ·" in sections(response)
    assert meetings.held.actions.get(description="通知住户").owner_name == name


def test_htmx_action_owned_by_a_staff_attendee_is_recorded(manager_client, meetings, staff_user):
    manager_client.post(
        url("action_add", meetings.held), action_data(meetings, owner=f"u{staff_user.pk}"), **HX
    )
    assert meetings.held.actions.get(description="通知住户").owner_user == staff_user


def test_htmx_action_due_on_the_meeting_day_is_accepted(manager_client, meetings):
    manager_client.post(
        url("action_add", meetings.held), action_data(meetings, due_on="2022-11-18"), **HX
    )
    assert meetings.held.actions.filter(description="通知住户").exists()


# Invalid actions, and the error each shows.
INVALID_ACTIONS = {
    "due before the meeting": (
        {"due_on": "2022-11-17"},
        "An action cannot be due before the meeting.",
    ),
    "no owner": ({"owner": ""}, "This field is required."),
    "unknown owner": ({"owner": "p999999"}, "Select a valid choice."),
    "no such day": ({"due_on": "2022-02-30"}, "Enter a valid date."),
    "no description": ({"description": ""}, "This field is required."),
}


def test_htmx_invalid_action_shows_the_error_and_writes_nothing(manager_client, meetings):
    before = snapshot(meetings)
    for case, (changes, error) in INVALID_ACTIONS.items():
        response = manager_client.post(
            url("action_add", meetings.held), action_data(meetings, **changes), **HX
        )
        assert error in sections(response), case
    assert snapshot(meetings) == before


def test_action_owned_by_a_party_of_another_meeting_is_not_offered(manager_client, meetings):
    other = ActionFactory(meeting=meetings.bailajing).owner_party
    before = snapshot(meetings)
    response = manager_client.post(
        url("action_add", meetings.held), action_data(meetings, owner=f"p{other.pk}"), **HX
    )
    assert "Select a valid choice." in sections(response)
    assert snapshot(meetings) == before


def test_section_post_without_htmx_redirects_to_the_record_page_with_a_message(
    manager_client, meetings
):
    response = manager_client.post(
        url("item_add", meetings.held), {"title": "墙面修复"}, follow=True
    )
    assertRedirects(response, url("meeting_record", meetings.held))
    assertContains(response, "Saved.")


def test_record_page_shows_its_success_message_once(manager_client, meetings):
    response = manager_client.post(
        url("item_add", meetings.held), {"title": "墙面修复"}, follow=True
    )
    assert text(response).count("Saved.") == 1


def test_new_meeting_message_is_shown_once_on_the_record_page(manager_client, meetings):
    response = manager_client.post(
        reverse("meetings:meeting_create"),
        meeting_data(meetings.held, title="墙面修复例会"),
        follow=True,
    )
    assert text(response).count("Meeting saved. Add attendees, items and actions below.") == 1


def test_htmx_section_post_says_what_was_saved_in_the_section(manager_client, meetings):
    response = manager_client.post(url("item_add", meetings.held), {"title": "墙面修复"}, **HX)
    assert sections(response).count("Saved.") == 1


def test_invalid_section_post_without_htmx_shows_the_whole_record_page(manager_client, meetings):
    response = manager_client.post(
        url("action_add", meetings.held), action_data(meetings, owner="")
    )
    assertContains(response, "<html")
    assertContains(response, "This field is required.")


# Deleting items, decisions and actions, as attendees are removed


def test_record_page_offers_to_delete_each_item_decision_and_action(manager_client, meetings):
    page = text(manager_client.get(url("meeting_record", meetings.held)))
    for name, part, label in (
        ("item_delete", meetings.pipes, "Delete the item 铸铁管改造"),
        ("decision_delete", meetings.agreement, "Delete the decision 当天与施工方签订协议。"),
        ("action_delete", meetings.repair, f"Delete the action {meetings.repair.description}"),
    ):
        delete_url = url(name, meetings.held, part.pk)
        assert f'action="{delete_url}" hx-post="{delete_url}"' in page, name
        assert f'aria-label="{label}"' in page, name


def test_htmx_item_delete_keeps_its_decisions_and_actions_as_the_meetings(manager_client, meetings):
    response = manager_client.post(url("item_delete", meetings.held, meetings.pipes.pk), **HX)
    page = sections(response)
    assert "<strong>铸铁管改造</strong>" not in page
    assert "Agenda item deleted; its decisions and actions stay, as the meeting&#x27;s own." in page
    assert "当天与施工方签订协议。" in page
    assert not AgendaItem.objects.filter(pk=meetings.pipes.pk).exists()
    assert stored(meetings.agreement).item is None
    assert stored(meetings.repair).item is None


def test_htmx_decision_delete_takes_the_decision_off_the_record(manager_client, meetings):
    response = manager_client.post(
        url("decision_delete", meetings.held, meetings.agreement.pk), **HX
    )
    page = sections(response)
    assert "当天与施工方签订协议。" not in page
    assert "Decision deleted." in page
    assert not Decision.objects.filter(pk=meetings.agreement.pk).exists()


def test_action_delete_without_htmx_returns_to_the_record_page_with_a_message(
    manager_client, meetings
):
    description = meetings.repair.description
    response = manager_client.post(
        url("action_delete", meetings.held, meetings.repair.pk), follow=True
    )
    assertRedirects(response, url("meeting_record", meetings.held))
    assertContains(response, "Action deleted.", count=1)
    assertNotContains(response, f"{description} ·")
    assert not Action.objects.filter(pk=meetings.repair.pk).exists()


@pytest.mark.parametrize("name", ["item_delete", "decision_delete", "action_delete"])
def test_a_delete_is_refused_on_a_get(manager_client, meetings, name):
    part = {"item_delete": "pipes", "decision_delete": "agreement", "action_delete": "repair"}
    before = snapshot(meetings)
    response = manager_client.get(url(name, meetings.held, getattr(meetings, part[name]).pk))
    assert response.status_code == 405
    assert snapshot(meetings) == before
    assert stored(getattr(meetings, part[name]))


def test_part_of_another_meeting_cannot_be_deleted_through_this_one(manager_client, meetings):
    item = AgendaItemFactory(meeting=meetings.planned)
    decision = DecisionFactory(meeting=meetings.planned)
    action = ActionFactory(meeting=meetings.planned)
    before = snapshot(meetings)
    for name, part in (
        ("item_delete", item),
        ("decision_delete", decision),
        ("action_delete", action),
    ):
        assert manager_client.post(url(name, meetings.held, part.pk), **HX).status_code == 404
    assert snapshot(meetings) == before
    assert stored(item) and stored(decision) and stored(action)


def test_item_edit_changes_the_minutes(manager_client, meetings):
    response = manager_client.post(
        url("item_edit", meetings.held, meetings.pipes.pk),
        {"title": "铸铁管改造", "minutes": "- 18户同意", "version": 1},
    )
    assertRedirects(response, url("meeting_record", meetings.held), fetch_redirect_response=False)
    meetings.pipes.refresh_from_db()
    assert meetings.pipes.minutes == "- 18户同意"


def test_item_of_another_meeting_cannot_be_edited_through_this_one(manager_client, meetings):
    elsewhere = AgendaItemFactory(meeting=meetings.planned)
    response = manager_client.get(url("item_edit", meetings.held, elsewhere.pk))
    assert response.status_code == 404


def test_attendee_search_finds_residents_of_the_community_by_name(staff_client, meetings):
    response = staff_client.get(url("attendee_search", meetings.held), {"q": "华"})
    page = text(response)
    assert "<html" not in page
    assert "李华玉" in page and "武莉华" in page
    assert "赵湘黔" not in page  # resident_b lives in community B


def test_attendee_search_lists_a_resident_with_an_account_once(staff_client, meetings, register):
    # 李华玉 is on the register and holds a seat with her account: one person, one entry,
    # her account's (so that the actions she owns are "my actions" when she logs in).
    manager = meetings.held.body.terms.get().members.get().user
    page = text(staff_client.get(url("attendee_search", meetings.held), {"q": "华"}))
    assert page.count('name="user"') == 1
    assert f'name="user" value="{manager.pk}"' in page
    assert f'name="resident" value="{register.resident_a1.pk}"' not in page
    assert f'name="resident" value="{register.resident_a2.pk}"' in page  # 武莉华, no account


def test_account_of_a_resident_attending_is_already_on_the_list(
    staff_client, meetings, register, manager
):
    before = snapshot(meetings)
    response = staff_client.post(url("attendee_add", meetings.held), {"user": manager.pk}, **HX)
    assert "Already on the list of attendees." in sections(response)
    assert snapshot(meetings) == before


def test_resident_whose_account_attends_is_already_on_the_list(
    staff_client, meetings, register, manager
):
    attendee_of(meetings.held, register.resident_a1).delete()
    AttendeeFactory(meeting=meetings.held, resident=None, user=manager)
    before = snapshot(meetings)
    response = staff_client.post(
        url("attendee_add", meetings.held), {"resident": register.resident_a1.pk}, **HX
    )
    assert "Already on the list of attendees." in sections(response)
    assert snapshot(meetings) == before


def test_attendee_search_offers_a_member_only_residents_of_their_own_part(manager_client, meetings):
    # The courtyard's committee member sees names of their courtyard only, like the register.
    page = text(manager_client.get(url("attendee_search", meetings.held), {"q": "华"}))
    assert "李华玉" in page
    assert "武莉华" not in page


def test_attendee_search_does_not_offer_accounts_of_another_community(
    manager_client, meetings, meeting_bodies
):
    user = UserFactory(username="huangdeming", first_name="德明", last_name="黄")
    MemberFactory(term=TermFactory(body=meeting_bodies.qianling), user=user)
    response = manager_client.get(url("attendee_search", meetings.held), {"q": "德明"})
    assertContains(response, "Nobody named “德明” in the community.")


def test_account_of_another_community_cannot_be_added_as_an_attendee(
    manager_client, meetings, community_b_user
):
    before = snapshot(meetings)
    manager_client.post(url("attendee_add", meetings.held), {"user": community_b_user.pk}, **HX)
    assert snapshot(meetings) == before


def test_attendee_search_finds_a_name_typed_with_a_space(staff_client, meetings):
    page = text(staff_client.get(url("attendee_search", meetings.held), {"q": "李 华玉"}))
    assert "李华玉" in page
    assert "Nobody named" not in page


def test_attendee_search_finds_an_account_by_family_and_given_name(
    staff_client, staff_user, meetings
):
    # 廖书英's account keeps 廖 as family name and 书英 as given name: typed whole, as a
    # Chinese name is written, or with a space, it finds her.
    for typed in ["廖书英", "廖 书英", "书英"]:
        page = text(staff_client.get(url("attendee_search", meetings.held), {"q": typed}))
        assert f'name="user" value="{staff_user.pk}"' in page, typed


def test_attendee_search_for_a_nul_character_finds_nobody(manager_client, meetings):
    response = manager_client.get(url("attendee_search", meetings.held), {"q": "\x00"})
    assert response.status_code == 200


# The list and its search


def listed(response) -> list[str]:
    return re.findall(r'<td data-label="Subject"><a href="[^"]+">([^<]+)</a>', text(response))


def test_list_search_finds_the_meeting_by_its_text(reader_client, meetings):
    # the subject, the minutes, a decision, the place
    found = {
        q: listed(reader_client.get(reverse("meetings:meeting_list"), {"q": q}))
        for q in ("铸铁管", "17栋3单元", "签订协议", "业委会办公室")
    }
    assert found == dict.fromkeys(found, ["铸铁管改造工作例会"])


def test_list_search_stays_within_the_community(reader_client, meetings):
    response = reader_client.get(reverse("meetings:meeting_list"), {"q": "黔灵"})
    assert listed(response) == []
    assertContains(response, "No meetings match.")


def test_list_shows_every_meeting_of_the_community_newest_first(reader_client, meetings):
    response = reader_client.get(reverse("meetings:meeting_list"))
    assert listed(response) == ["下周工作例会", "百腊井意见征集会", "铸铁管改造工作例会"]
    assertContains(response, "3 meetings")


def test_list_counts_people_and_open_actions_per_meeting(reader_client, meetings):
    ActionFactory(meeting=meetings.held, status=Action.Status.DONE)
    response = reader_client.get(reverse("meetings:meeting_list"), {"q": "铸铁管"})
    # 3 attendees and 2 outside parties (the contractor, and the done action's owner)
    assertContains(response, '<td data-label="People" class="num">5</td>')
    assertContains(response, '<td data-label="Open actions" class="num">1</td>')


def test_list_filters_by_body(reader_client, meetings, meeting_bodies):
    response = reader_client.get(
        reverse("meetings:meeting_list"), {"body": meeting_bodies.bailajing.pk}
    )
    assert listed(response) == ["百腊井意见征集会"]


def test_list_filter_by_a_body_of_another_community_is_an_error(
    reader_client, meetings, meeting_bodies
):
    response = reader_client.get(
        reverse("meetings:meeting_list"), {"body": meeting_bodies.qianling.pk}
    )
    assertContains(response, "Select a valid choice.")
    assert listed(response) == []


def test_list_filters_by_kind(reader_client, meetings):
    response = reader_client.get(reverse("meetings:meeting_list"), {"kind": "opinion"})
    assert listed(response) == ["百腊井意见征集会"]


def test_list_filters_by_date_range_including_both_ends(reader_client, meetings):
    response = reader_client.get(
        reverse("meetings:meeting_list"), {"date_from": "2022-11-18", "date_to": "2022-11-25"}
    )
    assert listed(response) == ["百腊井意见征集会", "铸铁管改造工作例会"]
    response = reader_client.get(
        reverse("meetings:meeting_list"), {"date_from": "2022-11-19", "date_to": "2022-11-24"}
    )
    assert listed(response) == []


def test_list_date_range_is_in_guiyang_time(reader_client, meeting_bodies):
    # 00:30 on 1 December in Guiyang is 30 November in UTC.
    MeetingFactory(
        body=meeting_bodies.qingfeng_1, title="午夜例会", starts_at=at(2022, 12, 1, 0, 30)
    )
    november = {"date_from": "2022-11-01", "date_to": "2022-11-30"}
    december = {"date_from": "2022-12-01", "date_to": "2022-12-31"}
    assert listed(reader_client.get(reverse("meetings:meeting_list"), november)) == []
    assert listed(reader_client.get(reverse("meetings:meeting_list"), december)) == ["午夜例会"]


def test_list_combines_text_body_kind_and_dates(reader_client, meetings, meeting_bodies):
    query = {
        "q": "例会",
        "body": meeting_bodies.qingfeng_1.pk,
        "kind": "work",
        "date_from": "2022-11-01",
        "date_to": "2022-11-30",
    }
    assert listed(reader_client.get(reverse("meetings:meeting_list"), query)) == [
        "铸铁管改造工作例会"
    ]


def test_list_with_an_invalid_date_shows_a_form_error(reader_client, meetings):
    for field in ("date_from", "date_to"):
        for value in ("2022-13-01", "yesterday", "2022-02-30"):
            response = reader_client.get(reverse("meetings:meeting_list"), {field: value})
            assertContains(response, "Enter a valid date.")
            assert listed(response) == [], (field, value)


def test_list_with_an_unknown_kind_shows_a_form_error(reader_client, meetings):
    response = reader_client.get(reverse("meetings:meeting_list"), {"kind": "party"})
    assertContains(response, "Select a valid choice.")


def test_record_button_is_shown_only_to_those_who_may_record(
    manager_client, reader_client, meetings
):
    new = reverse("meetings:meeting_create")
    assertContains(manager_client.get(reverse("meetings:meeting_list")), new)
    assertNotContains(reader_client.get(reverse("meetings:meeting_list")), new)


# The calendar


def on_calendar(response) -> list[str]:
    return re.findall(
        r'<a class="cal-meeting[^"]*" href="[^"]+"><span class="cal-time">[^<]+</span> ([^<]+)</a>',
        text(response),
    )


def test_calendar_shows_the_meetings_of_the_requested_month(reader_client, meetings):
    response = reader_client.get(reverse("meetings:calendar"), {"month": "2022-11"})
    assert on_calendar(response) == ["铸铁管改造工作例会", "百腊井意见征集会"]
    assertContains(response, "<h1>November 2022</h1>")
    assertContains(response, "2 meetings")


def test_calendar_shows_one_body(reader_client, meetings, meeting_bodies):
    response = reader_client.get(
        reverse("meetings:calendar"), {"month": "2022-11", "body": meeting_bodies.bailajing.pk}
    )
    assert on_calendar(response) == ["百腊井意见征集会"]
    assertContains(response, "百腊井小区业主委员会 · 1 meeting")


def test_calendar_puts_a_meeting_on_its_day_in_guiyang(reader_client, meeting_bodies):
    # 00:30 on 1 December in Guiyang is 30 November in UTC.
    MeetingFactory(
        body=meeting_bodies.qingfeng_1, title="午夜例会", starts_at=at(2022, 12, 1, 0, 30)
    )
    november = reader_client.get(reverse("meetings:calendar"), {"month": "2022-11"})
    december = reader_client.get(reverse("meetings:calendar"), {"month": "2022-12"})
    assert on_calendar(november) == []
    assert on_calendar(december) == ["午夜例会"]


def test_calendar_of_a_body_of_another_community_is_not_found(
    reader_client, meetings, meeting_bodies
):
    response = reader_client.get(reverse("meetings:calendar"), {"body": meeting_bodies.qianling.pk})
    assert response.status_code == 404


def test_calendar_with_a_malformed_month_shows_the_current_month(reader_client, meetings):
    current = f"<h1>{date_format(timezone.localdate(), 'YEAR_MONTH_FORMAT')}</h1>"
    for month in ("2022-13", "november", "2022", "2022-11-05", "-1", "2022-0"):
        assertContains(reader_client.get(reverse("meetings:calendar"), {"month": month}), current)


def test_calendar_at_the_ends_of_the_calendar_does_not_fail(reader_client, meetings):
    statuses = {
        month: reader_client.get(reverse("meetings:calendar"), {"month": month}).status_code
        for month in ("0001-01", "9999-12")
    }
    assert statuses == {"0001-01": 200, "9999-12": 200}


def test_calendar_with_a_malformed_body_shows_the_whole_community(reader_client, meetings):
    response = reader_client.get(reverse("meetings:calendar"), {"month": "2022-11", "body": "x"})
    assert on_calendar(response) == ["铸铁管改造工作例会", "百腊井意见征集会"]


def test_calendar_with_a_body_in_other_digits_does_not_fail(reader_client, meetings):
    # "²".isdigit() is true, but it is no number
    response = reader_client.get(reverse("meetings:calendar"), {"month": "2022-11", "body": "²"})
    assert response.status_code in (200, 404)


# Action lists


@pytest.fixture
def actions(meetings, manager, staff_user):
    """Besides `repair` (the contractor's, open, due 18 December 2022): the manager's
    actions, open or not, overdue or not, and an overdue one in community B."""
    held, later = meetings.held, meetings.planned
    make = ActionFactory
    return {
        "mine_overdue": make(
            meeting=held, owner_party=None, owner_user=manager, description="我的逾期事项"
        ),
        "mine_later": make(
            meeting=later,
            owner_party=None,
            owner_user=manager,
            description="我的未到期事项",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        ),
        "mine_today": make(
            meeting=held,
            owner_party=None,
            owner_user=manager,
            description="我的今天到期事项",
            due_on=timezone.localdate(),
        ),
        "mine_done": make(
            meeting=held,
            owner_party=None,
            owner_user=manager,
            description="我的已完成事项",
            status=Action.Status.DONE,
            done_on=datetime.date(2022, 12, 1),
        ),
        "mine_dropped": make(
            meeting=held,
            owner_party=None,
            owner_user=manager,
            description="我的已放弃事项",
            status=Action.Status.DROPPED,
        ),
        "staff": make(
            meeting=held, owner_party=None, owner_user=staff_user, description="居委会事项"
        ),
        "community_b": make(meeting=meetings.qianling, description="黔灵逾期事项"),
    }


def action_rows(response) -> list[str]:
    return re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>', text(response))


def test_my_open_actions_lists_only_my_open_actions(manager_client, actions):
    response = manager_client.get(reverse("meetings:actions_mine"))
    assert action_rows(response) == ["我的逾期事项", "我的今天到期事项", "我的未到期事项"]
    assertContains(response, "! overdue", count=1)


def test_my_open_actions_is_empty_for_someone_without_actions(other_member_client, actions):
    response = other_member_client.get(reverse("meetings:actions_mine"))
    assert action_rows(response) == []
    assertContains(response, "You have no open actions.")


def test_overdue_actions_lists_open_actions_due_before_today_in_the_community(
    reader_client, actions
):
    response = reader_client.get(reverse("meetings:actions_overdue"))
    # by due date: 2 December (two weeks after the meeting), then 18 December
    assert action_rows(response) == ["我的逾期事项", "居委会事项", "修复墙面"]
    assertContains(response, "! overdue", count=3)


def test_overdue_actions_of_another_community_are_theirs(community_b_client, actions):
    response = community_b_client.get(reverse("meetings:actions_overdue"))
    assert action_rows(response) == ["黔灵逾期事项"]


def test_done_button_is_offered_only_on_my_own_actions(manager_client, actions):
    response = manager_client.get(reverse("meetings:actions_overdue"))
    assertContains(response, reverse("meetings:action_status", args=[actions["mine_overdue"].pk]))
    assertNotContains(response, reverse("meetings:action_status", args=[actions["staff"].pk]))


def status_of(action):
    action.refresh_from_db()
    return action.status, action.done_on


def test_owner_marks_their_action_done(log_in, meetings, reader):
    action = ActionFactory(meeting=meetings.held, owner_party=None, owner_user=reader)
    response = log_in(reader).post(
        reverse("meetings:action_status", args=[action.pk]),
        {"status": "done", "next": reverse("meetings:actions_mine")},
    )
    assertRedirects(response, reverse("meetings:actions_mine"), fetch_redirect_response=False)
    assert status_of(action) == (Action.Status.DONE, timezone.localdate())


@pytest.mark.parametrize("who", ["manager", "staff_user"])
def test_managers_mark_any_action_of_the_body_done(request, log_in, meetings, who):
    response = log_in(request.getfixturevalue(who)).post(
        reverse("meetings:action_status", args=[meetings.repair.pk]), {"status": "done"}
    )
    assertRedirects(response, url("meeting", meetings.held), fetch_redirect_response=False)
    assert status_of(meetings.repair) == (Action.Status.DONE, timezone.localdate())


@pytest.mark.parametrize("who", ["other_member", "reader"])
def test_others_cannot_mark_an_action_done(request, log_in, actions, who):
    action = actions["staff"]
    response = log_in(request.getfixturevalue(who)).post(
        reverse("meetings:action_status", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 403
    assert status_of(action) == (Action.Status.OPEN, None)


def test_unknown_action_status_is_a_bad_request(manager_client, meetings):
    response = manager_client.post(
        reverse("meetings:action_status", args=[meetings.repair.pk]), {"status": "lost"}
    )
    assert response.status_code == 400
    assert status_of(meetings.repair) == (Action.Status.OPEN, None)


def test_marking_an_action_done_never_redirects_off_the_site(manager_client, meetings):
    # Django quotes a backslash in the Location header, so "/\\x" stays on the site.
    for next_url in ("https://example.org/", "//example.org/", "/\\example.org/"):
        response = manager_client.post(
            reverse("meetings:action_status", args=[meetings.repair.pk]),
            {"status": "done", "next": next_url},
        )
        assert response.status_code == 302
        assert url_has_allowed_host_and_scheme(response.url, {"testserver"}), next_url
