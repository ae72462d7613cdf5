import calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from committees.models import Body, Member
from jinzang.concurrency import EditConflict, form_show_conflict
from jinzang.forms import SubmitOnceMixin, form_errors_from
from jinzang.links import next_url
from jinzang.months import add_months, month_end, month_param
from jinzang.names import person_name, users_named
from jinzang.params import int_param
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from jinzang.spreadsheets import export_response
from meetings.meetings import services
from meetings.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    AttendeeForm,
    DecisionForm,
    ItemEditForm,
    ItemForm,
    MeetingFilter,
    MeetingForm,
    PartyForm,
)
from meetings.models import Action, AgendaItem, Attendee, Decision, Meeting
from meetings.projects.imports import attendance_rows
from residents.models import AccessGrant, Membership, Resident
from residents.privacy.services import personal_data_export_log
from residents.register.search import name_q


def _meeting_queryset(user):
    return Meeting.objects.visible_to(user).select_related("body")


class MeetingListView(RegisterAccessMixin, ListView):
    """Meetings of the user's community, searchable by text, body, kind and dates."""

    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        meetings = _meeting_queryset(self.request.user).annotate(
            n_attendees=Count("attendees", distinct=True) + Count("outside_parties", distinct=True),
            n_open_actions=Count("actions", filter=Q(actions__status="open"), distinct=True),
        )
        self.filterset = MeetingFilter(self.request.GET, queryset=meetings, user=self.request.user)
        if not self.filterset.is_valid():
            return meetings.none()
        return self.filterset.qs.order_by("-starts_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_record=Body.objects.manageable_by(self.request.user).exists(),
            **kwargs,
        )


