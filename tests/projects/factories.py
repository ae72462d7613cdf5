"""Factories for renovation projects and their consent records.

Generated project names are numbered ("第3号改造项目"), so they never match the
fixed names of conftest.py (铸铁管改造, 使用维修资金, ...).
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from meetings.models import ConsentRecord, Project
from residents.owners.owners_vote import Matter
from tests.factories import BodyFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A co-funding campaign collecting consent; `decision=True` for an owners' decision on
    using the maintenance fund; `units=[...]` for the units it covers."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    class Params:
        decision = factory.Trait(
            consent_kind=Project.ConsentKind.OWNERS_DECISION, matter=Matter.USE_FUND
        )

    name = factory.Sequence(lambda n: f"第{n}号改造项目")
    description = ""
    body = factory.SubFactory(BodyFactory)
    consent_kind = Project.ConsentKind.COFUNDING
    matter = ""
    threshold = Decimal(1)
    status = Project.Status.COLLECTING
    starts_on = datetime.date(2022, 11, 1)
    ends_on = None
    contractor = "贵州安居建筑公司"

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    """An answer written directly, without the service's checks (for growing a project)."""

    class Meta:
        model = ConsentRecord

    project = factory.SubFactory(ProjectFactory)
    household = None
    answer = ConsentRecord.Answer.AGREE
    contribution = None
    conditions = ""
    channel = ConsentRecord.Channel.VISIT
    recorded_by = None
    recorded_at = factory.LazyFunction(timezone.now)


def announced(project: Project, *, days_ago: int = 16, closes_in: int = 7) -> Project:
    """`project`, an owners' decision, announced `days_ago` days ago (by its sponsor's
    first manager or nobody) with voting from the end of the notice period until
    `closes_in` days from now: ready to open."""
    from meetings.projects import consent

    now = timezone.now()
    past = now - datetime.timedelta(days=days_ago)
    project.text = project.text or "更换二次供水水泵，费用从专项维修资金列支。"
    project.ballot = project.ballot or "是否同意使用专项维修资金更换水泵？"
    project.opens_at = past + datetime.timedelta(days=15)
    project.closes_at = now + datetime.timedelta(days=closes_in)
    project.save(update_fields=["text", "ballot", "opens_at", "closes_at"])
    return consent.decision_announce(project=project, by=None, now=past)


def open_vote(project: Project, **kwargs) -> Project:
    """`project`, an owners' decision, announced (`announced`) and its vote opened now."""
    from meetings.projects import consent

    return consent.vote_open(project=announced(project, **kwargs))
