"""Every funds page runs a fixed number of queries, however many entries it shows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from committees.models import Fund, FundEntry

pytestmark = pytest.mark.django_db


def grow(fund, n):
    """`n` more funds in the compound and 2n entries a month apart in each."""
    funds = [fund] + [
        Fund.objects.create(compound=fund.compound, name=f"基金{Fund.objects.count()}")
        for _ in range(n)
    ]
    for f in funds:
        for i in range(n):
            day = datetime.date(2020 + i % 3, 1 + i % 12, 10)
            FundEntry.objects.create(
                fund=f, kind="income", category="fees", amount=Decimal("10.10"), date=day
            )
            FundEntry.objects.create(
                fund=f,
                kind="expense",
                category="repairs",
                amount=Decimal("3.30"),
                date=day,
                recorded_by=None,
                receipt="funds/x.pdf",
            )


@pytest.fixture
def measure(django_assert_num_queries, fund):
    def measure(client, url, n):
        for more in (2, 5):
            grow(fund, more)
            with django_assert_num_queries(n):
                response = client.get(url)
            assert response.status_code == 200
        return response

    return measure


def test_fund_list_queries(measure, staff_client):
    measure(staff_client, reverse("funds:list"), 4)


def test_fund_page_queries(measure, staff_client, fund):
    # session, user, grants, fund, count, entries, categories
    measure(staff_client, reverse("funds:detail", args=[fund.pk]), 7)


def test_public_page_queries(measure, client, fund):
    measure(client, reverse("funds:public", args=[fund.compound_id]), 7)
