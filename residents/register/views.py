from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from jinzang.choices import labels as choice_labels
from jinzang.concurrency import EditConflict, form_show_conflict
from jinzang.forms import SubmitOnceMixin
from jinzang.history import history_changes, merged
from jinzang.links import url_maker
from jinzang.pagination import keyset_page, parse_key
from jinzang.permissions import RegisterAccessMixin, access_of
from jinzang.views import HistoryView
from residents.access import Disclosure
from residents.models import (
    Building,
    CareRecord,
    Compound,
    Household,
    Membership,
    PersonalDataReveal,
    Resident,
    Unit,
)
from residents.privacy import pipl
from residents.privacy.services import personal_data_reveal
from residents.register.forms import (
    ErasureForm,
    HouseholdForm,
    NewResidentForm,
    ResidentForm,
    RevealForm,
)
from residents.register.services import household_save, resident_add_to_household


class HomeView(RegisterAccessMixin, TemplateView):
    """The community at a glance: every compound the user may see, with its counts."""

    template_name = "residents/home.html"

    def dispatch(self, request, *args, **kwargs):
        # A resident's own account has its own pages (docs/domain.md, "The residents' own
        # door"): the site's front page, which a user without a role may not see, takes
        # them there. Asked only then, so that a kept page costs no more than before.
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            if access_of(request.user).account is None:
                raise
            return redirect("door:home")

    def get_context_data(self, **kwargs):
        user = self.request.user
        compounds = list(Compound.objects.visible_to(user).with_counts(user))
        totals = {
            key: sum(getattr(c, key) or 0 for c in compounds)
            for key in ("n_buildings", "n_units", "n_households", "total_area")
        }
        # A resident of households in two compounds counts once in the total.
        totals["n_residents"] = Resident.objects.visible_to(user).count()
        communities = {c.community for c in compounds}
        return super().get_context_data(
            compounds=compounds,
            totals=totals,
            community=communities.pop() if len(communities) == 1 else None,
            **kwargs,
        )


class CompoundDetailView(RegisterAccessMixin, DetailView):
    template_name = "residents/compound_detail.html"
    context_object_name = "compound"

    def get_queryset(self):
        return Compound.objects.visible_to(self.request.user).select_related("community")

    def get_context_data(self, **kwargs):
        buildings = (
            Building.objects.visible_to(self.request.user)
            .filter(compound=self.object)
            .select_related("courtyard")
            .with_counts()
            .order_by("courtyard__name", "number")
        )
        return super().get_context_data(
            buildings=buildings,
            can_print_letters=self.access.is_staff_of(self.object.community_id),
            **kwargs,
        )


class BuildingDetailView(RegisterAccessMixin, DetailView):
    template_name = "residents/building_detail.html"
    context_object_name = "building"

    def get_queryset(self):
        return Building.objects.visible_to(self.request.user).select_related(
            "compound", "courtyard"
        )

    def get_context_data(self, **kwargs):
        units = self.object.units.annotate(
            n_households=Count("households", distinct=True),
            n_residents=Count("households__memberships__resident", distinct=True),
        )
        return super().get_context_data(
            units=units,
            can_print_letters=self.access.is_staff_of(self.object.compound.community_id),
            **kwargs,
        )


class UnitDetailView(RegisterAccessMixin, DetailView):
    template_name = "residents/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).select_related(
            "building__compound", "building__courtyard"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            households=self.rows(),
            can_print_letters=self.access.is_staff_of(self.object.building.compound.community_id),
            **kwargs,
        )

    def rows(self) -> list[dict]:
        """The unit's households with their residents, as plain values in two queries, each
        link made from one `reverse()` and each label looked up once: model instances of
        every household, membership and resident, a reverse() and a translated label per
        row cost most of the page (measured: two thirds of its time)."""
        household_url = url_maker("residents:household")
        resident_url = url_maker("residents:resident")
        occupancy = choice_labels(Household.Occupancy.choices)
        relation = {
            value: _(" (%(detail)s)") % {"detail": label}
            for value, label in Membership.Relation.choices
        }
        residents = {}
        for household_id, resident_id, name, kind in (
            Membership.objects.filter(household__unit=self.object)
            .order_by("household", "relation", "resident__name")
            .values_list("household_id", "resident_id", "resident__name", "relation")
        ):
            residents.setdefault(household_id, []).append(
                {"url": resident_url(resident_id), "name": name, "relation": relation.get(kind)}
            )
        return [
            {
                "url": household_url(pk),
                "door_number": door,
                "area": area,
                "occupancy": kind,
                "occupancy_label": occupancy.get(kind, kind),
                "residents": residents.get(pk, ()),
            }
            for pk, door, area, kind in self.object.households.values_list(
                "pk", "door_number", "area", "occupancy"
            )
        ]


