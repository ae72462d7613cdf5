"""Door-to-door visits and campaigns (/visits/). The care pages under /visits/care/ are
residents.care.views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from committees.models import manages_anything
from jinzang.charts import bar_chart
from jinzang.forms import SubmitOnceMixin, form_errors_from
from jinzang.links import next_url
from jinzang.offline import KeptOfflineMixin, QueuedSendMixin, form_reasons, refused
from jinzang.params import int_param
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from meetings.models import ConsentRecord, Purpose, Visit, VisitCampaign
from meetings.projects.consent import ConsentConflict, conflict_both
from meetings.visits import services
from meetings.visits.fieldwork import campaign_progress, not_yet_visited
from meetings.visits.forms import CampaignForm, VisitFilter, VisitForm
from residents.models import CareRecord, Community, Household


def _visits(user):
    return (
        Visit.objects.visible_to(user)
        .with_place()
        .select_related("campaign", "recorded_by", "consent", "request")
        .prefetch_related("visitors")
    )


class VisitListView(RegisterAccessMixin, ListView):
    """Visits the user may see, newest first; one household's with ?household=."""

    template_name = "visits/visit_list.html"
    context_object_name = "visits"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def fetch_objects(self):
        self.household = None
        pk = int_param(self.request.GET, "household")
        if pk is not None:
            self.household = get_object_or_404(
                Household.objects.visible_to(self.request.user).with_place(), pk=pk
            )

    def get_queryset(self):
        visits = _visits(self.request.user)
        if self.household is not None:
            visits = visits.filter(household=self.household)
        self.filterset = VisitFilter(self.request.GET, queryset=visits)
        if not self.filterset.is_valid():
            return visits.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, household=self.household, **kwargs)


class VisitDetailView(RegisterAccessMixin, DetailView):
    template_name = "visits/visit_detail.html"
    context_object_name = "visit"

    def get_queryset(self):
        return _visits(self.request.user).select_related("care_record__resident", "request")


class VisitCreateView(
    QueuedSendMixin, KeptOfflineMixin, SubmitOnceMixin, RegisterAccessMixin, FormView
):
    """Record a visit to one household (?household=), or a care visit (?care=). A visit
    recorded with no signal comes from the phone's queue (jinzang/offline.py), answered in
    JSON; the form is kept by the phone unless it names someone's care."""

    template_name = "visits/visit_form.html"
    form_class = VisitForm

    def fetch_objects(self):
        user = self.request.user
        self.care_record = None
        care = int_param(self.request.GET, "care")
        pk = int_param(self.request.GET, "household")
        if care is not None:
            self.care_record = get_object_or_404(
                CareRecord.objects.visible_to(user).select_related("resident"), pk=care
            )
            pk = self.care_record.household_id
        if pk is None:
            raise Http404("no household")
        self.household = get_object_or_404(Household.objects.visible_to(user).with_place(), pk=pk)
        self.campaign = None
        campaign = int_param(self.request.GET, "campaign")
        if campaign is not None:
            self.campaign = get_object_or_404(VisitCampaign.objects.visible_to(user), pk=campaign)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "household": self.household,
            "user": self.request.user,
            "access": self.access,
            "may_open_requests": manages_anything(self.request.user),
        }

    def get_initial(self):
        initial = {"visitors": [self.request.user.pk]}
        if self.care_record is not None:
            initial.update(purpose=Purpose.CARE, care_record=self.care_record.pk)
        if self.campaign is not None:
            initial.update(campaign=self.campaign.pk, purpose=self.campaign.purpose)
        return initial

    def _next_url(self):
        if self.care_record is not None:
            default = self.care_record.get_absolute_url()
        elif self.campaign is not None:
            default = self.campaign.get_absolute_url()
        else:
            default = self.household.get_absolute_url()
        return next_url(self.request, default)

    def _shown_version(self, project) -> int:
        """The version of the household's answer on `project` that the form showed."""
        if project is None:
            return 0
        return int_param(self.request.POST, f"version_{project.pk}", 0, max_digits=8)

    def keep_offline(self, context) -> bool:
        # Care status is personal information: a care visit's form is not kept, nor a form
        # that lists the household's care records (staff only).
        care = context["form"].fields.get("care_record")
        return self.care_record is None and (care is None or not care.queryset.exists())

    def post(self, request, *args, **kwargs):
        if self.queued:
            return self.queued_response()
        return super().post(request, *args, **kwargs)

    def queued_write(self) -> dict:
        form = self.get_form()
        if not form.is_valid():
            raise ValidationError(form_reasons(form))
        form.cleaned_data.pop(self.once_field, None)
        self.queued_project = form.cleaned_data.get("consent_project")
        visit = self.record_visit(form.cleaned_data)
        return {"household": self.household.pk, "visit": visit.pk}

    def queued_refusal(self, error):
        if not isinstance(error, ConsentConflict):
            return refused(error)
        project = self.queued_project
        both = conflict_both(
            project=project,
            household=self.household,
            queued=self.request.POST.get("consent_answer"),
        )
        return JsonResponse(
            {
                "status": "conflict",
                "reasons": error.messages,
                "version_field": f"version_{project.pk}",
                **both,
            },
            status=409,
        )

    def queued_made(self, made: dict) -> dict:
        return {**made, "url": reverse("visits:visit", args=[made["visit"]])}

    def record_visit(self, data):
        return services.visit_record(
            household=self.household,
            purpose=data["purpose"],
            recorded_by=self.request.user,
            visited_on=data["visited_on"],
            outcome=data["outcome"],
            notes=data["notes"],
            visitors=data["visitors"],
            other_visitors=data["other_visitors"],
            campaign=data.get("campaign"),
            care_record=data.get("care_record"),
            consent_project=data.get("consent_project"),
            consent_answer=data.get("consent_answer", ""),
            contribution=data.get("contribution"),
            conditions=data.get("conditions", ""),
            consent_version=self._shown_version(data.get("consent_project")),
            request_category=data.get("request_category"),
            request_title=data.get("request_title", ""),
            request_description=data.get("request_description", ""),
        )

    def form_valid(self, form):
        try:
            self.record_visit(form.cleaned_data)
        except ConsentConflict as conflict:
            form.add_error("consent_answer", str(conflict))
            return self.form_invalid(form)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit recorded."))
        return HttpResponseRedirect(self._next_url())

    def get_context_data(self, **kwargs):
        current = {
            c.project_id: c
            for c in ConsentRecord.objects.filter(household=self.household)
            .select_related("project")
            .only("project__name", "project_id", "answer", "version")
        }
        return super().get_context_data(
            household=self.household,
            care_record=self.care_record,
            campaign=self.campaign,
            current_answers=current,
            next=self._next_url(),
            **kwargs,
        )


