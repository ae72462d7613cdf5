"""Writes on compounds' funds, and the public totals of a compound's funds."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Fund, FundEntry
from committees.models.funds import MONEY, ZERO
from jinzang.db import Quantized

# Expenses from this amount up are recorded with their receipt (see README).
RECEIPT_REQUIRED_FROM = Decimal("500.00")


@transaction.atomic
def fund_entry_add(
    *,
    fund: Fund,
    kind: str,
    category: str,
    amount: Decimal,
    date: datetime.date,
    description: str,
    recorded_by=None,
    receipt=None,
) -> FundEntry:
    """Record money in or out of a fund; an expense of 500 yuan or more needs its receipt.

    Nothing is written when anything is refused (the receipt file included)."""
    if not isinstance(amount, Decimal):
        raise ValidationError({"amount": _("Enter the amount as a number of yuan.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("An entry cannot lie in the future.")})
    if fund.opened_on and date < fund.opened_on:
        raise ValidationError({"date": _("The fund was opened later than this date.")})
    if kind == FundEntry.Kind.EXPENSE and amount >= RECEIPT_REQUIRED_FROM and not receipt:
        raise ValidationError(
            {
                "receipt": _("Attach the receipt: expenses of %(amount)s yuan or more need one.")
                % {"amount": RECEIPT_REQUIRED_FROM}
            }
        )
    # Locking the fund makes concurrent entries queue, so a balance read in the same
    # transaction is the balance.
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    entry = FundEntry(
        fund=fund,
        kind=kind,
        category=category,
        amount=amount,
        date=date,
        description=(description or "").strip(),
        recorded_by=recorded_by,
        receipt=receipt or "",
    )
    entry.full_clean()
    entry.save()
    return entry


def cents(total):
    """A sum of money, 0 when there is nothing to add, to the fen."""
    return Quantized(Coalesce(total, ZERO, output_field=MONEY))


def public_totals(funds, year: int | None = None) -> dict:
    """What the notice board shows of some funds: totals by category and by month (of
    `year`, or of all years), income, expense and balance. No names, no descriptions."""
    entries = FundEntry.objects.filter(fund__in=funds).order_by()
    if year is not None:
        entries = entries.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    by_category = list(
        entries.values("kind", "category")
        .annotate(total=cents(Sum("amount")), n=Count("pk"))
        .order_by("kind", "category")
    )
    by_month = list(
        entries.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            income=cents(Sum("amount", filter=Q(kind="income"))),
            expense=cents(Sum("amount", filter=Q(kind="expense"))),
        )
        .order_by("-month")
    )
    labels = dict(FundEntry.Category.choices)
    for row in by_category:
        row["label"] = labels.get(row["category"], row["category"])
    everything = FundEntry.objects.filter(fund__in=funds).aggregate(
        income=cents(Sum("amount", filter=Q(kind="income"))),
        expense=cents(Sum("amount", filter=Q(kind="expense"))),
    )
    everything["opening"] = Fund.objects.filter(pk__in=funds.values("pk")).aggregate(
        opening=cents(Sum("opening_balance"))
    )["opening"]
    overall = {
        **everything,
        "balance": everything["opening"] + everything["income"] - everything["expense"],
    }
    period = entries.aggregate(
        income=cents(Sum("amount", filter=Q(kind="income"))),
        expense=cents(Sum("amount", filter=Q(kind="expense"))),
    )
    return {
        "income": [r for r in by_category if r["kind"] == FundEntry.Kind.INCOME],
        "expense": [r for r in by_category if r["kind"] == FundEntry.Kind.EXPENSE],
        "by_month": by_month,
        "period": period,
        "overall": overall,
    }