class HouseholdDetailView(RegisterAccessMixin, DetailView):
    template_name = "residents/household_detail.html"
    context_object_name = "household"

    def get_queryset(self):
        return Household.objects.visible_to(self.request.user).with_place()

    def get_context_data(self, **kwargs):
        memberships = self.object.memberships.select_related("resident")
        # Party membership and the changes are personal information: staff of the
        # household's community see them, committee members do not. The changes are
        # built only when opened (HouseholdHistoryView): they cost more than the page.
        personal = self.access.can_see_personal_in(self.object.unit.building.compound.community_id)
        history_url = reverse("residents:household_history", args=[self.object.pk])
        return super().get_context_data(
            memberships=memberships,
            history_url=history_url if personal else None,
            party_shown=personal,
            # Access letters open a resident's record: the community's staff print them.
            can_print_letters=personal,
            **kwargs,
        )


class HouseholdHistoryView(HistoryView):
    """The changes to a household and to its memberships (who joined or left, as what)."""

    def fetch_objects(self):
        self.subject = get_object_or_404(
            Household.objects.visible_to(self.request.user).with_place(), pk=self.kwargs["pk"]
        )

    def check_object_permissions(self):
        # The rule of the household's page (HouseholdDetailView).
        community = self.subject.unit.building.compound.community_id
        if not self.access.can_see_personal_in(community):
            raise PermissionDenied("changes of another community's household")

    def changes(self):
        return merged(
            history_changes(self.subject.history.all()),
            history_changes(
                Membership.history.filter(household_id=self.subject.pk).select_related("resident"),
                label=_membership_label,
            ),
        )


