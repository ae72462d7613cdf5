import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.meetings import services
from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from tests.factories import MembershipFactory, ResidentFactory, UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, OutsidePartyFactory, at

pytestmark = pytest.mark.django_db

MODELS = [Meeting, Attendee, OutsideParty, AgendaItem, Decision, Action]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def refused(call, field=None):
    """The messages of the ValidationError `call()` raises (of `field` when given), after
    checking that it wrote nothing to any table of meetings."""
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert row_counts() == before
    if field:
        return error.value.message_dict[field]
    return error.value.messages


# Meetings


def test_new_meeting_is_saved_with_who_recorded_it(meeting_bodies, manager):
    meeting = services.meeting_save(
        meeting=Meeting(
            body=meeting_bodies.qingfeng_1, title="铸铁管改造", starts_at=at(2022, 11, 18, 15)
        ),
        created_by=manager,
    )
    assert Meeting.objects.get().created_by == manager
    meeting.place = "庆丰业委会办公室"
    services.meeting_save(meeting=meeting, created_by=None)
    meeting.refresh_from_db()
    assert (meeting.place, meeting.created_by) == ("庆丰业委会办公室", manager)


def test_meeting_ending_before_it_starts_is_refused_and_not_saved(meeting_bodies, manager):
    meeting = Meeting(
        body=meeting_bodies.qingfeng_1,
        title="铸铁管改造",
        starts_at=at(2022, 11, 18, 15),
        ends_at=at(2022, 11, 18, 14),
    )
    messages = refused(lambda: services.meeting_save(meeting=meeting, created_by=manager))
    assert messages == ["A meeting cannot end before it starts."]
    assert not Meeting.objects.exists()


# Attendees


def test_resident_of_the_community_is_added_as_an_attendee(meetings, register):
    neighbour = MembershipFactory(household__unit=register.unit_a1).resident
    attendee = services.attendee_add(meeting=meetings.bailajing, resident=neighbour)
    assert list(meetings.bailajing.attendees.all()) == [attendee]
    assert attendee.display_name == neighbour.name


def test_staff_member_is_added_as_an_attendee(meetings, staff_user):
    meetings.held.attendees.filter(user=staff_user).delete()
    services.attendee_add(meeting=meetings.held, user=staff_user)
    assert meetings.held.attendees.filter(user=staff_user).exists()


def test_resident_of_another_community_is_refused_as_unknown(meetings, register):
    messages = refused(
        lambda: services.attendee_add(meeting=meetings.held, resident=register.resident_b),
        field="resident",
    )
    assert messages == ["This resident is not on the register of the community."]


def test_resident_on_no_register_is_refused_as_unknown(meetings):
    stranger = ResidentFactory()
    refused(
        lambda: services.attendee_add(meeting=meetings.held, resident=stranger),
        field="resident",
    )


def test_attendee_already_on_the_list_is_refused(meetings, register, staff_user):
    for person in ({"resident": register.resident_a1}, {"user": staff_user}):
        messages = refused(lambda p=person: services.attendee_add(meeting=meetings.held, **p))
        assert messages == ["Already on the list of attendees."]


def test_attendee_must_be_one_resident_or_one_user(meetings, register, manager):
    for people in ({}, {"resident": register.resident_a1, "user": manager}):
        messages = refused(lambda p=people: services.attendee_add(meeting=meetings.bailajing, **p))
        assert messages == ["Choose one attendee: a resident or a staff member."]


def test_inactive_account_is_refused_as_an_attendee(meetings):
    gone = UserFactory(is_active=False)
    refused(lambda: services.attendee_add(meeting=meetings.held, user=gone), field="user")


# Outside parties, items and decisions


def test_outside_party_needs_an_organisation(meetings):
    refused(
        lambda: services.party_add(meeting=meetings.held, kind="contractor", organisation=""),
        field="organisation",
    )


def test_items_are_added_in_order_after_the_last_one(meetings):
    first = services.item_add(meeting=meetings.bailajing, title="墙面修复")
    second = services.item_add(meeting=meetings.bailajing, title="费用分摊", minutes="- 按户分摊")
    later = services.item_add(meeting=meetings.held, title="其他楼栋调查")
    assert (first.order, second.order, later.order) == (1, 2, 2)


def test_item_update_changes_its_title_and_minutes(meetings):
    services.item_update(item=meetings.pipes, title="铸铁管改造（续）", minutes="新的记录")
    meetings.pipes.refresh_from_db()
    assert (meetings.pipes.title, meetings.pipes.minutes) == ("铸铁管改造（续）", "新的记录")