class CampaignListView(RegisterAccessMixin, ListView):
    template_name = "visits/campaign_list.html"
    context_object_name = "campaigns"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return (
            VisitCampaign.objects.visible_to(self.request.user)
            .with_progress()
            .select_related("compound", "courtyard", "project")
            .order_by("-starts_on", "pk")  # an aggregate drops Meta.ordering
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=manages_anything(self.request.user), **kwargs)


class CampaignDetailView(RegisterAccessMixin, DetailView):
    template_name = "visits/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return VisitCampaign.objects.visible_to(self.request.user).select_related(
            "community", "compound", "courtyard", "project", "created_by"
        )

    def get_context_data(self, **kwargs):
        progress = campaign_progress(self.object)
        chart = bar_chart(
            [(week.strftime("%m-%d"), n) for week, n in progress.weekly],
            caption=_("Visits per week"),
        )
        latest = _visits(self.request.user).filter(campaign=self.object)[:10]
        return super().get_context_data(
            progress=progress,
            chart=chart,
            latest=latest,
            to_visit=not_yet_visited(self.object),
            can_edit=self.object.can_manage(self.request.user),
            **kwargs,
        )


class CampaignFormView(SubmitOnceMixin, ManageMixin, FormView):
    template_name = "visits/campaign_form.html"
    form_class = CampaignForm

    def fetch_objects(self):
        self.campaign = None
        if "pk" in self.kwargs:
            self.campaign = get_object_or_404(
                VisitCampaign.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )

    def managed_object(self):
        return self.campaign

    def may_create(self):
        return manages_anything(self.request.user)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.campaign,
            "user": self.request.user,
            "access": self.access,
        }

    def form_valid(self, form):
        campaign = form.save(commit=False)
        if campaign.compound_id:
            campaign.community_id = campaign.compound.community_id
        elif campaign.courtyard_id:
            campaign.community_id = campaign.courtyard.compound.community_id
        elif not campaign.community_id:
            campaign.community_id = self.access.staffed_community_id()
            if campaign.community_id is None:
                campaign.community_id = list(Community.objects.values_list("pk", flat=True)[:1])[0]
        try:
            campaign = services.campaign_save(campaign=campaign, created_by=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Campaign saved."))
        return redirect(campaign)

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)
