from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from jinzang.admin import AddRowsInline, ExistingRowsInline
from residents.models import (
    AccessGrant,
    AccessLetter,
    Building,
    CareRecord,
    Community,
    Compound,
    Courtyard,
    ErasureRecord,
    Household,
    LetterPrinting,
    Membership,
    OwnerRoll,
    OwnerRollEntry,
    PersonalDataReveal,
    Resident,
    ResidentAccount,
    SmsSignInCode,
    Unit,
)
from residents.privacy.services import personal_data_reveal
from residents.register.search import parse
from residents.validators import mask_id_number, mask_phone


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "sub_district", "compound_count"]
    search_fields = ["name", "district", "sub_district"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(compound_count=Count("compounds"))

    @admin.display(description=_("compounds"), ordering="compound_count")
    def compound_count(self, obj):
        return obj.compound_count


class CourtyardInline(admin.TabularInline):
    model = Courtyard
    extra = 0


@admin.register(Compound)
class CompoundAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "built", "building_count"]
    list_filter = ["community"]
    list_select_related = ["community"]
    search_fields = ["name"]
    autocomplete_fields = ["community"]
    inlines = [CourtyardInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_count=Count("buildings"))

    @admin.display(description=_("buildings"), ordering="building_count")
    def building_count(self, obj):
        return obj.building_count


@admin.register(Courtyard)
class CourtyardAdmin(admin.ModelAdmin):
    list_display = ["name", "compound"]
    list_filter = ["compound"]
    list_select_related = ["compound"]
    search_fields = ["name", "compound__name"]
    autocomplete_fields = ["compound"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "compound", "courtyard", "floors", "unit_count"]
    list_filter = ["compound", "courtyard"]
    list_select_related = ["compound", "courtyard"]
    search_fields = ["number", "compound__name"]
    autocomplete_fields = ["compound", "courtyard"]
    inlines = [UnitInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_count=Count("units"))

    @admin.display(description=_("units"), ordering="unit_count")
    def unit_count(self, obj):
        return obj.unit_count


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building", "compound", "household_count"]
    list_filter = ["building__compound"]
    list_select_related = ["building__compound"]
    search_fields = ["number", "building__number", "building__compound__name"]
    autocomplete_fields = ["building"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(household_count=Count("households"))

    @admin.display(description=_("compound"), ordering="building__compound__name")
    def compound(self, obj):
        return obj.building.compound

    @admin.display(description=_("households"), ordering="household_count")
    def household_count(self, obj):
        return obj.household_count


class PlaceSearchMixin:
    """The admin's search (and the autocompletes it serves) also reads a household's place
    as the pages show it, 18-2-301 or 庆丰小区18栋2单元301 (residents.register.search), which
    `search_fields` alone, matching each word in some field, never finds."""

    place_search_path = "household__"  # from the listed model to its household

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        places = parse(search_term).places_q(self.place_search_path)
        if places is not None:
            results |= queryset.filter(places)
        return results, may_have_duplicates


class MembershipInline(ExistingRowsInline):
    model = Membership
    fields = ["resident", "household", "relation"]
    related_as_text = ("resident", "household")
    select_related = ("resident", "household__unit__building__compound")


class NewMembershipInline(AddRowsInline):
    model = Membership
    autocomplete_fields = ["resident", "household"]
    verbose_name_plural = _("add household memberships")


# The import and export are the staff pages' (residents.imports.importer holds the rules): the
# household and resident lists link to them.
SPREADSHEET_CHANGE_LIST = "admin/residents/spreadsheet_change_list.html"


@admin.register(Household)
class HouseholdAdmin(PlaceSearchMixin, SimpleHistoryAdmin):
    change_list_template = SPREADSHEET_CHANGE_LIST
    place_search_path = ""
    list_display = ["door_number", "unit", "building", "compound", "area", "occupancy"]
    list_filter = ["occupancy", "unit__building__compound"]
    list_select_related = ["unit__building__compound"]
    search_fields = ["door_number", "unit__building__number", "unit__building__compound__name"]
    autocomplete_fields = ["unit"]
    inlines = [MembershipInline, NewMembershipInline]

    def get_queryset(self, request):
        # str(household) names its compound: autocomplete lists need it joined too.
        return super().get_queryset(request).select_related("unit__building__compound")

    @admin.display(description=_("building"), ordering="unit__building__number")
    def building(self, obj):
        return obj.unit.building

    @admin.display(description=_("compound"), ordering="unit__building__compound__name")
    def compound(self, obj):
        return obj.unit.building.compound


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    change_list_template = SPREADSHEET_CHANGE_LIST
    list_display = [
        "name",
        "gender",
        "birth_year",
        "masked_phone",
        "is_party_member",
        "is_volunteer",
    ]
    list_filter = ["gender", "is_party_member", "is_volunteer"]
    search_fields = ["name", "phone", "id_number"]
    inlines = [MembershipInline, NewMembershipInline]
    list_per_page = settings.PAGE_SIZE  # as the register's own list

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def get_search_results(self, request, queryset, search_term):
        # Besides a part of a name or number (search_fields), what the pages show: a phone
        # number with spaces or dashes, masked, a household's place (residents.register.search).
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        query = parse(search_term)
        if query.phone or query.places:
            results |= queryset.search(search_term, phone_households=Household.objects.all())
        return results, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The change form holds the full numbers: the showing is logged like any other.
        if request.method == "GET" and response.status_code == 200:
            resident = response.context_data.get("original") if response.context_data else None
            if resident is not None:
                personal_data_reveal(user=request.user, residents=[resident], path=request.path)
        return response

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedNumbersContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        # An earlier version's form holds its full numbers (to revert to): logged as the
        # change form is.
        if request.method == "GET" and response.status_code == 200:
            version = Resident.history.filter(id=unquote(object_id), history_id=version_id).first()
            if version is not None and Resident.objects.filter(pk=version.id).exists():
                personal_data_reveal(
                    user=request.user, residents=[version.instance], path=request.path
                )
        return response


class MaskedNumbersContextHelper(HistoricalRecordContextHelper):
    """A resident's history list shows changed phone and ID numbers masked: it tells who
    changed what; a version's own page holds the full numbers, and that showing is logged."""

    MASKS = {"phone": mask_phone, "id_number": mask_id_number}

    def prepare_delta_change_value(self, change, value):
        if change.field in self.MASKS:
            return self.MASKS[change.field](value or "")
        return super().prepare_delta_change_value(change, value)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log: nobody adds, changes or deletes its rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "user",
        "kind",
        "resident",
        "resident_count",
        "fields",
        "reason",
        "path",
    ]
    list_filter = ["kind", "reason", "fields"]
    list_select_related = ["user", "resident"]
    search_fields = ["resident__name", "user__username", "path"]
    date_hierarchy = "at"


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "resident", "erased_by", "history_rows"]
    list_select_related = ["resident", "erased_by"]
    search_fields = ["reason", "erased_by__username"]
    date_hierarchy = "erased_at"


