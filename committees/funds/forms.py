from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.funds.services import RECEIPT_REQUIRED_FROM
from committees.models import FundEntry
from jinzang.forms import DateField, DateInput


class FundEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=FundEntry.Kind.choices)
    category = forms.ChoiceField(label=_("category"), choices=FundEntry.Category.choices)
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    date = DateField(label=_("date"), widget=DateInput())
    description = forms.CharField(
        label=_("description"),
        max_length=300,
        help_text=FundEntry._meta.get_field("description").help_text,
    )
    receipt = forms.FileField(label=_("receipt"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the page's language: a lazy text formatted in the class body
        # would be fixed in the language active when the module was imported.
        self.fields["receipt"].help_text = _(
            "A photo or a PDF, at most 5 MB. Needed for expenses of %(amount)s yuan or more."
        ) % {"amount": RECEIPT_REQUIRED_FROM}

    def clean(self):
        data = super().clean()
        kind, category = data.get("kind"), data.get("category")
        allowed = (
            FundEntry.INCOME_CATEGORIES
            if kind == FundEntry.Kind.INCOME
            else FundEntry.EXPENSE_CATEGORIES
        )
        if kind and category and category not in allowed:
            self.add_error(
                "category",
                _("“%(category)s” is not a category of %(kind)s.")
                % {
                    "category": FundEntry.Category(category).label,
                    "kind": FundEntry.Kind(kind).label.lower(),
                },
            )
        return data