class MeetingCalendarView(RegisterAccessMixin, TemplateView):
    """A month of meetings, for the whole community or one body."""

    template_name = "meetings/calendar.html"

    def get_context_data(self, **kwargs):
        first = month_param(self.request.GET)
        last = month_end(first)
        bodies = Body.objects.visible_to(self.request.user).order_by("kind", "name")
        body = None
        meetings = _meeting_queryset(self.request.user).filter(
            starts_at__date__gte=first, starts_at__date__lte=last
        )
        body_id = int_param(self.request.GET, "body")
        if body_id is not None:
            body = get_object_or_404(bodies, pk=body_id)
            meetings = meetings.filter(body=body)
        by_day: dict[datetime.date, list] = {}
        for m in meetings.order_by("starts_at"):
            by_day.setdefault(timezone.localdate(m.starts_at), []).append(m)
        # A phone shows only the days with meetings: a week without one is left out whole,
        # so that no row of the table is left without a cell.
        weeks = [
            {
                "days": [(day, by_day.get(day, [])) for day in week],
                "busy": any(day in by_day for day in week),
            }
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(
                first.year, first.month
            )
        ]
        return super().get_context_data(
            month=first,
            weeks=weeks,
            bodies=bodies,
            body=body,
            previous=add_months(first, -1),
            following=add_months(first, 1),
            today=timezone.localdate(),
            weekdays=[_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            count=sum(len(v) for v in by_day.values()),
            **kwargs,
        )


class MeetingScopedMixin(ManageMixin):
    """Fetches the meeting through the user's scope; its pages show it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        self.meeting = get_object_or_404(
            _meeting_queryset(self.request.user).select_related("body__community"),
            pk=self.kwargs["pk"],
        )

    def managed_object(self):
        return self.meeting


class MeetingManageMixin(MeetingScopedMixin):
    """Changes a meeting: members of the convening body and neighbourhood-committee staff."""

    needs_manage = True


def _meeting_parts(meeting):
    """Everything a meeting page shows, loaded in a fixed number of queries."""
    attendees = list(meeting.attendees.select_related("resident", "user"))
    parties = list(meeting.outside_parties.all())
    items = list(meeting.items.all())
    # The decisions in the minutes' order, read at once: by agenda item, then those of
    # no item.
    position = {item.pk: n for n, item in enumerate(items)}
    decisions = sorted(
        meeting.decisions.all(), key=lambda d: (position.get(d.item_id, len(items)), d.pk)
    )
    # The meeting and its body are known: only the owners are joined.
    actions = list(meeting.actions.select_related("owner_user", "owner_resident", "owner_party"))
    return {
        "attendees": attendees,
        "parties": parties,
        "items": items,
        "decisions": decisions,
        "actions": actions,
        "present": len(attendees) + len(parties),
    }


class MeetingDetailView(MeetingScopedMixin, DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return self.meeting

    def get_context_data(self, **kwargs):
        readable = self.meeting.status == Meeting.Status.HELD or self.can_manage
        context = {"can_manage": self.can_manage, "minutes_readable": readable}
        if readable:
            context.update(_meeting_parts(self.meeting))
        return super().get_context_data(**context, **kwargs)


class MeetingPrintView(MeetingDetailView):
    template_name = "meetings/meeting_print.html"

    def check_object_permissions(self):
        super().check_object_permissions()
        if not (self.meeting.status == Meeting.Status.HELD or self.can_manage):
            raise PermissionDenied("minutes not yet readable")


class AttendanceExportView(MeetingScopedMixin, View):
    """Who attended, as CSV or XLSX: for those who may read the minutes."""

    def check_object_permissions(self):
        super().check_object_permissions()
        if not (self.meeting.status == Meeting.Status.HELD or self.can_manage):
            raise PermissionDenied("minutes not yet readable")

    def get(self, request, pk, fmt):
        shown = set()
        response = export_response(
            attendance_rows(self.meeting, self.access, shown),
            fmt=fmt,
            name=f"attendance-{self.meeting.pk}",
            sheet=_("Attendance"),
        )
        personal_data_export_log(
            user=request.user,
            path=request.get_full_path(),
            resident_count=len(shown),
            fields=("phone",),
        )
        return response


class MeetingFormView(SubmitOnceMixin, ManageMixin, FormView):
    """Record a meeting (new), or change its own fields."""

    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    def fetch_objects(self):
        self.meeting = None
        if "pk" in self.kwargs:
            self.meeting = get_object_or_404(
                _meeting_queryset(self.request.user), pk=self.kwargs["pk"]
            )

    def managed_object(self):
        return self.meeting

    def may_create(self):
        return Body.objects.manageable_by(self.request.user).exists()

    def get_initial(self):
        now = timezone.localtime().replace(second=0, microsecond=0)
        return {"starts_at": now, "status": Meeting.Status.HELD, "kind": Meeting.Kind.WORK}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting, "user": self.request.user}

    def form_valid(self, form):
        try:
            meeting = services.meeting_save(
                meeting=form.save(commit=False), created_by=self.request.user
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Meeting saved. Add attendees, items and actions below."))
        return redirect("meetings:meeting_record", pk=meeting.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingRecordView(MeetingManageMixin, TemplateView):
    """The page to record a held meeting: every section updates in place (htmx)."""

    template_name = "meetings/meeting_record.html"

    def get_context_data(self, **kwargs):
        parts = _meeting_parts(self.meeting)
        context = {
            "meeting": self.meeting,
            **parts,
            "party_form": PartyForm(),
            "item_form": ItemForm(),
            "decision_form": DecisionForm(meeting=self.meeting),
            "action_form": ActionForm(
                meeting=self.meeting, attendees=parts["attendees"], parties=parts["parties"]
            ),
        }
        context.update(kwargs)
        return super().get_context_data(**context)


class MeetingSectionView(MeetingManageMixin, View):
    """Base of the record page's in-place sections: POST a small form, get the section back."""

    section = ""
    form_class = None
    success_message = ""

    def get_form(self, data=None):
        return self.form_class(data)

    def render_section(self, **extra):
        view = MeetingRecordView()
        view.setup(self.request, pk=self.meeting.pk)
        view.meeting, view.access, view.can_manage = self.meeting, self.access, True
        if self.request.headers.get("HX-Request"):
            view.template_name = "meetings/meeting_record.html#sections"
        return view.render_to_response(view.get_context_data(**extra))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                self.perform(form)
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_section(**{f"{self.section}_form": form})
        messages.success(request, self.success_message or _("Saved."))
        if not request.headers.get("HX-Request"):
            return redirect("meetings:meeting_record", pk=self.meeting.pk)
        return self.render_section()


class AttendeeSearchView(MeetingManageMixin, TemplateView):
    """Residents of the community and staff accounts whose name matches, to add as attendees."""

    template_name = "meetings/meeting_record.html#attendee_results"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").replace("\x00", "").strip()[:30]
        residents, users = [], []
        if q:
            community = self.meeting.body.community_id
            in_community = Membership.objects.filter(
                household__unit__building__compound__community=community
            ).values("resident")
            residents = list(
                Resident.objects.visible_to(self.request.user)
                .filter(name_q(q, "name"), pk__in=in_community)
                .order_by("name")[:10]
            )
            users = list(
                users_named(get_user_model().objects.filter(is_active=True), q)
                .filter(
                    pk__in=AccessGrant.objects.active().filter(community=community).values("user")
                )
                .order_by("username")[:5]
            )
            # One person, one entry: a resident with an account is offered as the account,
            # under the name the register gives them.
            linked = Member.objects.linking_people().filter(user__in=users)
            register = {
                u: (r, name)
                for u, r, name in linked.values_list("user_id", "resident_id", "resident__name")
            }
            with_account = {r for r, _name in register.values()}
            residents = [r for r in residents if r.pk not in with_account]
            for u in users:
                u.display_name = register[u.pk][1] if u.pk in register else person_name(u)
        return super().get_context_data(
            meeting=self.meeting, q=q, found_residents=residents, found_users=users, **kwargs
        )


class AttendeeAddView(MeetingSectionView):
    section = "attendees"
    form_class = AttendeeForm

    def perform(self, form):
        resident = form.cleaned_data.get("resident")
        if (
            resident
            and not Resident.objects.visible_to(self.request.user).filter(pk=resident.pk).exists()
        ):
            raise ValidationError(
                {"resident": _("Unknown attendee: pick someone from the search results.")}
            )
        services.attendee_add(meeting=self.meeting, **form.cleaned_data)


class MeetingPartDeleteView(MeetingSectionView):
    """Delete a part of the meeting (POST only), fetched through the meeting; the record
    page's sections come back in place, or the page itself without htmx."""

    model = None
    key = ""

    def delete(self, part):
        part.delete()

    def post(self, request, *args, **kwargs):
        part = get_object_or_404(self.model, meeting=self.meeting, pk=self.kwargs[self.key])
        self.delete(part)
        messages.success(request, self.success_message)
        if not request.headers.get("HX-Request"):
            return redirect("meetings:meeting_record", pk=self.meeting.pk)
        return self.render_section()


class AttendeeRemoveView(MeetingPartDeleteView):
    model, key = Attendee, "attendee_pk"
    success_message = gettext_lazy("Attendee removed.")


class ItemDeleteView(MeetingPartDeleteView):
    model, key = AgendaItem, "item_pk"
    success_message = gettext_lazy(
        "Agenda item deleted; its decisions and actions stay, as the meeting's own."
    )

    def delete(self, part):
        services.item_delete(item=part)


class DecisionDeleteView(MeetingPartDeleteView):
    model, key = Decision, "decision_pk"
    success_message = gettext_lazy("Decision deleted.")

    def delete(self, part):
        services.decision_delete(decision=part)


class ActionDeleteView(MeetingPartDeleteView):
    model, key = Action, "action_pk"
    success_message = gettext_lazy("Action deleted.")

    def delete(self, part):
        services.action_delete(action=part)


class PartyAddView(MeetingSectionView):
    section = "party"
    form_class = PartyForm

    def perform(self, form):
        services.party_add(meeting=self.meeting, **form.cleaned_data)


class ItemAddView(MeetingSectionView):
    section = "item"
    form_class = ItemForm

    def perform(self, form):
        services.item_add(meeting=self.meeting, **form.cleaned_data)


class ItemEditView(MeetingManageMixin, FormView):
    template_name = "meetings/item_form.html"
    form_class = ItemEditForm

    def fetch_objects(self):
        super().fetch_objects()
        self.item = get_object_or_404(AgendaItem, meeting=self.meeting, pk=self.kwargs["item_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def form_valid(self, form):
        try:
            services.item_update(item=self.item, **form.cleaned_data)
        except EditConflict as conflict:
            form_show_conflict(form, conflict)
            return self.form_invalid(form)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Item saved."))
        return redirect("meetings:meeting_record", pk=self.meeting.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, item=self.item, **kwargs)


class DecisionAddView(MeetingSectionView):
    section = "decision"

    def get_form(self, data=None):
        return DecisionForm(data, meeting=self.meeting)

    def perform(self, form):
        services.decision_add(meeting=self.meeting, **form.cleaned_data)


class ActionAddView(MeetingSectionView):
    section = "action"

    def get_form(self, data=None):
        return ActionForm(
            data,
            meeting=self.meeting,
            attendees=self.meeting.attendees.select_related("resident", "user"),
            parties=self.meeting.outside_parties.all(),
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        services.action_add(meeting=self.meeting, **data, **owner)


class ActionStatusView(RegisterAccessMixin, View):
    """Mark an action done (or reopen or drop it): its owner, or a manager of the body."""

    def post(self, request, pk):
        action = get_object_or_404(
            Action.objects.visible_to(request.user).select_related("meeting__body"), pk=pk
        )
        if action.owner_user_id != request.user.pk and not action.meeting.can_manage(request.user):
            raise PermissionDenied("not the action's owner")
        form = ActionStatusForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Unknown status."))
        services.action_set_status(action=action, status=form.cleaned_data["status"])
        messages.success(request, _("Action updated."))
        return HttpResponseRedirect(next_url(request, action.meeting.get_absolute_url()))


class ActionListView(RegisterAccessMixin, ListView):
    """Open actions: mine, or every overdue one in the user's community."""

    template_name = "meetings/action_list.html"
    context_object_name = "actions"
    which = "mine"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        actions = (
            Action.objects.visible_to(self.request.user).with_context().order_by("due_on", "pk")
        )
        if self.which == "mine":
            return actions.open().owned_by(self.request.user)
        return actions.overdue()

    def get_context_data(self, **kwargs):
        return super().get_context_data(which=self.which, today=timezone.localdate(), **kwargs)
