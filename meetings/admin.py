from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from jinzang.admin import ExistingRowsInline, StoredFilesMixin
from meetings.models import (
    Action,
    AgendaItem,
    Attendee,
    ConsentRecord,
    Decision,
    GridWorker,
    Meeting,
    OutsideParty,
    Project,
    Visit,
    VisitCampaign,
)
from meetings.projects.consent import ANNOUNCED_FIELDS, project_check_recording
from residents.admin import PlaceSearchMixin


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    autocomplete_fields = ["resident", "user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident", "user")


class OutsidePartyInline(admin.TabularInline):
    model = OutsideParty
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = [
        "description",
        "item",
        "owner_user",
        "owner_resident",
        "owner_party",
        "due_on",
        "status",
        "done_on",
    ]
    autocomplete_fields = ["owner_user", "owner_resident"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner_user", "owner_resident", "owner_party", "item")
        )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "kind", "starts_at", "place", "status", "item_count"]
    list_filter = ["status", "kind", "body"]
    list_select_related = ["body"]
    search_fields = ["title", "place", "items__title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["body"]
    readonly_fields = ["created_by", "updated_at"]
    inlines = [AttendeeInline, OutsidePartyInline, AgendaItemInline, DecisionInline, ActionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items", distinct=True))

    @admin.display(description=_("agenda items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["description", "meeting", "owner", "due_on", "status"]
    list_filter = ["status", "meeting__body"]
    list_select_related = ["meeting", "owner_user", "owner_resident", "owner_party"]
    search_fields = ["description", "meeting__title"]
    autocomplete_fields = ["meeting", "owner_user", "owner_resident"]
    date_hierarchy = "due_on"

    @admin.display(description=pgettext_lazy("action", "owner"))
    def owner(self, obj):
        return obj.owner_name


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "order"]
    list_select_related = ["meeting"]
    search_fields = ["title", "minutes", "meeting__title"]
    autocomplete_fields = ["meeting"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "signed_by", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["text", "signed_by", "meeting__title"]
    autocomplete_fields = ["meeting", "item"]


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    list_select_related = ["meeting", "resident", "user"]
    search_fields = ["resident__name", "user__username", "meeting__title"]
    autocomplete_fields = ["meeting", "resident", "user"]


@admin.register(OutsideParty)
class OutsidePartyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "kind", "meeting"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]
    search_fields = ["organisation", "name", "meeting__title"]
    autocomplete_fields = ["meeting"]


class ConsentRecordInline(ExistingRowsInline):
    model = ConsentRecord
    fields = [
        "household",
        "answer",
        "contribution",
        "conditions",
        "channel",
        "recorded_by",
        "recorded_at",
    ]
    related_as_text = ("household", "recorded_by")
    select_related = ("household__unit__building__compound", "recorded_by")
    # Answers change only through the consent pages, which apply one owner's answer to all
    # their households and detect concurrent edits.
    readonly_fields = fields
    can_delete = False


@admin.register(Project)
class ProjectAdmin(StoredFilesMixin, admin.ModelAdmin):
    list_display = ["name", "body", "consent_kind", "matter", "status", "starts_on", "record_count"]
    list_filter = ["consent_kind", "status", "body"]
    list_select_related = ["body"]
    search_fields = ["name", "description", "contractor"]
    autocomplete_fields = ["body", "units", "meetings"]
    readonly_fields = [
        "roll",
        "announced_at",
        "announced_by",
        "announcement",
        "vote_opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "close_reason",
        "published_at",
        "published_by",
        "result_notice",
    ]
    inlines = [ConsentRecordInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.announced_at or obj.roll_id):
            # What was put to the owners, and to whom, is frozen by the announcement
            # (docs/domain.md, "Owners' decisions"); the status follows the result.
            fields += ["units", "body", *ANNOUNCED_FIELDS]
            if obj.vote_is_open:
                fields.append("status")
        return fields

    def has_delete_permission(self, request, obj=None):
        """An announced decision is a public record: it is never deleted."""
        if obj is not None and obj.announced_at:
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(record_count=Count("consents", distinct=True))

    @admin.display(description=_("consent records"), ordering="record_count")
    def record_count(self, obj):
        return obj.record_count


@admin.register(GridWorker)
class GridWorkerAdmin(SimpleHistoryAdmin):
    """Grid workers are named and removed on the project page by the sponsoring body; the
    history keeps who named or removed whom, and when."""

    list_display = ["user", "project", "added_by", "added_at"]
    list_filter = ["project__body"]
    list_select_related = ["user", "project", "added_by"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "project__name"]
    autocomplete_fields = ["project", "user"]
    readonly_fields = ["added_by", "added_at"]
    date_hierarchy = "added_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(PlaceSearchMixin, StoredFilesMixin, SimpleHistoryAdmin):
    """Consent is recorded on the project's pages, which check coverage and concurrent edits."""

    list_display = [
        "household",
        "project",
        "answer",
        "contribution",
        "channel",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["answer", "channel", "project"]
    list_select_related = ["household__unit__building__compound", "project", "recorded_by"]
    search_fields = ["household__door_number", "project__name", "conditions"]
    readonly_fields = [f.name for f in ConsentRecord._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def _answers_closed(self, obj) -> bool:
        try:
            project_check_recording(obj.project)
        except ValidationError:
            return obj.project.is_decision
        return False

    def has_change_permission(self, request, obj=None):
        """Read-only once an owners' decision no longer takes answers: nothing, not even a
        revert from the history, changes an answer after the close."""
        if obj is not None and self._answers_closed(obj):
            return False
        return super().has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history lets whoever may view the history post a revert: ask for the
        # right to change, which a closed decision's answers no longer give.
        if request.method == "POST":
            record = self.get_object(request, unquote(object_id))
            if record is not None and not self.has_change_permission(request, record):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False  # an answer is never deleted: a later answer replaces it


@admin.register(VisitCampaign)
class VisitCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "purpose", "compound", "starts_on", "ends_on", "goal", "n_visits"]
    list_filter = ["purpose", "community", "compound"]
    list_select_related = ["compound"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["project"]
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_visits=Count("visits"))

    @admin.display(description=_("visits"), ordering="n_visits")
    def n_visits(self, obj):
        return obj.n_visits


@admin.register(Visit)
class VisitAdmin(PlaceSearchMixin, SimpleHistoryAdmin):
    list_display = ["visited_on", "household", "purpose", "outcome", "campaign", "recorded_by"]
    list_filter = ["purpose", "outcome", "campaign"]
    list_select_related = ["household__unit__building__compound", "campaign", "recorded_by"]
    search_fields = ["household__door_number", "notes", "other_visitors"]
    autocomplete_fields = ["household", "visitors", "campaign", "care_record", "consent", "request"]
    date_hierarchy = "visited_on"
