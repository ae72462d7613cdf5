"""The demo's volunteers, funds and facilities carry the seed's figures, and loading them
twice changes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.models import Facility, Fund, FundEntry, ResidentRequest, Volunteer, VolunteerTeam
from jinzang.demo import bodies as committees_demo
from jinzang.demo import facilities as facility_demo
from jinzang.demo import funds as fund_demo
from jinzang.demo import register as residents_demo
from jinzang.demo import requests as request_demo
from jinzang.demo import volunteers as volunteer_demo
from jinzang.demo.loaders import loaders_for
from jinzang.uploads import validate_image_or_pdf

pytestmark = pytest.mark.django_db


def load():
    created = {}
    for loader in loaders_for(
        residents_demo, committees_demo, request_demo, volunteer_demo, fund_demo, facility_demo
    ):
        created.update(loader())
    return created


def test_demo_has_the_seeds_figures_and_loads_once():
    first = load()
    assert first["volunteer_teams"] == 8 and first["funds"] == 3 and first["facilities"] == 5

    assert VolunteerTeam.objects.count() == 8
    party = Volunteer.objects.current().party_members()
    people = party.exclude(resident=None).values("resident").distinct().count()
    assert people + party.filter(resident=None).count() == 158
    assert not VolunteerTeam.objects.filter(activities=None).exists()

    grant = FundEntry.objects.get(category=FundEntry.Category.GRANT)
    assert (grant.amount, grant.date.year, grant.fund.compound.name) == (
        Decimal("30000.00"),
        2013,
        "百腊井小区",
    )
    assert all(f.balance > 0 for f in Fund.objects.with_balance())

    assert Facility.objects.filter(compound__name="庆丰小区").count() == 5
    broken = Facility.objects.get(condition=Facility.Condition.BROKEN)
    assert ResidentRequest.objects.open().filter(facility=broken).count() == 1

    counts = [
        m.objects.count() for m in (VolunteerTeam, Volunteer, FundEntry, Facility, ResidentRequest)
    ]
    assert not any(load().values())
    assert counts == [
        m.objects.count() for m in (VolunteerTeam, Volunteer, FundEntry, Facility, ResidentRequest)
    ]


def test_the_demos_receipts_are_whole_pdfs_as_uploads_must_be():
    receipt = fund_demo._receipt("更换楼道灯", Decimal("600.00"))

    validate_image_or_pdf(SimpleUploadedFile("receipt.pdf", receipt.read()))
