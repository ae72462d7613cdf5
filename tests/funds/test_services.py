import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committees.funds import services
from committees.models import Fund, FundEntry
from jinzang.templatetags.jinzang import money
from tests.funds.conftest import receipt

pytestmark = pytest.mark.django_db

D = Decimal
K, C = FundEntry.Kind, FundEntry.Category
DAY = datetime.date(2020, 5, 1)


def add(fund, kind=K.INCOME, category=C.FEES, amount="10.00", **kwargs):
    return services.fund_entry_add(
        fund=fund,
        kind=kind,
        category=category,
        amount=D(amount),
        date=kwargs.pop("date", DAY),
        description=kwargs.pop("description", "住户公共服务费"),
        **kwargs,
    )


def test_database_refuses_an_amount_not_above_zero(fund):
    for amount in ("0", "-5"):
        with pytest.raises(IntegrityError), transaction.atomic():
            FundEntry.objects.create(
                fund=fund, kind=K.INCOME, category=C.FEES, amount=D(amount), date=DAY
            )


def test_database_refuses_a_category_of_the_other_kind(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundEntry.objects.create(
            fund=fund, kind=K.INCOME, category=C.REPAIRS, amount=D("5"), date=DAY
        )


def test_balance_is_opening_plus_income_minus_expenses_in_decimal(fund):
    add(fund, amount="30000.00", category=C.GRANT)
    add(fund, kind=K.EXPENSE, category=C.OFFICE, amount="0.10")
    add(fund, kind=K.EXPENSE, category=C.OFFICE, amount="0.20")
    row = Fund.objects.with_balance().get(pk=fund.pk)
    assert (row.income, row.expense, row.balance) == (D("30000.00"), D("0.30"), D("30099.70"))
    assert all(isinstance(v, Decimal) for v in (row.income, row.expense, row.balance))
    assert str(row.balance) == "30099.70"


def test_a_fund_without_entries_has_its_opening_balance(fund):
    assert Fund.objects.with_balance().get(pk=fund.pk).balance == D("100.00")


def test_balance_reconciles_with_its_entries_after_many_random_ones(fund, staff_client):
    rng = random.Random("reconcile")
    income, expense = D("0"), D("0")
    for _ in range(300):
        amount = D(rng.randint(1, 99_999_99)).scaleb(-2)
        if rng.random() < 0.5:
            FundEntry.objects.create(
                fund=fund, kind=K.INCOME, category=C.FEES, amount=amount, date=DAY
            )
            income += amount
        else:
            FundEntry.objects.create(
                fund=fund, kind=K.EXPENSE, category=C.REPAIRS, amount=amount, date=DAY
            )
            expense += amount
    expected = fund.opening_balance + income - expense

    row = Fund.objects.with_balance().get(pk=fund.pk)
    assert (row.income, row.expense, row.balance) == (income, expense, expected)
    assert str(row.balance) == str(expected.quantize(D("0.01")))

    page = staff_client.get(reverse("funds:detail", args=[fund.pk]))
    assert page.context["fund"].balance == expected
    assert money(expected) in page.text
    public = staff_client.get(reverse("funds:public", args=[fund.compound_id]))
    assert public.context["totals"]["overall"]["balance"] == expected
    assert money(expected) in public.text


def test_an_expense_from_500_yuan_needs_its_receipt(fund):
    with pytest.raises(ValidationError) as refused:
        add(fund, kind=K.EXPENSE, category=C.REPAIRS, amount="500.00")
    assert "receipt" in refused.value.message_dict
    add(fund, kind=K.EXPENSE, category=C.REPAIRS, amount="499.99")
    entry = add(fund, kind=K.EXPENSE, category=C.REPAIRS, amount="500.00", receipt=receipt())
    assert entry.receipt.name.startswith(f"funds/{fund.pk}/")
    assert FundEntry.objects.count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"date": datetime.date.today() + datetime.timedelta(days=3)},
        {"date": datetime.date(2012, 1, 1)},
        {"category": C.REPAIRS},
        {"receipt": receipt("receipt.pdf", b"not really a pdf")},
        {"receipt": receipt("receipt.exe", b"%PDF-1.4")},
    ],
    ids=["future", "before-opening", "category-of-expense", "fake-pdf", "bad-extension"],
)
def test_a_refused_entry_writes_nothing(fund, media_root, bad):
    with pytest.raises(ValidationError):
        add(fund, **bad)
    assert not FundEntry.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_each_change_to_an_entry_is_kept_with_who_made_it(fund, staff_user):
    entry = add(fund, recorded_by=staff_user)
    entry.amount = D("12.00")
    entry.save()
    assert [h.amount for h in entry.history.order_by("history_date")] == [D("10.00"), D("12.00")]


def test_public_totals_add_up_by_category_and_month(fund):
    add(fund, amount="30000.00", category=C.GRANT, date=datetime.date(2013, 7, 5))
    add(fund, amount="10.50", date=datetime.date(2013, 7, 20))
    add(
        fund,
        kind=K.EXPENSE,
        category=C.OFFICE,
        amount="2860.00",
        date=datetime.date(2013, 8, 2),
        receipt=receipt(),
    )
    totals = services.public_totals(Fund.objects.filter(pk=fund.pk), 2013)
    assert [(r["category"], r["total"]) for r in totals["income"]] == [
        ("fees", D("10.50")),
        ("grant", D("30000.00")),
    ]
    assert [(m["month"].month, m["income"], m["expense"]) for m in totals["by_month"]] == [
        (8, D("0.00"), D("2860.00")),
        (7, D("30010.50"), D("0.00")),
    ]
    assert totals["overall"]["balance"] == D("27250.50")
    assert services.public_totals(Fund.objects.filter(pk=fund.pk), 2014)["period"] == {
        "income": D("0.00"),
        "expense": D("0.00"),
    }


def test_entries_today_are_accepted(fund):
    assert add(fund, date=timezone.localdate()).pk
