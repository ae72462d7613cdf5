import datetime

import factory
from django.utils import timezone

from committees.models import AllianceMember, RequestCategory, ResidentRequest
from tests.factories import CommunityFactory, CompoundFactory


class RequestCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"类别{n}")
    response_hours = 24
    resolution_days = 7


class AllianceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceMember

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"驻区单位{n}")
    kind = AllianceMember.Kind.STATIONED_UNIT
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Sequence(lambda n: f"0851-8{n:06d}")
    party_members = 3


class ResidentRequestFactory(factory.django.DjangoModelFactory):
    """A received request written directly (no timeline); steps go through the services."""

    class Meta:
        model = ResidentRequest

    compound = factory.SubFactory(CompoundFactory)
    community = factory.LazyAttribute(lambda o: o.compound.community)
    category = factory.SubFactory(RequestCategoryFactory)
    title = factory.Sequence(lambda n: f"问题{n}")
    description = "楼道灯不亮。"
    received_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
