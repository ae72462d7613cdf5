"""A compound's funds (小区资金): income (the sub-district's start-up grant, residents'
fees, donations), expenses with their receipts, and the balance, which is always the
opening balance plus income minus expenses, computed in the database.

Entries are not edited on the site; a mistake is put right with a new entry, and every
change made in the admin is kept (django-simple-history).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models.bodies import manages_place
from jinzang.db import Quantized
from jinzang.uploads import extension_validator, validate_image_or_pdf
from residents.access import Access
from residents.models import Compound, Courtyard, PlacedInCompound

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def money_sum(entries, kind):
    """A subquery: the sum of a fund's entries of one kind, 0 when it has none."""
    total = (
        entries.filter(fund=OuterRef("pk"), kind=kind)
        .order_by()
        .values("fund")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Quantized(Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY))


def signed_sum(entries):
    """A subquery: a fund's income minus its expenses, 0 when it has no entries. One pass
    over the fund's entries: built from `income` and `expense`, the balance would repeat
    both subqueries in the SQL (the database does not share them)."""
    total = (
        entries.filter(fund=OuterRef("pk"))
        .order_by()
        .values("fund")
        .annotate(
            total=Sum(
                Case(
                    When(kind=FundEntry.Kind.EXPENSE, then=-F("amount")),
                    default=F("amount"),
                    output_field=MONEY,
                )
            )
        )
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


class FundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Funds of the compounds and courtyards the user may see, as for buildings."""
        return self.filter(Access.of(user).building_q())

    def with_balance(self):
        """`income`, `expense` and `balance` (opening + income - expense), in the database."""
        entries = FundEntry.objects.all()
        return self.annotate(
            income=money_sum(entries, FundEntry.Kind.INCOME),
            expense=money_sum(entries, FundEntry.Kind.EXPENSE),
            balance=Quantized(
                models.ExpressionWrapper(
                    F("opening_balance") + signed_sum(entries), output_field=MONEY
                )
            ),
        )


class Fund(PlacedInCompound):
    """A compound's (or courtyard's) fund, kept by the committee that serves it."""

    courtyard_outside_compound = _("The courtyard must belong to the fund's compound.")

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="funds", verbose_name=_("compound")
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        related_name="funds",
        null=True,
        blank=True,
        verbose_name=_("courtyard"),
        help_text=_("Set when the fund belongs to one courtyard of the compound."),
    )
    name = models.CharField(_("name"), max_length=100)
    opening_balance = models.DecimalField(
        _("opening balance"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("The money the fund held before its first entry here, in yuan."),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = FundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["compound_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "name"],
                name="fund_unique_name",
                violation_error_message=_("This compound already has a fund of this name."),
            ),
            models.CheckConstraint(
                condition=Q(opening_balance__gte=0),
                name="fund_opening_not_negative",
                violation_error_message=_("The opening balance cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funds:detail", args=[self.pk])

    @property
    def place(self):
        return self.courtyard or self.compound

    def can_manage(self, user) -> bool:
        """Staff of the community, and members of the committee serving the fund's place."""
        return manages_place(
            user,
            community_id=self.compound.community_id,
            compound_id=self.compound_id,
            courtyard_id=self.courtyard_id,
        )


INCOME_CATEGORIES = ("grant", "fees", "donation", "other_income")
EXPENSE_CATEGORIES = ("repairs", "cleaning", "greening", "activities", "office", "other_expense")


def receipt_path(entry, filename):
    return f"funds/{entry.fund_id}/{filename}"


class FundEntry(models.Model):
    """Money in or out of a fund, on a date, in a category; an expense keeps its receipt."""

    class Kind(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Category(models.TextChoices):
        GRANT = "grant", _("Grant")
        FEES = "fees", _("Residents' fees")
        DONATION = "donation", _("Donation")
        OTHER_INCOME = "other_income", _("Other income")
        REPAIRS = "repairs", _("Repairs")
        CLEANING = "cleaning", _("Cleaning")
        GREENING = "greening", _("Greening")
        ACTIVITIES = "activities", _("Activities")
        OFFICE = "office", _("Office")
        OTHER_EXPENSE = "other_expense", _("Other expense")

    INCOME_CATEGORIES = INCOME_CATEGORIES
    EXPENSE_CATEGORIES = EXPENSE_CATEGORIES

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    category = models.CharField(_("category"), max_length=15, choices=Category)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, help_text=_("More than 0.")
    )
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("Staff see it; the public page shows totals only."),
    )
    receipt = models.FileField(
        _("receipt"),
        upload_to=receipt_path,
        blank=True,
        validators=[extension_validator, validate_image_or_pdf],
        help_text=_("A photo (JPEG, PNG, GIF, WebP) or a PDF, at most 5 MB."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="fund_entries",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["fund", "kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fundentry_amount_positive",
                violation_error_message=_("The amount must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(kind="income", category__in=INCOME_CATEGORIES)
                | Q(kind="expense", category__in=EXPENSE_CATEGORIES),
                name="fundentry_category_matches_kind",
                violation_error_message=_("The category does not fit income or expense."),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_category_display()} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == self.Kind.INCOME else -self.amount

    @property
    def receipt_is_image(self) -> bool:
        return bool(self.receipt) and not self.receipt.name.lower().endswith(".pdf")