class ResidentHistoryView(HistoryView):
    """The changes to a resident's record."""

    def fetch_objects(self):
        self.subject = get_object_or_404(
            Resident.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def check_object_permissions(self):
        # The rule of the resident's page (ResidentDetailView.shows_personal).
        if not self.access.can_see_personal(self.subject):
            raise PermissionDenied("changes of another community's resident")

    def changes(self):
        return self.subject.history_changes()


def _membership_label(record):
    name = record.resident.name if record.resident else "?"
    if not record.relation:
        return name
    return _("%(name)s (%(detail)s)") % {
        "name": name,
        "detail": Membership.Relation(record.relation).label,
    }


class ResidentListView(RegisterAccessMixin, ListView):
    """Search by name, household (as the pages show it) or phone; htmx asks for the
    results alone. What a search may match is `ResidentQuerySet.search`'s to say.

    Pages go by keyset (`?after=` / `?before=` a resident's key): a deep page of a
    sub-district's 100,000 residents costs what the first does. The list's total is
    exact; a search's is counted up to `COUNT_LIMIT` only.
    """

    template_name = "residents/resident_list.html"
    context_object_name = "residents"
    COUNT_LIMIT = 1000
    FIELDS = ("name", "birth_year", "phone", "is_party_member", "is_volunteer")

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["residents/resident_list.html#results"]
        return [self.template_name]

    def get_queryset(self):
        user = self.request.user
        self.q = self.request.GET.get("q", "").replace("\x00", "").strip()[:50]
        households = Household.objects.visible_to(user)
        self.phone_households = self.access.personal_households()
        return (
            Resident.objects.visible_to(user)
            .search(
                self.q,
                households=households,
                phone_households=self.phone_households,
                # Numbers shown masked are found by the digits the mask shows.
                tail_households=households,
            )
            .only(*self.FIELDS)
        )

    def get_context_data(self, **kwargs):
        residents, total = self.object_list, None
        if self.q:
            # A search matches few residents, most often: their keys, found in one pass
            # over the table, give the count, and the page is ordered among them only.
            # Filtered inline, the database would rather walk the name index and test
            # each of 100,000 rows. Past the limit, matches are common and the index walk
            # finds a page of them quickly.
            keys = list(residents.order_by().values_list("pk", flat=True)[: self.COUNT_LIMIT + 1])
            total = len(keys)
            if total <= self.COUNT_LIMIT:
                residents = Resident.objects.filter(pk__in=keys).only(*self.FIELDS)
        page = keyset_page(
            residents,
            field="name",
            size=settings.PAGE_SIZE,
            anchors=Resident.objects.visible_to(self.request.user),
            after=parse_key(self.request.GET.get("after")),
            before=parse_key(self.request.GET.get("before")),
        )
        if total is None:
            # The whole list: an exact count is as cheap as a bounded one (measured on
            # seed_large's 100,000 residents, SQLite: 0.4 ms for an administrator, the
            # table's count; 21 ms for a community's staff, 24 ms counting to 1,000 only,
            # as both read the user's memberships first; 1 ms for a committee member) and the
            # overview counts the same. "More than 1,000" would hide a figure known cheaply.
            total = self.object_list.count()
        self.add_places(page.rows)
        return super().get_context_data(
            object_list=page.rows,
            page=page,
            total=total,
            # A search's total is bounded: past the limit it says "more than".
            count_limit=self.COUNT_LIMIT if self.q else None,
            q=self.q,
            # The hint promises what the search does for this user: whole numbers only
            # where they may see some in full.
            searches_whole_phones=self.phone_households is not None,
            **kwargs,
        )

    def add_places(self, residents):
        """Each resident's `url` and `places`: [(url, "庆丰小区 18-2-301", relation)] of
        the households the user may see, read as plain values in one query. Model
        instances of each membership, household, unit, building and compound cost more
        than the rest of the page (measured: half of its 30 ms)."""
        resident_url = url_maker("residents:resident")
        household_url = url_maker("residents:household")
        relations = choice_labels(Membership.Relation.choices)
        rows = (
            Membership.objects.visible_to(self.request.user)
            .filter(resident__in=[r.pk for r in residents])
            .order_by("resident_id", "pk")
            .values_list(
                "resident_id",
                "household_id",
                "household__unit__building__compound__name",
                "household__unit__building__number",
                "household__unit__number",
                "household__door_number",
                "relation",
                "household__unit__building__compound__community_id",
            )
        )
        places, communities = {}, []
        for resident_id, household_id, compound, building, unit, door, relation, community in rows:
            places.setdefault(resident_id, []).append(
                (
                    household_url(household_id),
                    f"{compound} {building}-{unit}-{door}",
                    relations.get(relation, relation),
                )
            )
            communities.append((resident_id, community))
        # The households read here are those of the user's part: what the register's rule
        # needs to tell whose party membership the user may be shown.
        disclosure = Disclosure.of_places(self.access, communities)
        for resident in residents:
            resident.url = resident_url(resident.pk)
            resident.places = places.get(resident.pk, ())
            resident.party_shown = resident.is_party_member and disclosure.party(resident.pk)


class ResidentDetailView(RegisterAccessMixin, DetailView):
    """A resident's page. Their full phone and ID numbers are not on it: staff who may see
    them ask for them (ResidentRevealView) with a reason, and each showing is logged."""

    template_name = "residents/resident_detail.html"
    context_object_name = "resident"
    revealed: tuple[str, ...] = ()

    def get_queryset(self):
        return Resident.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        memberships = Membership.objects.visible_to(self.request.user).with_place()
        memberships = memberships.filter(resident=self.object)
        show_personal = self.shows_personal
        care_records, reveals = [], []
        if show_personal:
            care_records = CareRecord.objects.visible_to(self.request.user).filter(
                resident=self.object
            )
            reveals = self.object.reveals.select_related("user")[:20]
        return super().get_context_data(
            memberships=memberships,
            show_personal=show_personal,
            party_shown=show_personal,
            revealed=self.revealed,
            reveal_reasons=PersonalDataReveal.Reason.choices,
            # Built when opened (ResidentHistoryView).
            history_url=reverse("residents:resident_history", args=[self.object.pk]),
            care_records=care_records,
            reveals=reveals,
            **kwargs,
        )

    @cached_property
    def shows_personal(self) -> bool:
        return self.access.can_see_personal(self.object)


class ResidentPersonalDataMixin(RegisterAccessMixin):
    """A resident whose personal data the user may see in full (staff of their community,
    administrators); a resident out of scope reads as 404, in scope but not staff as 403."""

    needs_personal_data = True

    def fetch_objects(self):
        self.resident = get_object_or_404(
            Resident.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def check_object_permissions(self):
        if not self.access.can_see_personal(self.resident):
            raise PermissionDenied("personal data of another community")


class ResidentRevealView(ResidentPersonalDataMixin, ResidentDetailView):
    """The resident's full numbers, asked for with a reason and logged: the resident's page
    again (or, for htmx, the numbers alone; the phone alone when asked from a request's
    page). A GET shows nothing: a showing is always a POST."""

    http_method_names = ["post"]

    def check_object_permissions(self):
        self.object = self.resident
        if not self.shows_personal:
            raise PermissionDenied("personal data of another community")

    def post(self, request, *args, **kwargs):
        form = RevealForm(request.POST)
        # Where the answer goes, even when the form is refused: the phone alone, or all.
        self.only = "phone" if request.POST.get("only") == "phone" else ""
        if form.is_valid():
            self.revealed = form.fields_shown()
            personal_data_reveal(
                user=request.user,
                residents=[self.resident],
                fields=self.revealed,
                path=request.path,
                reason=form.cleaned_data["reason"],
            )
        context = self.get_context_data(
            reveal_error=" ".join(form.errors.get("reason", [])),
            # htmx swaps the numbers in; the log below them, this showing included, too.
            log_out_of_band=bool(request.headers.get("HX-Request") and self.revealed),
        )
        return self.render_to_response(context)

    def get_template_names(self):
        if not self.request.headers.get("HX-Request"):
            return [self.template_name]
        if self.only == "phone":
            return ["residents/_phone_reveal.html"]
        return [f"{self.template_name}#numbers"]


class HouseholdFormView(SubmitOnceMixin, RegisterAccessMixin, FormView):
    """Create a household in a unit, or edit one."""

    template_name = "residents/household_form.html"
    form_class = HouseholdForm

    def fetch_objects(self):
        user = self.request.user
        self.household = None
        if "household_pk" in self.kwargs:
            self.household = get_object_or_404(
                Household.objects.visible_to(user).with_place(), pk=self.kwargs["household_pk"]
            )
            self.unit = self.household.unit
        else:
            self.unit = get_object_or_404(
                Unit.objects.visible_to(user).select_related("building__compound"),
                pk=self.kwargs["unit_pk"],
            )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.unit, "instance": self.household}

    def form_valid(self, form):
        try:
            household = household_save(
                household=form.save(commit=False), version=form.cleaned_data.get("version")
            )
        except EditConflict as conflict:
            form_show_conflict(form, conflict)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Household %(door)s saved.") % {"door": household.door_number}
        )
        return redirect(household)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, household=self.household, **kwargs)


