"""Factories for meetings, their attendees, outside parties, items, decisions and actions.

Generated subjects, places and minutes are numbered ("第3次工作例会", "议题3"), so a
search for the fixed texts in conftest.py (铸铁管, 业委会办公室, ...) never matches
a generated meeting.
"""

import datetime
import zoneinfo

import factory

from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting, OutsideParty
from tests.factories import BodyFactory, ResidentFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=9, minute=30) -> datetime.datetime:
    """An aware time in Guiyang (Asia/Shanghai)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A held work meeting, one a day from 3 January 2022."""

    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    kind = Meeting.Kind.WORK
    title = factory.Sequence(lambda n: f"第{n}次工作例会")
    starts_at = factory.Sequence(lambda n: at(2022, 1, 3) + datetime.timedelta(days=n % 300))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    place = factory.Sequence(lambda n: f"第{n}会议室")
    status = Meeting.Status.HELD
    created_by = None


class AttendeeFactory(factory.django.DjangoModelFactory):
    """A resident who attended; pass `user=...` and `resident=None` for a staff member."""

    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    resident = factory.SubFactory(ResidentFactory)
    user = None


class OutsidePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutsideParty

    meeting = factory.SubFactory(MeetingFactory)
    kind = OutsideParty.Kind.CONTRACTOR
    organisation = factory.Faker("company", locale="zh_CN")
    name = factory.Faker("name", locale="zh_CN")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n % 30 + 1)
    title = factory.Sequence(lambda n: f"议题{n}")
    minutes = factory.Sequence(lambda n: f"议题{n}的记录。")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    item = None
    text = factory.Sequence(lambda n: f"决定{n}")


class ActionFactory(factory.django.DjangoModelFactory):
    """An open action owned by an outside party of its meeting, due two weeks after it."""

    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    item = None
    description = factory.Sequence(lambda n: f"跟进事项{n}")
    owner_user = None
    owner_resident = None
    owner_party = factory.SubFactory(
        OutsidePartyFactory, meeting=factory.SelfAttribute("..meeting")
    )
    due_on = factory.LazyAttribute(
        lambda o: o.meeting.starts_at.astimezone(SHANGHAI).date() + datetime.timedelta(days=14)
    )
    status = Action.Status.OPEN
    done_on = None
