"""`manage.py seed_large`: the benchmark's generated sub-district, at a small size."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from committees.models import (
    Body,
    Fund,
    Member,
    Notice,
    ResidentRequest,
    ServiceActivity,
    ServiceHours,
    VolunteerTeam,
)
from meetings.models import ConsentRecord, Meeting, Project, Purpose, Visit
from residents.models import CareRecord, Community, Compound, Household, Membership, Resident
from residents.validators import validate_id_number, validate_mobile

pytestmark = pytest.mark.django_db(transaction=False)

SMALL = {
    "households": 400,
    "residents": 1000,
    "years": 1,
    "projects": 8,
    "large_project": 150,
    "communities": 3,
    "seed": 9,
}


def seed(**options):
    call_command("seed_large", **{**SMALL, **options}, verbosity=0)


def test_seed_large_makes_the_households_and_residents_asked_for():
    seed()
    assert Household.objects.count() == 400
    assert Resident.objects.count() == 1000
    # As many communities as asked for, while each still gets a compound.
    assert 1 < Community.objects.count() <= 3
    assert not Community.objects.filter(compounds__isnull=True).exists()
    # Every resident belongs to a household; new rows get fresh keys after the bulk load.
    assert not Resident.objects.filter(memberships__isnull=True).exists()
    assert Resident.objects.create(name="新居民").pk == 1001


def test_seed_large_phones_and_id_numbers_pass_the_register_validators():
    seed()
    residents = Resident.objects.all()
    for phone in residents.exclude(phone="").values_list("phone", flat=True):
        validate_mobile(phone)
    id_numbers = list(residents.exclude(id_number="").values_list("id_number", flat=True))
    for value in id_numbers:
        validate_id_number(value)
    assert len(id_numbers) > 800 and len(set(id_numbers)) == len(id_numbers)


def test_seed_large_gives_the_largest_project_the_households_asked_for():
    seed()
    largest = Project.objects.annotate(n=Count("units__households")).order_by("-n").first()
    assert largest.n == 150
    assert Project.objects.count() == 8
    assert ConsentRecord.objects.filter(project=largest).count() > 50
    assert Body.objects.filter(kind=Body.Kind.NEIGHBOURHOOD).count() == Community.objects.count()
    assert Member.objects.exists() and Notice.objects.exists()
    assert Meeting.objects.filter(status=Meeting.Status.HELD).exists()
    assert Membership.objects.filter(relation=Membership.Relation.OWNER).count() >= 390


@pytest.mark.django_db(transaction=True)  # flushed in between: no open transaction
def test_seed_large_is_the_same_from_the_same_seed():
    seed()
    first = list(Resident.objects.order_by("pk").values_list("name", "phone", "id_number"))
    call_command("flush", interactive=False, verbosity=0)
    seed()
    again = list(Resident.objects.order_by("pk").values_list("name", "phone", "id_number"))
    assert first == again


def test_seed_large_refuses_a_database_that_holds_a_register():
    seed()
    with pytest.raises(CommandError, match="empty database"):
        seed()
    assert Household.objects.count() == 400


def test_seed_large_gives_the_dashboard_its_figures():
    seed()
    compounds = Compound.objects.count()
    assert ResidentRequest.objects.count() == 24 * compounds
    assert Visit.objects.filter(purpose=Purpose.CARE).count() == 4 * CareRecord.objects.count()
    assert Visit.objects.exclude(purpose=Purpose.CARE).count() == 300  # 3 in 4 households
    assert VolunteerTeam.objects.count() == 8 * Community.objects.count()
    assert ServiceHours.objects.count() == 5 * ServiceActivity.objects.count()
    assert Fund.objects.count() == compounds
    for fund in Fund.objects.with_balance():
        entries = fund.entries.all()
        income = sum(e.amount for e in entries if e.kind == "income")
        expense = sum(e.amount for e in entries if e.kind == "expense")
        assert fund.balance == fund.opening_balance + income - expense
