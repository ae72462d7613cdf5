"""Facilities: the register of a compound's shared facilities with their condition, a
facility with its inspections and open requests, recording an inspection, and
reporting it broken, which opens a residents' request."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from committees.facilities import services
from committees.facilities.forms import FacilityFilter, InspectionForm, ReportBrokenForm
from committees.models import Facility, ResidentRequest
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from jinzang.views import ServiceFormView


class FacilityListView(RegisterAccessMixin, ListView):
    template_name = "facilities/facility_list.html"
    context_object_name = "facilities"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        facilities = (
            Facility.objects.visible_to(self.request.user)
            .with_place()
            .annotate(n_open=Count("requests", filter=Q(requests__status__in=ResidentRequest.OPEN)))
            .order_by("compound__name", "courtyard__name", "kind", "name")
        )
        self.filter = FacilityFilter(self.request.GET, user=self.request.user)
        if not self.filter.is_valid():
            return facilities.none()
        if self.filter.cleaned_data["compound"]:
            facilities = facilities.filter(compound=self.filter.cleaned_data["compound"])
        if self.filter.cleaned_data["condition"]:
            facilities = facilities.filter(condition=self.filter.cleaned_data["condition"])
        return facilities

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filter, **kwargs)


class FacilityMixin(ManageMixin):
    """A facility of the user's part; its page shows it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        self.facility = get_object_or_404(
            Facility.objects.visible_to(self.request.user).select_related(
                "compound__community", "courtyard"
            ),
            pk=self.kwargs["pk"],
        )

    def managed_object(self):
        return self.facility


class FacilityDetailView(FacilityMixin, DetailView):
    template_name = "facilities/facility_detail.html"
    context_object_name = "facility"

    def get_object(self, queryset=None):
        return self.facility

    def get_context_data(self, **kwargs):
        facility = self.facility
        context = {
            "inspections": list(facility.inspections.select_related("inspected_by")[:30]),
            "open_requests": list(
                ResidentRequest.objects.visible_to(self.request.user)
                .filter(facility=facility)
                .open()
                .select_related("category")
                .order_by("-received_at")
            ),
            "can_manage": self.can_manage,
        }
        if self.can_manage:
            context["inspection_form"] = InspectionForm(
                initial={"inspected_on": timezone.localdate(), "condition": facility.condition}
            )
            context["report_form"] = ReportBrokenForm()
        return super().get_context_data(**context, **kwargs)


class FacilityActMixin(FacilityMixin):
    needs_manage = True

    def get_success_url(self, result):
        return self.facility.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            eyebrow=self.facility.name, cancel_url=self.facility.get_absolute_url(), **kwargs
        )


class InspectionView(FacilityActMixin, ServiceFormView):
    form_class = InspectionForm

    def get_initial(self):
        return {"inspected_on": timezone.localdate(), "condition": self.facility.condition}

    def perform(self, form):
        self.success_message = _("The inspection is recorded.")
        return services.facility_inspect(
            facility=self.facility, inspected_by=self.request.user, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record an inspection"), **kwargs)


class ReportBrokenView(FacilityActMixin, ServiceFormView):
    form_class = ReportBrokenForm

    def perform(self, form):
        self.success_message = _("The facility is marked broken and a request is opened.")
        return services.facility_report_broken(
            facility=self.facility, reported_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, result):
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Report it broken"), **kwargs)