class ResidentFormView(SubmitOnceMixin, RegisterAccessMixin, FormView):
    """Add a resident to a household, or edit a resident."""

    template_name = "residents/resident_form.html"

    def fetch_objects(self):
        user = self.request.user
        self.resident = self.household = None
        if "resident_pk" in self.kwargs:
            self.resident = get_object_or_404(
                Resident.objects.visible_to(user), pk=self.kwargs["resident_pk"]
            )
        else:
            self.household = get_object_or_404(
                Household.objects.visible_to(user).with_place(), pk=self.kwargs["household_pk"]
            )
        # A new resident joins the household's community, where its staff keep personal data.
        self.show_personal = (
            self.access.can_see_personal(self.resident)
            if self.resident
            else self.access.can_see_personal_in(self.household.unit.building.compound.community_id)
        )

    def get_form_class(self):
        return ResidentForm if self.resident else NewResidentForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.resident,
            "show_personal": self.show_personal,
            "user": self.request.user,
            "where": self.request.path,
        }

    def form_valid(self, form):
        if self.household is not None:
            resident = form.save(commit=False)
            resident_add_to_household(
                resident=resident, household=self.household, relation=form.cleaned_data["relation"]
            )
        else:
            resident = form.save()
        messages.success(self.request, _("%(name)s saved.") % {"name": resident.name})
        return redirect(resident)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            resident=self.resident,
            household=self.household,
            show_personal=self.show_personal,
            **kwargs,
        )


class ResidentExportView(ResidentPersonalDataMixin, View):
    """Everything held on one resident, as a JSON file (a PIPL access request)."""

    def get(self, request, *args, **kwargs):
        body = pipl.resident_export_json(resident=self.resident, by=request.user)
        personal_data_reveal(user=request.user, residents=[self.resident], path=request.path)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="resident-{self.resident.pk}.json"'
        return response


class ResidentEraseView(ResidentPersonalDataMixin, FormView):
    """Erase a resident's personal data on their request, after a confirmation."""

    template_name = "residents/resident_erase.html"
    form_class = ErasureForm

    def form_valid(self, form):
        try:
            pipl.resident_erase(
                resident=self.resident, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The resident's personal data has been erased."))
        return redirect("residents:resident", pk=self.resident.pk)

    def get_context_data(self, **kwargs):
        erased = hasattr(self.resident, "erasure")
        return super().get_context_data(resident=self.resident, erased=erased, **kwargs)