class AccessLetterInline(admin.TabularInline):
    """A printing's letters, read only: the codes were printed and never kept (only their
    digests are, and the admin shows none of it)."""

    model = AccessLetter
    fields = ["resident", "household", "purpose", "expires_at", "used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("resident", "household__unit__building__compound")
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LetterPrinting)
class LetterPrintingAdmin(ReadOnlyAdmin):
    """The log of printings: who printed letters for which place, when."""

    list_display = ["printed_at", "printed_by", "place", "paper", "letter_count"]
    list_filter = ["paper"]
    list_select_related = ["printed_by"]
    search_fields = ["place", "printed_by__username"]
    date_hierarchy = "printed_at"
    inlines = [AccessLetterInline]


@admin.register(AccessLetter)
class AccessLetterAdmin(ReadOnlyAdmin):
    """Read only: letters are printed and revoked on the household's letters page. No code
    is shown, nor its digest."""

    list_display = ["resident", "household", "purpose", "state", "expires_at", "printing"]
    list_filter = ["purpose", "printing__paper"]
    list_select_related = [
        "resident",
        "household__unit__building__compound",
        "printing__printed_by",
    ]
    search_fields = ["resident__name", "household__door_number"]
    fields = [
        "resident",
        "household",
        "purpose",
        "printing",
        "expires_at",
        "used_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields
    date_hierarchy = "expires_at"

    @admin.display(description=_("state"))
    def state(self, obj):
        return AccessLetter.State(obj.state()).label


@admin.register(ResidentAccount)
class ResidentAccountAdmin(SimpleHistoryAdmin):
    """A resident's own account: bound by a letter, never made here. Its sign-in phone may
    be corrected; deleting the account ends it (the user stays, without access)."""

    list_display = ["user", "resident", "masked_phone", "bound_at"]
    list_select_related = ["user", "resident"]
    search_fields = ["user__username", "resident__name"]
    fields = ["user", "resident", "phone", "letter", "bound_at"]
    readonly_fields = ["user", "resident", "letter", "bound_at"]
    date_hierarchy = "bound_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("sign-in phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(Membership)
class MembershipAdmin(PlaceSearchMixin, SimpleHistoryAdmin):
    list_display = ["resident", "relation", "household"]
    list_filter = ["relation"]
    list_select_related = ["resident", "household__unit__building__compound"]
    search_fields = ["resident__name", "household__door_number"]
    autocomplete_fields = ["resident", "household"]


@admin.register(AccessGrant)
class AccessGrantAdmin(SimpleHistoryAdmin):
    """Read only: grants follow seats on the bodies (committees), which create and end them."""

    list_display = [
        "user",
        "role",
        "community",
        "compound",
        "courtyard",
        "reason",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["role", "community", "compound"]
    list_select_related = ["user", "community", "compound", "courtyard"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "reason"]
    autocomplete_fields = ["user", "community", "compound", "courtyard"]
    date_hierarchy = "starts_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OwnerRollEntryInline(admin.TabularInline):
    model = OwnerRollEntry
    extra = 0
    fields = ["owner_key", "household", "area"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("household__unit__building__compound")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OwnerRoll)
class OwnerRollAdmin(admin.ModelAdmin):
    """Frozen denominators of owners' votes: readable, never edited."""

    list_display = ["__str__", "created_at", "entry_count"]
    readonly_fields = ["created_at", "description"]
    inlines = [OwnerRollEntryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("households"), ordering="entry_count")
    def entry_count(self, obj):
        return obj.entry_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CareRecord)
class CareRecordAdmin(PlaceSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "resident",
        "circumstance",
        "household",
        "started_on",
        "ended_on",
        "responsible",
    ]
    list_filter = ["circumstance", "community", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["resident", "responsible", "household__unit__building__compound"]
    search_fields = ["resident__name", "needs"]
    autocomplete_fields = ["resident", "household", "responsible"]
    date_hierarchy = "started_on"


@admin.register(SmsSignInCode)
class SmsSignInCodeAdmin(ReadOnlyAdmin):
    """When a sign-in code last went to an account's phone, and its wrong tries; never the
    code (only its digest is kept, and not shown)."""

    list_display = ["account", "sent_at", "expires_at", "tries"]
    list_select_related = ["account__user", "account__resident"]
    fields = ["account", "sent_at", "expires_at", "tries"]
    search_fields = ["account__resident__name", "account__user__username"]
