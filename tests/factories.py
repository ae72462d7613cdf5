"""Factories for the register and the three bodies, with Chinese data (Faker zh_CN).

Generated values stay out of the way of the fixed data in conftest.py:
generated phone numbers end in 00 and generated door numbers have four
digits, so a search for a fixed resident's phone tail or door number never
matches a generated one.
"""

import datetime
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from committees.models import Ballot, Body, Candidate, Election, Member, Term
from residents.models import (
    AccessGrant,
    Building,
    Community,
    Compound,
    Courtyard,
    Household,
    Membership,
    OwnerRoll,
    OwnerRollEntry,
    Resident,
    ResidentAccount,
    Unit,
)
from residents.validators import id_check_char

# Yunyan District, Guiyang: the region code the demo's ID numbers start with.
REGION = "520103"
PASSWORD = "jinzang-test"


def id_number(birth_year: int, n: int, region: str = REGION) -> str:
    """A valid 18-character ID number for someone born in `birth_year`, unique per `n`."""
    month = 1 + (n // 28) % 12
    day = 1 + n % 28
    first17 = f"{region}{birth_year:04d}{month:02d}{day:02d}{(n // 336) % 1000:03d}"
    return first17 + id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="zh_CN")
    last_name = factory.Faker("last_name", locale="zh_CN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    # Cheap to hash: the tests switch to the MD5 hasher (conftest.py).
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"{n}号社区")
    district = "云岩区"
    sub_district = "盐务街街道"


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound
        django_get_or_create = ("community", "name")

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n}号小区")
    built = "1990s"
    notes = factory.Faker("sentence", locale="zh_CN")


class CourtyardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Courtyard
        django_get_or_create = ("compound", "name")

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}号院")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("compound", "number")

    compound = factory.SubFactory(CompoundFactory)
    courtyard = None
    number = factory.Sequence(lambda n: str(1000 + n))
    floors = 6


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("building", "number")

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: str(1000 + n))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household
        django_get_or_create = ("unit", "door_number")

    unit = factory.SubFactory(UnitFactory)
    door_number = factory.Sequence(lambda n: str(1001 + n))
    area = factory.Sequence(lambda n: Decimal("50.00") + n % 70)
    occupancy = Household.Occupancy.OWNER_OCCUPIED
    notes = ""


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    name = factory.Faker("name", locale="zh_CN")
    gender = factory.Iterator([Resident.Gender.FEMALE, Resident.Gender.MALE])
    birth_year = factory.Faker("random_int", min=1935, max=2005)
    phone = factory.Sequence(lambda n: f"135{n % 10**6:06d}00")
    id_number = factory.LazyAttributeSequence(lambda o, n: id_number(o.birth_year, n))
    is_party_member = False
    is_volunteer = False
    care_notes = ""


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("resident", "household")

    resident = factory.SubFactory(ResidentFactory)
    household = factory.SubFactory(HouseholdFactory)
    relation = Membership.Relation.OWNER


class AccessGrantFactory(factory.django.DjangoModelFactory):
    """A committee member's grant on a compound; `staff=True` for a community-wide grant."""

    class Meta:
        model = AccessGrant

    class Params:
        staff = factory.Trait(
            role=AccessGrant.Role.NEIGHBOURHOOD_STAFF,
            compound=None,
            courtyard=None,
            community=factory.SubFactory(CommunityFactory),
            reason="居委会工作人员",
        )

    user = factory.SubFactory(UserFactory)
    role = AccessGrant.Role.COMMITTEE_MEMBER
    compound = factory.SubFactory(CompoundFactory)
    courtyard = None
    community = factory.LazyAttribute(lambda o: o.compound.community)
    reason = factory.LazyAttribute(lambda o: f"{o.compound.name}业主委员会委员")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = None


class ResidentAccountFactory(factory.django.DjangoModelFactory):
    """A resident's own account (the residents' door), as binding a letter makes it."""

    class Meta:
        model = ResidentAccount

    user = factory.SubFactory(UserFactory)
    resident = factory.SubFactory(ResidentFactory)