def test_decision_is_recorded_with_or_without_an_item(meetings):
    on_item = services.decision_add(meeting=meetings.held, text="再议", item=meetings.pipes)
    alone = services.decision_add(meeting=meetings.held, text="下周继续")
    assert set(meetings.held.decisions.all()) == {meetings.agreement, on_item, alone}
    assert alone.item is None


def test_decision_on_an_item_of_another_meeting_is_refused(meetings):
    elsewhere = AgendaItemFactory(meeting=meetings.bailajing)
    messages = refused(
        lambda: services.decision_add(meeting=meetings.held, text="签订协议", item=elsewhere),
        field="item",
    )
    assert messages == ["Choose an item of this meeting."]


# Actions


def add_action(meeting, **kwargs):
    return services.action_add(meeting=meeting, description="修复墙面", **kwargs)


def test_action_due_on_the_day_of_the_meeting_is_accepted(meetings):
    action = add_action(
        meetings.held, due_on=datetime.date(2022, 11, 18), owner_party=meetings.contractor
    )
    assert action.status == Action.Status.OPEN


def test_action_due_before_the_meeting_is_refused(meetings):
    messages = refused(
        lambda: add_action(
            meetings.held, due_on=datetime.date(2022, 11, 17), owner_party=meetings.contractor
        ),
        field="due_on",
    )
    assert messages == ["An action cannot be due before the meeting."]


def test_meeting_day_is_the_day_in_guiyang_not_in_utc(meeting_bodies):
    # 00:30 on 18 November in Guiyang is still 17 November in UTC.
    early = MeetingFactory(body=meeting_bodies.qingfeng_1, starts_at=at(2022, 11, 18, 0, 30))
    party = OutsidePartyFactory(meeting=early)
    refused(lambda: add_action(early, due_on=datetime.date(2022, 11, 17), owner_party=party))
    assert add_action(early, due_on=datetime.date(2022, 11, 18), owner_party=party).pk


def test_action_owned_by_an_outside_party_of_another_meeting_is_refused(meetings):
    elsewhere = OutsidePartyFactory(meeting=meetings.bailajing)
    messages = refused(
        lambda: add_action(meetings.held, due_on=datetime.date(2022, 12, 1), owner_party=elsewhere),
        field="owner",
    )
    assert messages == ["Choose an outside party of this meeting."]


def test_action_on_an_item_of_another_meeting_is_refused(meetings):
    elsewhere = AgendaItemFactory(meeting=meetings.bailajing)
    refused(
        lambda: add_action(
            meetings.held,
            due_on=datetime.date(2022, 12, 1),
            owner_party=meetings.contractor,
            item=elsewhere,
        ),
        field="item",
    )


def test_action_owned_by_a_resident_of_another_community_is_refused(meetings, register):
    refused(
        lambda: add_action(
            meetings.held, due_on=datetime.date(2022, 12, 1), owner_resident=register.resident_b
        ),
        field="resident",
    )


def test_action_without_an_owner_is_refused(meetings):
    messages = refused(lambda: add_action(meetings.held, due_on=datetime.date(2022, 12, 1)))
    assert messages == ["An action needs an owner."]


def test_action_on_an_item_with_each_kind_of_owner_is_recorded(meetings, register, manager):
    due = datetime.date(2022, 12, 1)
    add_action(meetings.held, due_on=due, owner_user=manager, item=meetings.pipes)
    add_action(meetings.held, due_on=due, owner_resident=register.resident_a2)
    add_action(meetings.held, due_on=due, owner_party=meetings.contractor)
    assert meetings.held.actions.count() == 4
    assert meetings.pipes.actions.count() == 2


def test_action_marked_done_records_the_day(meetings):
    services.action_set_status(action=meetings.repair, status=Action.Status.DONE)
    meetings.repair.refresh_from_db()
    assert meetings.repair.status == Action.Status.DONE
    assert meetings.repair.done_on == timezone.localdate()


@pytest.mark.parametrize("status", [Action.Status.OPEN, Action.Status.DROPPED])
def test_action_reopened_or_dropped_has_no_done_date(meetings, status):
    services.action_set_status(action=meetings.repair, status=Action.Status.DONE)
    services.action_set_status(action=meetings.repair, status=status)
    meetings.repair.refresh_from_db()
    assert (meetings.repair.status, meetings.repair.done_on) == (status, None)


def test_unknown_action_status_is_refused(meetings):
    refused(lambda: services.action_set_status(action=meetings.repair, status="lost"))
    meetings.repair.refresh_from_db()
    assert meetings.repair.status == Action.Status.OPEN
