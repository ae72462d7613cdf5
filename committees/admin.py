from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from committees.models import (
    Ballot,
    Body,
    Candidate,
    ChairChoice,
    Election,
    ElectionFiling,
    Facility,
    FacilityInspection,
    Fund,
    FundEntry,
    Member,
    Notice,
    NoticeAttachment,
    NoticeRevision,
    ServiceActivity,
    ServiceHours,
    Term,
    Volunteer,
    VolunteerTeam,
)
from jinzang.admin import AddRowsInline, ExistingRowsInline, StoredFilesMixin
from residents.admin import PlaceSearchMixin


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["number", "starts_on", "ends_on", "formed_by"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body")


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "community",
        "compound",
        "courtyard",
        "founded_on",
        "dissolved_on",
        "term_count",
    ]
    list_filter = ["kind", "community"]
    list_select_related = ["community", "compound", "courtyard"]
    search_fields = ["name"]
    autocomplete_fields = ["community", "compound", "courtyard"]
    inlines = [TermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(term_count=Count("terms"))

    @admin.display(description=_("terms"), ordering="term_count")
    def term_count(self, obj):
        return obj.term_count


class MemberInline(ExistingRowsInline):
    model = Member
    fields = ["resident", "user", "name", "is_party_member", "role", "starts_on", "ends_on"]
    related_as_text = ("resident", "user")
    select_related = ("resident", "user")


class NewMemberInline(AddRowsInline):
    model = Member
    fields = ["resident", "user", "name", "is_party_member", "role", "starts_on", "ends_on"]
    autocomplete_fields = ["resident", "user"]
    verbose_name_plural = _("add members")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "body",
        "number",
        "starts_on",
        "ends_on",
        "formed_by",
        "member_count",
    ]
    list_filter = ["formed_by", "body__kind", "body"]
    list_select_related = ["body"]
    search_fields = ["body__name"]
    autocomplete_fields = ["body"]
    inlines = [MemberInline, NewMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "term", "role", "starts_on", "ends_on", "access_grant"]
    list_filter = ["role", "term__body"]
    list_select_related = [
        "resident",
        "user",
        "term__body",
        "access_grant__user",
        "access_grant__community",
        "access_grant__compound",
        "access_grant__courtyard",
    ]
    search_fields = ["resident__name", "name", "user__username"]
    autocomplete_fields = ["term", "resident", "user"]
    readonly_fields = ["access_grant", "elected_in"]


class CandidateInline(ExistingRowsInline):
    model = Candidate
    related_as_text = ("resident",)
    select_related = ("resident",)


class NewCandidateInline(AddRowsInline):
    model = Candidate
    autocomplete_fields = ["resident"]
    verbose_name_plural = _("add candidates")


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "held_on", "seats", "status", "ballot_count"]
    list_filter = ["status", "round"]
    list_select_related = ["term__body"]
    search_fields = ["term__body__name"]
    autocomplete_fields = ["term"]
    inlines = [CandidateInline, NewCandidateInline]

    def get_readonly_fields(self, request, obj=None):
        """The steps are taken on the election's page (docs/domain.md, "Owners'
        decisions"); once announced, what was put to the owners no longer changes."""
        fields = ["roll", "status"]
        if obj is not None and obj.announced_at:
            fields += ["term", "round", "seats", "held_on", "text", "ballot", "opens_at"]
            fields += ["closes_at"]
        return fields

    def get_inlines(self, request, obj):
        if obj is not None and obj.announced_at:
            return [CandidateInline]  # the candidates are those the notice names
        return self.inlines

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ballot_count=Count("ballots"))

    @admin.display(description=_("ballots"), ordering="ballot_count")
    def ballot_count(self, obj):
        return obj.ballot_count


