"""Residents' requests: the queue, a request with its timeline and steps, the monthly
summary, the alliance, and the public page of resolved problems."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView, View

from committees.models import (
    AllianceMember,
    RequestCategory,
    ResidentRequest,
    Whistle,
    WhistleResponder,
    manages_anything,
)
from committees.requests import services, workflow
from committees.requests.forms import (
    MyRequestForm,
    PhotoForm,
    ReceiveForm,
    ReportForm,
    RequestFilter,
    WhistleForm,
)
from committees.requests.selectors import resident_timeline
from jinzang.forms import SubmitOnceMixin
from jinzang.months import add_months, month_param
from jinzang.params import int_param
from jinzang.permissions import ManageMixin, RegisterAccessMixin, ResidentDoorMixin
from jinzang.views import HistoryView, ServiceFormView
from residents.access import Access
from residents.door.corrections import CORRECTIONS
from residents.models import Household

Status = ResidentRequest.Status


def _request_queryset(user):
    return ResidentRequest.objects.visible_to(user).select_related(
        "category", "compound", "building", "facility"
    )


class RequestListView(RegisterAccessMixin, ListView):
    """The queue: requests of the user's part, newest first, filtered; overdue ones marked."""

    template_name = "requests/request_list.html"
    context_object_name = "requests"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        requests = _request_queryset(self.request.user).with_timing()
        self.filterset = RequestFilter(self.request.GET, queryset=requests, user=self.request.user)
        if not self.filterset.is_valid():
            return requests.none()
        return self.filterset.qs.order_by("-received_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_receive=manages_anything(self.request.user),
            **kwargs,
        )


class RequestReceiveView(SubmitOnceMixin, RegisterAccessMixin, ServiceFormView):
    form_class = ReceiveForm

    def check_object_permissions(self):
        if not manages_anything(self.request.user):
            raise PermissionDenied("no body to receive requests for")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        # The page asks for itself with the place chosen, for its units and residents.
        given = {
            k: self.request.GET[k]
            for k in ("compound", "building", "unit", "door_number")
            if k in self.request.GET
        }
        return {"received_at": timezone.localtime().replace(second=0, microsecond=0), **given}

    def perform(self, form):
        self.success_message = _("The request is received.")
        return services.request_receive(recorded_by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Receive a request"),
            eyebrow=_("Residents' requests"),
            cancel_url=reverse("requests:list"),
            **kwargs,
        )


