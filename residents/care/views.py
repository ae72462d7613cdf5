"""The care pages (/visits/care/): residents in difficulty, for neighbourhood-committee
staff only. They sit under /visits/ beside the visits that carry the care out."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from jinzang.forms import SubmitOnceMixin, form_errors_from
from jinzang.params import int_param
from jinzang.permissions import RegisterAccessMixin
from residents.care.forms import CareFilter, CareRecordForm
from residents.care.selectors import care_visits
from residents.care.services import care_record_save
from residents.models import CareRecord, Household, Membership, Resident


def _records(user):
    return (
        CareRecord.objects.visible_to(user)
        .select_related("resident", "responsible", "household__unit__building__compound")
        .with_last_care_visit()
    )


class CareListView(RegisterAccessMixin, ListView):
    """Residents in difficulty: neighbourhood-committee staff only."""

    needs_personal_data = True
    template_name = "visits/care_list.html"
    context_object_name = "records"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        records = _records(self.request.user)
        self.due_only = self.request.GET.get("due") == "1"
        if self.due_only:
            records = records.due()
        elif self.request.GET.get("ended") != "1":
            records = records.active()
        self.filterset = CareFilter(self.request.GET, queryset=records)
        if not self.filterset.is_valid():
            return records.none()
        return self.filterset.qs.order_by("due_on", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, due_only=self.due_only, today=timezone.localdate(), **kwargs
        )


class CareDetailView(RegisterAccessMixin, DetailView):
    needs_personal_data = True
    template_name = "visits/care_detail.html"
    context_object_name = "record"

    def get_queryset(self):
        return _records(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            visits=care_visits(self.object.household)[:50],
            today=timezone.localdate(),
            history=self.object.history.select_related("history_user")[:20],
            **kwargs,
        )


class CareFormView(SubmitOnceMixin, RegisterAccessMixin, FormView):
    """Open a care record for a resident (?resident=), or change one."""

    needs_personal_data = True
    template_name = "visits/care_form.html"
    form_class = CareRecordForm

    def fetch_objects(self):
        user = self.request.user
        self.record = None
        if "pk" in self.kwargs:
            self.record = get_object_or_404(
                CareRecord.objects.visible_to(user).select_related("resident"), pk=self.kwargs["pk"]
            )
            self.resident = self.record.resident
        else:
            pk = int_param(self.request.GET, "resident")
            if pk is None:
                raise Http404("no resident")
            self.resident = get_object_or_404(Resident.objects.visible_to(user), pk=pk)
        self.households = (
            Household.objects.filter(
                pk__in=Membership.objects.filter(resident=self.resident).values("household"),
            )
            .filter(pk__in=self.access.personal_households() or Household.objects.none())
            .with_place()
        )
        if not self.households.exists():
            raise PermissionDenied("no household of the resident in the user's community")

    def get_form_kwargs(self):
        first = self.households.first()
        return {
            **super().get_form_kwargs(),
            "instance": self.record,
            "households": self.households,
            "community_id": first.unit.building.compound.community_id,
        }

    def form_valid(self, form):
        record = form.save(commit=False)
        record.resident = self.resident
        record.community_id = record.household.unit.building.compound.community_id
        try:
            record = care_record_save(record=record)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Care record saved."))
        return redirect(record)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, resident=self.resident, **kwargs)
