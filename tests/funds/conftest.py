"""Funds on top of the register and bodies of tests/conftest.py.

- `fund`: the Bailajing owners' committee's fund (compound 百腊井小区, community A), kept
  by its chair `bodies.bailajing_user`; opened in 2013 with 100 yuan;
- `fund_b`: a fund of compound B (community B);
- uploads go to a temporary MEDIA_ROOT.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committees.models import Fund
from tests.notices.factories import pdf_bytes

PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fund(bodies):
    return Fund.objects.create(
        compound=bodies.bailajing_compound,
        name="百腊井小区业委会工作经费",
        opening_balance=Decimal("100.00"),
        opened_on=datetime.date(2013, 6, 28),
    )


@pytest.fixture
def fund_b(register):
    return Fund.objects.create(compound=register.compound_b, name="黔灵小区维修金")


def receipt(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