# The three bodies. These write rows directly: seats made here give no access.
# Tests that need the access a seat carries go through committees.bodies.services.

BODY_SUFFIX = {
    Body.Kind.NEIGHBOURHOOD: "居民委员会",
    Body.Kind.OWNERS: "业主委员会",
    Body.Kind.SELF_MANAGEMENT: "自管会",
}


class BodyFactory(factory.django.DjangoModelFactory):
    """An owners' committee of a compound; `neighbourhood=True` or `self_management=True`
    for the other two kinds."""

    class Meta:
        model = Body

    class Params:
        neighbourhood = factory.Trait(
            kind=Body.Kind.NEIGHBOURHOOD,
            compound=None,
            courtyard=None,
            community=factory.SubFactory(CommunityFactory),
        )
        self_management = factory.Trait(kind=Body.Kind.SELF_MANAGEMENT)

    kind = Body.Kind.OWNERS
    compound = factory.SubFactory(CompoundFactory)
    courtyard = None
    community = factory.LazyAttribute(lambda o: o.compound.community)
    name = factory.LazyAttribute(
        lambda o: f"{(o.courtyard or o.compound or o.community).name}{BODY_SUFFIX[o.kind]}"
    )
    founded_on = datetime.date(2013, 6, 28)
    dissolved_on = None
    notes = ""


class TermFactory(factory.django.DjangoModelFactory):
    """A running term; the next number of its body unless given."""

    class Meta:
        model = Term

    body = factory.SubFactory(BodyFactory)
    number = factory.LazyAttribute(lambda o: o.body.terms.count() + 1)
    starts_on = datetime.date(2017, 7, 1)
    ends_on = None
    formed_by = Term.FormedBy.ELECTION
    notes = ""


class MemberFactory(factory.django.DjangoModelFactory):
    """A resident's seat, from the start of the term."""

    class Meta:
        model = Member

    term = factory.SubFactory(TermFactory)
    resident = factory.SubFactory(ResidentFactory)
    user = None
    name = ""
    is_party_member = False
    role = Member.Role.MEMBER
    starts_on = factory.LazyAttribute(lambda o: o.term.starts_on)
    ends_on = None


class OwnerRollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnerRoll

    description = factory.Sequence(lambda n: f"业主名册 {n}")


class OwnerRollEntryFactory(factory.django.DjangoModelFactory):
    """A household on a roll, as its own owner with its area now."""

    class Meta:
        model = OwnerRollEntry

    roll = factory.SubFactory(OwnerRollFactory)
    household = factory.SubFactory(HouseholdFactory)
    owner_key = factory.LazyAttribute(lambda o: f"o{o.household.pk}")
    area = factory.LazyAttribute(lambda o: o.household.area)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    term = factory.SubFactory(TermFactory)
    seats = 7
    held_on = factory.LazyAttribute(lambda o: o.term.starts_on)
    status = Election.Status.OPEN
    roll = factory.SubFactory(OwnerRollFactory)
    vote_opened_at = factory.LazyFunction(timezone.now)  # its vote open, with no end set


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    election = factory.SubFactory(ElectionFactory)
    resident = factory.SubFactory(ResidentFactory)


class BallotFactory(factory.django.DjangoModelFactory):
    """A ballot as a household's own owner; `choices=[...]` names candidates."""

    class Meta:
        model = Ballot
        skip_postgeneration_save = True

    election = factory.SubFactory(ElectionFactory)
    household = factory.SubFactory(HouseholdFactory)
    voter = factory.SubFactory(ResidentFactory)
    owner_key = factory.LazyAttribute(lambda o: f"o{o.household.pk}")
    recorded_by = None
    recorded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if create and extracted:
            self.choices.set(extracted)


def stored(obj):
    """The row as the database holds it now (a fresh copy: `obj` itself is left as it was)."""
    return type(obj)._default_manager.get(pk=obj.pk)
