"""Compounds' funds: the funds in the user's part with their balances, a fund's entries,
recording an entry with its receipt, the receipt itself, and the public page of a
compound's accounts (totals only: no names, no descriptions, no receipts)."""

from django.conf import settings
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView, View

from committees.funds import services
from committees.funds.forms import FundEntryForm
from committees.models import Fund, FundEntry
from jinzang.forms import SubmitOnceMixin
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from jinzang.views import ServiceFormView, YearMixin
from residents.models import Compound


class FundListView(RegisterAccessMixin, ListView):
    template_name = "funds/fund_list.html"
    context_object_name = "funds"

    def get_queryset(self):
        return (
            Fund.objects.visible_to(self.request.user)
            .with_balance()
            .select_related("compound", "courtyard")
            .order_by("compound__name", "courtyard__name", "name")
        )


class FundMixin(ManageMixin):
    """A fund of the user's part; its pages show it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        self.fund = get_object_or_404(
            Fund.objects.visible_to(self.request.user)
            .with_balance()
            .select_related("compound", "courtyard"),
            pk=self.kwargs["pk"],
        )

    def managed_object(self):
        return self.fund


class FundDetailView(FundMixin, ListView):
    """A fund: balance, totals by category, and its entries, newest first."""

    template_name = "funds/fund_detail.html"
    context_object_name = "entries"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return self.fund.entries.select_related("recorded_by").order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        labels = dict(FundEntry.Category.choices)
        categories = [
            {**row, "label": labels.get(row["category"], row["category"])}
            for row in self.fund.entries.order_by()
            .values("kind", "category")
            .annotate(total=services.cents(Sum("amount")), n=Count("pk"))
            .order_by("kind", "-total")
        ]
        return super().get_context_data(
            fund=self.fund,
            categories=categories,
            can_manage=self.can_manage,
            **kwargs,
        )


class FundEntryCreateView(SubmitOnceMixin, FundMixin, ServiceFormView):
    template_name = "funds/entry_form.html"
    form_class = FundEntryForm
    needs_manage = True

    def get_initial(self):
        return {"date": timezone.localdate(), "kind": FundEntry.Kind.EXPENSE}

    def perform(self, form):
        self.success_message = _("The entry is recorded.")
        return services.fund_entry_add(
            fund=self.fund, recorded_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result):
        return self.fund.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            fund=self.fund,
            title=_("Record an entry"),
            eyebrow=self.fund.name,
            cancel_url=self.fund.get_absolute_url(),
            income_categories=FundEntry.INCOME_CATEGORIES,
            **kwargs,
        )


class ReceiptView(FundMixin, View):
    """An entry's receipt: only for those who may see the fund."""

    def get(self, request, pk, entry_pk):
        entry = get_object_or_404(self.fund.entries, pk=entry_pk)
        if not entry.receipt:
            raise Http404
        return FileResponse(entry.receipt.open("rb"), as_attachment=not entry.receipt_is_image)


class PublicFundView(YearMixin, TemplateView):
    """A compound's accounts for anyone: totals by category and by month, the balance."""

    template_name = "funds/public.html"

    def get_year(self):
        # Every year unless one is asked for.
        return super().get_year() if self.request.GET.get("year") else None

    def get_context_data(self, **kwargs):
        compound = get_object_or_404(
            Compound.objects.select_related("community"), pk=self.kwargs["pk"]
        )
        funds = Fund.objects.filter(compound=compound)
        year = self.get_year()
        years = [
            d.year for d in FundEntry.objects.filter(fund__in=funds).dates("date", "year", "DESC")
        ]
        return super().get_context_data(
            compound=compound,
            year=year,
            years=years,
            totals=services.public_totals(funds, year),
            **kwargs,
        )
