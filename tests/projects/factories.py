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