class RequestScopedMixin(ManageMixin):
    """Fetches the request through the user's scope; its pages show it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        self.object = get_object_or_404(
            _request_queryset(self.request.user).select_related("raised_by", "handling_body"),
            pk=self.kwargs["pk"],
        )
        if self.object.household_id:
            # The household and its place apart, and only what the pages show joined:
            # thirteen tables in one query cost PostgreSQL's planner 5 ms, ten times the
            # rest of the page's SQL.
            self.object.household = (
                Household.objects.with_place().filter(pk=self.object.household_id).first()
            )

    def managed_object(self):
        return self.object


class RequestActMixin(RequestScopedMixin):
    """Changes a request: staff of the community and members of the bodies that serve it."""

    needs_manage = True

    def get_success_url(self, result):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            eyebrow=self.object.title, cancel_url=self.object.get_absolute_url(), **kwargs
        )


class RequestDetailView(RequestScopedMixin, DetailView):
    template_name = "requests/request_detail.html"
    context_object_name = "req"

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        req = self.object
        whistles = list(
            req.whistles.select_related("blown_by").prefetch_related(_responders_prefetch())
        )
        context = {
            "steps": list(req.steps.select_related("by")),
            "whistles": whistles,
            "photos": list(req.photos.all()),
            "can_act": self.can_manage,
            "sees_personal": self.access.can_see_personal_in(req.community_id),
            "raiser_phone": "",
            "timing": ResidentRequest.objects.with_timing()
            .filter(pk=req.pk)
            .values("response_due", "resolution_due", "is_overdue")
            .first(),
        }
        if context["sees_personal"]:
            # Built when opened (RequestHistoryView), as a household's are.
            context["history_url"] = reverse("requests:history", args=[req.pk])
        if req.raised_by:
            # The raiser may live outside the user's part: their phone as the register's
            # rule says (masked, with the control that shows it in full and logs it; masked;
            # or not at all).
            disclosure = self.access.disclosure([req.raised_by_id])
            if disclosure.full(req.raised_by_id) and req.raised_by.phone:
                context["raiser_reveal"] = True
            elif disclosure.details(req.raised_by_id):
                context["raiser_phone"] = req.raised_by.masked_phone
        if self.can_manage:
            context["step_forms"] = [
                (step.title, reverse(step.url_name, args=[req.pk]), step.make_form(req), style)
                for step, style in step_styles(workflow.next_steps(req.status))
            ]
            # The whistle's form is a page of its own: its list of the community's party
            # members (hundreds of names) took 190 ms to render on every view of the request.
            context["can_whistle"] = req.status in workflow.WHISTLE_AFTER
            context["photo_form"] = PhotoForm()
            context["report_form"] = ReportForm()
        return super().get_context_data(**context, **kwargs)


class RequestHistoryView(RequestScopedMixin, HistoryView):
    """The changes to a request (who changed its status, category, handling body, when):
    for those who see them on its page, the staff of its community."""

    def fetch_objects(self):
        super().fetch_objects()
        self.subject = self.object

    def check_object_permissions(self):
        super().check_object_permissions()
        # The rule of the request's page (RequestDetailView: sees_personal).
        if not self.access.can_see_personal_in(self.object.community_id):
            raise PermissionDenied("changes of another community's request")


def step_styles(steps):
    """Each next step with its button's style: the first step forward is the page's main
    action, a way out (closing as not actionable) a warning beside it, never the main one."""
    forward = [step for step in steps if step.forward]
    for step in steps:
        if not step.forward:
            yield step, "danger-outline"
        else:
            yield step, "primary" if step is forward[0] else ""


def _responders_prefetch():
    return Prefetch(
        "responders",
        queryset=WhistleResponder.objects.select_related("alliance_member", "resident"),
    )


class RequestStepView(RequestActMixin, ServiceFormView):
    """One step of the workflow, a row of `workflow.STEPS`."""

    step: workflow.Step | None = None  # given by the URL (urls.py), one view a step

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return self.step.make_form(self.object, data)

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["version"] = data.get("version") or None
        self.success_message = _("The request is now “%(status)s”.") % {
            "status": Status(self.step.to).label
        }
        return self.step.write(request=self.object, by=self.request.user, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=str(self.step.title), **kwargs)


class WhistleBlowView(RequestActMixin, ServiceFormView):
    """Call the alliance's members, the party branch's members or the sub-district to
    report on a request (吹哨报到): who is called, and why."""

    form_class = WhistleForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Blow the whistle"),
            intro=_(
                "Choose the level and who is called to report on this request. Each one "
                "called is listed on the request, where their report is recorded."
            ),
            submit_label=_("Blow the whistle"),
            **kwargs,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.object, "user": self.request.user}

    def perform(self, form):
        self.success_message = _("The whistle is blown; the responders are called to report.")
        return services.whistle_blow(request=self.object, by=self.request.user, **form.cleaned_data)


class ResponderReportView(RequestActMixin, ServiceFormView):
    form_class = ReportForm

    def fetch_objects(self):
        super().fetch_objects()
        self.responder = get_object_or_404(
            WhistleResponder.objects.select_related("alliance_member", "resident"),
            whistle__request=self.object,
            pk=self.kwargs["responder_pk"],
        )

    def perform(self, form):
        self.success_message = _("The report is recorded.")
        return services.responder_report(
            responder=self.responder, by=self.request.user, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Report of %(name)s") % {"name": self.responder.name}, **kwargs
        )


class PhotoAddView(RequestActMixin, ServiceFormView):
    form_class = PhotoForm

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return PhotoForm(self.request.POST, self.request.FILES)
        return PhotoForm()

    def perform(self, form):
        self.success_message = _("The photo is added.")
        return services.photo_add(request=self.object, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a photo"), **kwargs)


class PhotoFileView(RequestScopedMixin, View):
    """A photo of the request: only for those who may see the request."""

    def get(self, request, pk, photo_pk):
        photo = get_object_or_404(self.object.photos, pk=photo_pk)
        return FileResponse(photo.file.open("rb"), as_attachment=False)


def _median(queryset, field) -> datetime.timedelta | None:
    """The median of a duration, found in the database: the one or two middle rows."""
    rows = (
        queryset.filter(**{f"{field}__isnull": False})
        .annotate(
            d=ExpressionWrapper(F(field) - F("received_at"), output_field=DurationField()),
            n=Window(Count("pk")),
            rank=Window(RowNumber(), order_by=[F("d").asc(), F("pk").asc()]),
        )
        .values_list("d", "n", "rank")
    )
    middle = [
        (d, n, rank) for d, n, rank in rows.filter(rank__gte=F("n") / 2, rank__lte=F("n") / 2 + 1)
    ]
    values = [d for d, n, rank in middle if rank in {(n + 1) // 2, (n + 2) // 2}]
    if not values:
        return None
    return sum(values, datetime.timedelta()) / len(values)


def _hours(duration):
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


class RequestSummaryView(RegisterAccessMixin, TemplateView):
    """A month of requests: counts by category and status, median times, overdue ones."""

    template_name = "requests/summary.html"

    def get_context_data(self, **kwargs):
        first = month_param(self.request.GET)
        following = add_months(first, 1)
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time(), tzinfo=tz)
        end = datetime.datetime.combine(following, datetime.time(), tzinfo=tz)
        month = (
            ResidentRequest.objects.visible_to(self.request.user)
            .filter(received_at__gte=start, received_at__lt=end)
            .with_timing()
        )
        by_status = {s: Count("pk", filter=Q(status=s)) for s in Status.values}
        totals = month.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(is_overdue=True)),
            missed=Count("pk", filter=Q(missed_target=True)),
            **by_status,
        )
        categories = (
            month.values("category__name", "category__position")
            .annotate(total=Count("pk"), **by_status)
            .order_by("category__position", "category__name")
        )
        previous = add_months(first, -1)
        return super().get_context_data(
            month=first,
            previous=previous,
            following=following,
            totals=totals,
            statuses=[(s, Status(s).label, totals[s]) for s in Status.values],
            categories=[{**c, "by_status": [c[s] for s in Status.values]} for c in categories],
            median_response=_hours(_median(month, "accepted_at")),
            median_resolution=_hours(_median(month, "resolved_at")),
            **kwargs,
        )


def alliance_figures(queryset=None):
    """Member organisations, their party members, and the problems the alliance solved."""
    figures = (AllianceMember.objects.all() if queryset is None else queryset).aggregate(
        organisations=Count("pk"),
        party_members=Sum("party_members", default=0),
        units=Count("pk", filter=Q(kind=AllianceMember.Kind.STATIONED_UNIT)),
    )
    return figures


class PublicResolvedView(ListView):
    """Resolved problems for anyone, with no personal data: no names, no doors, no phones."""

    template_name = "requests/resolved.html"
    context_object_name = "problems"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        # Only the columns the page shows: nothing personal is even read.
        return (
            ResidentRequest.objects.resolved()
            .filter(public=True)
            .annotate(
                by_alliance=Count("whistles", filter=Q(whistles__level=Whistle.Level.ALLIANCE))
            )
            .values(
                "pk",
                "title",
                "reply",
                "resolved_at",
                "category__name",
                "compound__name",
                "by_alliance",
            )
            .order_by("-resolved_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        solved = (
            ResidentRequest.objects.resolved()
            .filter(whistles__level=Whistle.Level.ALLIANCE)
            .values("pk")
            .distinct()
            .count()
        )
        return super().get_context_data(
            alliance=alliance_figures(), alliance_solved=solved, **kwargs
        )


class AllianceListView(RegisterAccessMixin, ListView):
    """The party-building alliance: member organisations, contacts, party members."""

    template_name = "requests/alliance_list.html"
    context_object_name = "members"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return (
            AllianceMember.objects.visible_to(self.request.user)
            .select_related("community")
            .annotate(n_responses=Count("responses"))
            .order_by("kind", "name")
        )

    def get_context_data(self, **kwargs):
        mine = AllianceMember.objects.visible_to(self.request.user)
        figures = alliance_figures(mine)
        kinds = dict(mine.values_list("kind").annotate(n=Count("pk")).order_by())
        return super().get_context_data(
            figures=figures,
            kinds=[(label, kinds.get(value, 0)) for value, label in AllianceMember.Kind.choices],
            sees_personal=Access.of(self.request.user).is_staff_role,
            **kwargs,
        )


# A resident's own requests (the residents' door).


def _own_requests(resident):
    return ResidentRequest.objects.raised_by_resident(resident).select_related(
        "category", "household__unit__building__compound", "compound"
    )


class MyRequestListView(ResidentDoorMixin, ListView):
    """The requests the resident raised, newest first, with where each stands."""

    template_name = "requests/mine.html"
    context_object_name = "requests"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return _own_requests(self.resident).order_by("-received_at", "-pk")


class MyRequestDetailView(ResidentDoorMixin, DetailView):
    """One of the resident's requests: its timeline as the resident may read it
    (`resident_timeline`); another resident's request reads as 404."""

    template_name = "requests/mine_detail.html"
    context_object_name = "req"

    def fetch_objects(self):
        self.object = get_object_or_404(
            _own_requests(self.resident)
            .select_related("handling_body")
            .prefetch_related("steps", "whistles"),
            pk=self.kwargs["pk"],
        )

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        return super().get_context_data(timeline=resident_timeline(self.object), **kwargs)