@admin.register(ChairChoice)
class ChairChoiceAdmin(admin.ModelAdmin):
    """Choices are recorded through the term's page, which checks who was elected."""

    list_display = ["__str__", "chair", "vice_chair", "chosen_on", "recorded_by"]
    list_filter = ["term__body"]
    list_select_related = [
        "term__body",
        "chair__resident",
        "chair__user",
        "vice_chair__resident",
        "vice_chair__user",
        "recorded_by",
    ]
    search_fields = ["term__body__name", "chair__resident__name"]
    readonly_fields = ["term", "chair", "vice_chair", "chosen_on", "recorded_by", "recorded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ElectionFiling)
class ElectionFilingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_on", "filed_on", "filed_with", "reference", "recorded_by"]
    list_filter = [("filed_on", admin.EmptyFieldListFilter), "term__body"]
    list_select_related = ["term__body", "recorded_by"]
    search_fields = ["term__body__name", "filed_with", "reference"]
    readonly_fields = ["term", "due_on", "recorded_by", "recorded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["resident", "election"]
    list_select_related = ["resident", "election__term__body"]
    search_fields = ["resident__name"]
    autocomplete_fields = ["election", "resident"]


@admin.register(Ballot)
class BallotAdmin(PlaceSearchMixin, admin.ModelAdmin):
    """Ballots are recorded through the election page, which checks who may vote."""

    list_display = ["election", "household", "voter", "owner_key", "recorded_by", "recorded_at"]
    list_filter = ["election__term__body"]  # an election's name needs its term and body
    list_select_related = [
        "election__term__body",
        "household__unit__building__compound",
        "voter",
        "recorded_by",
    ]
    search_fields = ["voter__name", "household__door_number"]
    readonly_fields = [
        "election",
        "household",
        "voter",
        "owner_key",
        "choices",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request):
        return False


class NoticeRevisionInline(admin.TabularInline):
    model = NoticeRevision
    extra = 0
    fields = ["corrected_at", "reason", "title"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NoticeAttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0


@admin.register(Notice)
class NoticeAdmin(StoredFilesMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "body",
        "category",
        "publish_at",
        "expires_at",
        "pinned",
        "withdrawn_at",
    ]
    list_filter = ["category", "pinned", "body"]
    list_select_related = ["body"]
    search_fields = ["title", "text"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["body", "compounds", "courtyards", "buildings"]
    inlines = [NoticeAttachmentInline, NoticeRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != "draft":
            # Corrections of a published notice go through the notice pages, which keep a revision.
            fields += ["title", "text"]
        return fields

    def has_change_permission(self, request, obj=None):
        """A notice in its locked public period (an owners' decision's announcement or
        result, docs/domain.md) is neither changed nor withdrawn, here either."""
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(NoticeRevision)
class NoticeRevisionAdmin(admin.ModelAdmin):
    list_display = ["notice", "corrected_at", "reason", "corrected_by"]
    list_select_related = ["notice", "corrected_by"]
    search_fields = ["notice__title", "reason"]
    readonly_fields = ["notice", "title", "text", "reason", "corrected_at", "corrected_by"]

    def has_add_permission(self, request):
        return False


@admin.register(NoticeAttachment)
class NoticeAttachmentAdmin(StoredFilesMixin, admin.ModelAdmin):
    list_display = ["__str__", "notice"]
    list_select_related = ["notice"]
    search_fields = ["title", "notice__title"]
    autocomplete_fields = ["notice"]


# Residents' requests and the three whistles

from committees.models import (  # noqa: E402
    AllianceMember,
    RequestCategory,
    RequestPhoto,
    RequestStep,
    ResidentRequest,
    Whistle,
    WhistleResponder,
)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "response_hours",
        "resolution_days",
        "position",
        "for_facilities",
        "for_corrections",
        "request_count",
    ]
    list_editable = [
        "response_hours",
        "resolution_days",
        "position",
        "for_facilities",
        "for_corrections",
    ]
    list_filter = ["resolution_days", "for_facilities", "for_corrections"]
    list_select_related = []
    search_fields = ["name"]
    autocomplete_fields = []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(request_count=Count("requests"))

    @admin.display(description=_("requests"), ordering="request_count")
    def request_count(self, obj):
        return obj.request_count


@admin.register(AllianceMember)
class AllianceMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community", "contact_name", "party_members", "response_count"]
    list_filter = ["kind", "community"]
    list_select_related = ["community"]
    search_fields = ["name", "contact_name"]
    autocomplete_fields = ["community"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(response_count=Count("responses"))

    @admin.display(description=_("calls answered"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count


class RequestStepInline(ExistingRowsInline):
    model = RequestStep
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = ["at", "from_status", "to_status", "note"]
    related_as_text = ("by",)
    select_related = ("by",)

    def has_change_permission(self, request, obj=None):
        return False


class WhistleInline(ExistingRowsInline):
    model = Whistle
    fields = ["level", "blown_at", "blown_by", "note"]
    related_as_text = ("blown_by",)
    select_related = ("blown_by",)
    show_change_link = True


class RequestPhotoInline(ExistingRowsInline):
    model = RequestPhoto
    fields = ["file", "caption", "uploaded_at", "uploaded_by"]
    related_as_text = ("uploaded_by",)
    select_related = ("uploaded_by",)


@admin.register(ResidentRequest)
class ResidentRequestAdmin(PlaceSearchMixin, StoredFilesMixin, admin.ModelAdmin):
    """Steps are taken on the request page, which checks the order; here they are read."""

    list_display = ["title", "category", "compound", "status", "received_at", "handling_body"]
    list_filter = ["status", "category", "received_through", "community"]
    list_select_related = ["category", "compound", "handling_body"]
    # the number to call back, as given: an administrator finds a caller's requests by it
    search_fields = ["title", "description", "shared_place", "facility__name", "callback_phone"]
    autocomplete_fields = [
        "community",
        "compound",
        "building",
        "household",
        "raised_by",
        "handling_body",
        "received_by",
        "facility",
    ]
    readonly_fields = ["status", "accepted_at", "resolved_at", "confirmed_at", "closed_at"]
    date_hierarchy = "received_at"
    inlines = [RequestStepInline, WhistleInline, RequestPhotoInline]


@admin.register(RequestStep)
class RequestStepAdmin(admin.ModelAdmin):
    list_display = ["request", "from_status", "to_status", "at", "by"]
    list_filter = ["to_status"]
    list_select_related = ["request", "by"]
    search_fields = ["request__title", "note"]
    autocomplete_fields = ["request", "by"]


@admin.register(RequestPhoto)
class RequestPhotoAdmin(StoredFilesMixin, admin.ModelAdmin):
    list_display = ["__str__", "request", "uploaded_at", "uploaded_by"]
    list_filter = ["uploaded_at"]
    list_select_related = ["request", "uploaded_by"]
    search_fields = ["request__title", "caption"]
    autocomplete_fields = ["request", "uploaded_by"]


class ResponderInline(ExistingRowsInline):
    model = WhistleResponder
    fields = ["alliance_member", "resident", "department", "reported_at", "action"]
    related_as_text = ("alliance_member", "resident")
    select_related = ("alliance_member", "resident")


class NewResponderInline(AddRowsInline):
    model = WhistleResponder
    fields = ["alliance_member", "resident", "department", "reported_at", "action"]
    autocomplete_fields = ["alliance_member", "resident"]
    verbose_name_plural = _("add responders")


@admin.register(Whistle)
class WhistleAdmin(admin.ModelAdmin):
    list_display = ["request", "level", "blown_at", "blown_by", "responder_count"]
    list_filter = ["level"]
    list_select_related = ["request", "blown_by"]
    search_fields = ["request__title", "note"]
    autocomplete_fields = ["request", "blown_by"]
    inlines = [ResponderInline, NewResponderInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(responder_count=Count("responders"))

    @admin.display(description=_("responders"), ordering="responder_count")
    def responder_count(self, obj):
        return obj.responder_count


@admin.register(WhistleResponder)
class WhistleResponderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "whistle", "reported_at"]
    list_filter = ["whistle__level", "reported_at"]
    list_select_related = ["whistle__request", "alliance_member", "resident"]
    search_fields = ["alliance_member__name", "resident__name", "department", "action"]
    autocomplete_fields = ["whistle", "alliance_member", "resident"]


class VolunteerInline(ExistingRowsInline):
    model = Volunteer
    fields = ["name", "resident", "user", "is_party_member", "joined", "left"]
    related_as_text = ("resident", "user")
    select_related = ("resident", "user")
    show_change_link = True


class NewVolunteerInline(AddRowsInline):
    model = Volunteer
    fields = ["name", "resident", "user", "is_party_member", "joined", "left"]
    autocomplete_fields = ["resident", "user"]
    verbose_name_plural = _("add volunteers")


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "community", "leader", "volunteer_count"]
    list_filter = ["kind", "community"]
    list_select_related = ["community", "leader"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["community", "leader"]
    inlines = [VolunteerInline, NewVolunteerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(volunteer_count=Count("volunteers"))

    @admin.display(description=_("volunteers"), ordering="volunteer_count")
    def volunteer_count(self, obj):
        return obj.volunteer_count


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "resident", "is_party_member", "joined", "left"]
    list_filter = ["team", "is_party_member", "resident__is_party_member"]
    list_select_related = ["team", "resident"]
    search_fields = ["name", "resident__name", "team__name"]
    autocomplete_fields = ["team", "resident", "user"]


class ServiceHoursInline(ExistingRowsInline):
    model = ServiceHours
    fields = ["volunteer", "hours"]
    related_as_text = ("volunteer",)
    select_related = ("volunteer",)


class NewServiceHoursInline(AddRowsInline):
    model = ServiceHours
    fields = ["volunteer", "hours"]
    autocomplete_fields = ["volunteer"]
    verbose_name_plural = _("add participants")


@admin.register(ServiceActivity)
class ServiceActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "description", "team", "place", "compound", "total_hours"]
    list_filter = ["team", "compound"]
    list_select_related = ["team", "compound"]
    search_fields = ["description", "place", "team__name"]
    autocomplete_fields = ["team", "compound", "recorded_by"]
    date_hierarchy = "date"
    inlines = [ServiceHoursInline, NewServiceHoursInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_hours=Sum("hours__hours"))

    @admin.display(description=_("hours"), ordering="total_hours")
    def total_hours(self, obj):
        return obj.total_hours


@admin.register(ServiceHours)
class ServiceHoursAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "activity", "hours"]
    list_filter = ["activity__team"]
    list_select_related = ["volunteer", "activity"]
    search_fields = ["volunteer__name", "activity__description"]
    autocomplete_fields = ["activity", "volunteer"]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "compound", "courtyard", "opening_balance", "balance"]
    list_filter = ["compound"]
    list_select_related = ["compound", "courtyard"]
    search_fields = ["name", "compound__name"]
    autocomplete_fields = ["compound", "courtyard"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_balance()

    @admin.display(description=_("balance"), ordering="balance")
    def balance(self, obj):
        return obj.balance


@admin.register(FundEntry)
class FundEntryAdmin(StoredFilesMixin, SimpleHistoryAdmin):
    """Every change here is kept in the entry's history."""

    list_display = ["date", "fund", "kind", "category", "amount", "description", "recorded_by"]
    list_filter = ["kind", "category", "fund"]
    list_select_related = ["fund", "recorded_by"]
    search_fields = ["description", "fund__name"]
    autocomplete_fields = ["fund", "recorded_by"]
    date_hierarchy = "date"


class InspectionInline(ExistingRowsInline):
    model = FacilityInspection
    fields = ["inspected_on", "condition", "notes", "inspected_by"]
    related_as_text = ("inspected_by",)
    select_related = ("inspected_by",)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    """Inspections are recorded on the facility's page, which keeps the condition in step."""

    list_display = [
        "name",
        "kind",
        "compound",
        "courtyard",
        "condition",
        "last_inspected",
        "inspection_count",
    ]
    list_filter = ["kind", "condition", "compound"]
    list_select_related = ["compound", "courtyard"]
    search_fields = ["name", "location", "compound__name"]
    autocomplete_fields = ["compound", "courtyard"]
    inlines = [InspectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(inspection_count=Count("inspections"))

    @admin.display(description=_("inspections"), ordering="inspection_count")
    def inspection_count(self, obj):
        return obj.inspection_count


@admin.register(FacilityInspection)
class FacilityInspectionAdmin(admin.ModelAdmin):
    list_display = ["facility", "inspected_on", "condition", "inspected_by"]
    list_filter = ["condition", "inspected_on"]
    list_select_related = ["facility", "inspected_by"]
    search_fields = ["facility__name", "notes"]
    autocomplete_fields = ["facility", "inspected_by"]
    date_hierarchy = "inspected_on"
