import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jinzang.names import person_name
from meetings.models import Action, Attendee, Meeting
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
    OutsidePartyFactory,
    at,
)

pytestmark = pytest.mark.django_db


def refused_by_the_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


# A meeting's time


def test_meeting_ending_before_it_starts_is_refused_by_the_database(meeting_bodies):
    refused_by_the_database(
        lambda: MeetingFactory(
            body=meeting_bodies.qingfeng_1,
            starts_at=at(2022, 11, 18, 15),
            ends_at=at(2022, 11, 18, 14),
        )
    )
    assert not Meeting.objects.exists()


def test_meeting_ending_before_it_starts_fails_validation_with_a_clear_message(meeting_bodies):
    meeting = MeetingFactory.build(
        body=meeting_bodies.qingfeng_1, starts_at=at(2022, 11, 18, 15), ends_at=at(2022, 11, 18, 14)
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.messages == ["A meeting cannot end before it starts."]


def test_meeting_may_end_when_it_starts_or_have_no_end_time(meeting_bodies):
    MeetingFactory.build(
        body=meeting_bodies.qingfeng_1, starts_at=at(2022, 11, 18, 15), ends_at=at(2022, 11, 18, 15)
    ).full_clean()
    MeetingFactory.build(body=meeting_bodies.qingfeng_1, ends_at=None).full_clean()


# Attendees


def test_attendee_cannot_be_both_a_resident_and_a_user(meetings, register, staff_user):
    refused_by_the_database(
        lambda: AttendeeFactory(
            meeting=meetings.bailajing, resident=register.resident_a1, user=staff_user
        )
    )


def test_attendee_must_be_a_resident_or_a_user(meetings):
    refused_by_the_database(
        lambda: AttendeeFactory(meeting=meetings.bailajing, resident=None, user=None)
    )


def test_resident_attends_a_meeting_once(meetings, register):
    refused_by_the_database(
        lambda: AttendeeFactory(meeting=meetings.held, resident=register.resident_a1)
    )
    assert meetings.held.attendees.filter(resident=register.resident_a1).count() == 1


def test_staff_member_attends_a_meeting_once(meetings, staff_user):
    refused_by_the_database(
        lambda: AttendeeFactory(meeting=meetings.held, resident=None, user=staff_user)
    )


def test_same_person_may_attend_two_meetings(meetings, register, staff_user):
    AttendeeFactory(meeting=meetings.bailajing, resident=register.resident_a1)
    AttendeeFactory(meeting=meetings.bailajing, resident=None, user=staff_user)
    assert Attendee.objects.filter(resident=register.resident_a1).count() == 2


def test_attendee_is_shown_by_resident_name_or_staff_full_name(meetings, staff_user):
    names = [a.display_name for a in meetings.held.attendees.all()]
    assert names == ["李华玉", "武莉华", person_name(staff_user)]


# Actions


def test_action_without_an_owner_is_refused_by_the_database(meetings):
    refused_by_the_database(lambda: ActionFactory(meeting=meetings.held, owner_party=None))


def test_action_without_an_owner_fails_validation_with_a_clear_message(meetings):
    action = ActionFactory.build(meeting=meetings.held, owner_party=None)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "An action needs an owner." in error.value.messages


def test_action_is_owned_by_a_staff_member_a_resident_or_an_outside_party(
    meetings, register, manager
):
    by_user = ActionFactory(meeting=meetings.held, owner_party=None, owner_user=manager)
    by_resident = ActionFactory(
        meeting=meetings.held, owner_party=None, owner_resident=register.resident_a2
    )
    assert by_user.owner_name == person_name(manager)
    assert by_resident.owner_name == "武莉华"
    assert meetings.repair.owner_name == "贵州安居建筑公司 陈工"


@pytest.fixture
def actions(meetings, manager, staff_user):
    """Actions of the held meeting (18 Nov 2022), besides `repair` (open, due 18 Dec 2022)."""
    held = meetings.held
    make = ActionFactory
    return {
        "mine_open": make(meeting=held, owner_party=None, owner_user=manager),
        "mine_done": make(
            meeting=held,
            owner_party=None,
            owner_user=manager,
            status=Action.Status.DONE,
            done_on=datetime.date(2022, 12, 1),
        ),
        "mine_dropped": make(
            meeting=held, owner_party=None, owner_user=manager, status=Action.Status.DROPPED
        ),
        "staff_open": make(meeting=held, owner_party=None, owner_user=staff_user),
        "due_today": make(meeting=held, due_on=datetime.date(2022, 12, 20)),
    }


def test_open_actions_are_neither_done_nor_dropped(meetings, actions):
    opened = set(Action.objects.open())
    assert opened == {
        meetings.repair,
        actions["mine_open"],
        actions["staff_open"],
        actions["due_today"],
    }


def test_overdue_actions_are_open_and_due_before_today(meetings, actions):
    overdue = set(Action.objects.overdue(today=datetime.date(2022, 12, 20)))
    assert meetings.repair in overdue
    assert actions["due_today"] not in overdue
    assert actions["mine_done"] not in overdue
    assert actions["mine_dropped"] not in overdue


def test_overdue_actions_default_to_today(meetings, actions):
    # Every action here was due in 2022.
    assert set(Action.objects.overdue()) == set(Action.objects.open())


def test_actions_owned_by_a_user_are_only_theirs(actions, manager):
    assert set(Action.objects.owned_by(manager)) == {
        actions["mine_open"],
        actions["mine_done"],
        actions["mine_dropped"],
    }
    assert list(Action.objects.open().owned_by(manager)) == [actions["mine_open"]]


def test_action_is_overdue_only_while_open_and_past_its_due_date(meetings, actions):
    assert meetings.repair.is_overdue
    assert not actions["mine_done"].is_overdue
    later = ActionFactory(meeting=meetings.planned, due_on=datetime.date(2999, 1, 1))
    assert not later.is_overdue


# Search


def test_search_finds_the_meeting_by_its_text(meetings):
    texts = {
        "subject": "铸铁管改造工作例会",
        "part of the subject": "工作例会",
        "place": "业委会办公室",
        "minutes": "18户同意",
        "a list line of the minutes": "修复墙面",
        "decision": "签订协议",
    }
    found = {what: meetings.held in Meeting.objects.search(text) for what, text in texts.items()}
    assert found == dict.fromkeys(texts, True)


def test_search_by_agenda_item_title_finds_its_meeting(meetings):
    assert list(Meeting.objects.search("铸铁管改造")) == [meetings.held]


def test_search_by_decision_text_finds_only_its_meeting(meetings):
    assert list(Meeting.objects.search("签订协议")) == [meetings.held]


def test_search_by_minutes_finds_only_their_meeting(meetings):
    assert list(Meeting.objects.search("17栋3单元")) == [meetings.held]


def test_search_lists_a_meeting_once_however_many_of_its_parts_match(meetings):
    for _ in range(3):
        AgendaItemFactory(meeting=meetings.held, title="签订协议之后", minutes="签订协议")
        DecisionFactory(meeting=meetings.held, text="再次签订协议")
    assert list(Meeting.objects.search("签订协议")) == [meetings.held]


def test_search_for_nothing_returns_every_meeting(meetings):
    assert Meeting.objects.search("  ").count() == Meeting.objects.count() == 4


def test_search_finds_nothing_for_text_no_meeting_has(meetings):
    assert not Meeting.objects.search("不存在的内容").exists()


def test_search_does_not_read_outside_party_names_as_meeting_text(meetings):
    OutsidePartyFactory(meeting=meetings.bailajing, organisation="某某物业")
    assert not Meeting.objects.search("某某物业").exists()


# Who sees which meetings


def test_community_user_sees_every_body_of_their_community_and_no_other(
    meetings, reader, community_b_user
):
    assert set(Meeting.objects.visible_to(reader)) == {
        meetings.held,
        meetings.planned,
        meetings.bailajing,
    }
    assert list(Meeting.objects.visible_to(community_b_user)) == [meetings.qianling]


def test_superuser_sees_every_meeting(meetings, admin_user):
    assert Meeting.objects.visible_to(admin_user).count() == 4


def test_user_without_a_role_sees_no_meeting(meetings, outsider):
    assert not Meeting.objects.visible_to(outsider).exists()


def test_actions_are_visible_with_their_meeting(meetings, reader, community_b_user):
    other = ActionFactory(meeting=meetings.qianling)
    assert list(Action.objects.visible_to(reader)) == [meetings.repair]
    assert list(Action.objects.visible_to(community_b_user)) == [other]


def test_minutes_are_readable_by_anyone_once_held_and_by_managers_before(
    meetings, manager, staff_user, other_member, reader
):
    assert meetings.held.minutes_readable_by(reader)
    assert meetings.planned.minutes_readable_by(manager)
    assert meetings.planned.minutes_readable_by(staff_user)
    assert not meetings.planned.minutes_readable_by(other_member)
    assert not meetings.planned.minutes_readable_by(reader)