class MyRequestNewView(SubmitOnceMixin, ResidentDoorMixin, ServiceFormView):
    """A resident raises a request about one of their homes; it lands in the committee's
    queue like one received by phone, through the channel "online". `?correct=<field>`
    (from the resident's home page) prefills a correction to the register."""

    template_name = "requests/mine_new.html"
    form_class = MyRequestForm

    def fetch_objects(self):
        self.households = self.account.households().with_place().order_by("pk")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "households": self.households}

    def get_initial(self):
        initial = {}
        households = list(self.households)
        asked = int_param(self.request.GET, "household")
        chosen = next((h for h in households if h.pk == asked), None)
        if chosen is not None:
            initial["household"] = chosen
        field = CORRECTIONS.get(self.request.GET.get("correct", ""))
        if field is not None:
            initial["category"] = RequestCategory.objects.filter(for_corrections=True).first()
            initial["title"] = _("Correction to the register: %(field)s") % {"field": field}
            initial["description"] = _("The register holds %(field)s wrongly. It should be: ") % {
                "field": field
            }
        return initial

    def perform(self, form):
        self.success_message = _("Your request is sent to the committee.")
        return services.request_raise_online(account=self.account, **form.cleaned_data)

    def get_success_url(self, result):
        return reverse("requests:mine_detail", args=[result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(has_home=self.households.exists(), **kwargs)
