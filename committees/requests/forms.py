import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committees.models import (
    AllianceMember,
    Body,
    RequestCategory,
    RequestPhoto,
    ResidentRequest,
    Whistle,
)
from jinzang.forms import DateTimeField, DateTimeInput, ModelForm, ModelMultipleChoiceField
from residents.access import Access
from residents.models import Building, Community, Compound, Household, Membership, Resident, Unit
from residents.register.doors import household_by_door
from residents.validators import normalize_phone, validate_callback_phone


def resident_label(resident):
    """A resident as a choice: the name, and the year of birth to tell namesakes apart."""
    if resident.birth_year:
        return gettext("%(name)s (%(detail)s)") % {
            "name": resident.name,
            "detail": resident.birth_year,
        }
    return resident.name


class ReceiveForm(forms.Form):
    """A request as it is received. The raiser is chosen among the residents of the household
    given; the number to call back is kept as typed, and never looked up: the form must not
    tell whether a number is a resident's to someone who sees residents' numbers masked."""

    community = forms.ModelChoiceField(label=_("community"), queryset=Community.objects.none())
    category = forms.ModelChoiceField(label=_("category"), queryset=RequestCategory.objects.all())
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        help_text=ResidentRequest._meta.get_field("title").help_text,
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    compound = forms.ModelChoiceField(
        label=_("compound"), queryset=Compound.objects.none(), required=False
    )
    building = forms.ModelChoiceField(
        label=_("building"), queryset=Building.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("From the door number"),
        help_text=_("Units of a building repeat their door numbers: choose the unit."),
    )
    door_number = forms.CharField(
        label=_("door number"),
        max_length=30,
        required=False,
        help_text=_(
            "With the building and unit: the household the request is about. "
            "Also as unit-door (2-301) or building-unit-door (18-2-301)."
        ),
    )
    raised_by = forms.ModelChoiceField(
        label=_("raised by"),
        queryset=Resident.objects.none(),
        required=False,
        empty_label=_("Not on the register, or anonymous"),
        help_text=_("A resident of the household: give its building, unit and door first."),
    )
    callback_phone = forms.CharField(
        label=_("phone to call back"),
        # the length is checked once spaces, dashes and +86 are taken out
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=ResidentRequest._meta.get_field("callback_phone").help_text,
    )
    shared_place = forms.CharField(
        label=_("shared place"),
        max_length=100,
        required=False,
        help_text=ResidentRequest._meta.get_field("shared_place").help_text,
    )
    # Staff receive a request by visit, phone, meeting or in person; "online" is the
    # resident's own form (MyRequestForm).
    received_through = forms.ChoiceField(
        label=_("received through"),
        choices=[
            (value, label)
            for value, label in ResidentRequest.Channel.choices
            if value != ResidentRequest.Channel.ONLINE
        ],
    )
    received_at = DateTimeField(label=_("received at"), widget=DateTimeInput())
    handling_body = forms.ModelChoiceField(
        label=_("handling body"), queryset=Body.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = Community.objects.filter(
            Access.of(user).community_q("pk")
        )
        self.fields["community"].empty_label = None
        self.fields["compound"].queryset = Compound.objects.visible_to(user)
        self.fields["building"].queryset = Building.objects.visible_to(user).select_related(
            "compound"
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.compound.name} {b}"
        self.fields["handling_body"].queryset = Body.objects.manageable_by(user).active()
        building = self._given("building")
        if building is not None:
            self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(building=building)
        # The residents of the household given (posted, or asked for by the page when the
        # building, the unit or the door changes): names the user sees on the household's
        # page anyway.
        household = self._household_given()
        if household is not None:
            self.fields["raised_by"].queryset = Resident.objects.filter(
                memberships__household=household
            ).order_by("name", "pk")
        self.fields["raised_by"].label_from_instance = resident_label
        # The choices of the unit and of the raiser follow the place, without leaving the
        # page: a new building brings its units, any change the household's residents.
        refresh = {
            "hx-get": reverse("requests:receive"),
            "hx-trigger": "change",
            "hx-include": "#id_compound, #id_building, #id_unit, #id_door_number",
            "hx-select": "#id_raised_by",
            "hx-target": "#id_raised_by",
            "hx-swap": "outerHTML",
        }
        self.fields["building"].widget.attrs.update(
            refresh, **{"hx-select": "#id_unit", "hx-target": "#id_unit"}
        )
        self.fields["building"].widget.attrs["hx-select-oob"] = "#id_raised_by"
        self.fields["unit"].widget.attrs.update(refresh)
        self.fields["door_number"].widget.attrs.update(refresh)

    def _given(self, name):
        """The cleaned value of field `name` as posted or asked for; None if it is not valid."""
        source = self.data if self.is_bound else self.initial
        try:
            return self.fields[name].clean(source.get(name))
        except forms.ValidationError:
            return None

    def _household_given(self):
        """The household of the place given, among those the user may see; None if the
        place names none, or several."""
        source = self.data if self.is_bound else self.initial
        door = str(source.get("door_number") or "").strip()
        if not door:
            return None
        try:
            return household_by_door(
                Household.objects.visible_to(self.user),
                text=door,
                compound=self._given("compound"),
                building=self._given("building"),
                unit=self._given("unit"),
            )
        except forms.ValidationError:
            return None

    def clean_callback_phone(self):
        phone = normalize_phone(self.cleaned_data["callback_phone"])
        if phone:
            validate_callback_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        door = data.pop("door_number", "")
        unit = data.pop("unit", None)
        data["household"] = None
        if door:
            try:
                data["household"] = household_by_door(
                    Household.objects.visible_to(self.user),
                    text=door,
                    compound=data.get("compound"),
                    building=data.get("building"),
                    unit=unit,
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
            else:
                data["building"] = data["household"].unit.building
        elif unit is not None:
            self.add_error(
                "door_number", _("Give the door number as well, or leave the unit empty.")
            )
        compound, building = data.get("compound"), data.get("building")
        if building is not None:
            data["compound"] = compound = compound or building.compound
            if building.compound_id != compound.pk:
                self.add_error("building", _("The building must be in the compound."))
        if not compound and not data.get("shared_place"):
            raise forms.ValidationError(_("Say where: a compound or a facility."))
        community = data.get("community")
        if compound and community and compound.community_id != community.pk:
            self.add_error("compound", _("The compound must belong to the community."))
        return data


class MyRequestForm(forms.Form):
    """A problem a resident raises from their own page (the residents' door), about one of
    the households they belong to. `correct` (a key of residents.door.corrections) prefills
    a request for a correction to the register."""

    household = forms.ModelChoiceField(
        label=_("Which home"), queryset=Household.objects.none(), empty_label=None
    )
    category = forms.ModelChoiceField(
        label=_("What kind of problem"), queryset=RequestCategory.objects.all()
    )
    title = forms.CharField(
        label=_("The problem in a few words"),
        max_length=200,
        help_text=_("For example: the stairway light on the third floor is broken."),
    )
    description = forms.CharField(
        label=_("Tell us more"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    shared_place = forms.CharField(
        label=_("Where, if not in your home"),
        max_length=100,
        required=False,
        help_text=_("For example: the bicycle shed, or the fitness area."),
    )
    callback_phone = forms.CharField(
        label=_("A number to call you back on"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Leave it empty and the committee calls the number the register holds."),
    )
    public = forms.BooleanField(
        label=_(
            "Once it is solved, others may read the problem and the reply on the page of "
            "solved problems (without your name or door number)."
        ),
        required=False,
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        # Short enough for a phone's select: 庆丰小区 18-2-301.
        self.fields["household"].label_from_instance = lambda h: (
            f"{h.unit.building.compound.name} {h.unit.building.number}-{h.unit.number}-"
            f"{h.door_number}"
        )

    def clean_callback_phone(self):
        phone = normalize_phone(self.cleaned_data["callback_phone"])
        if phone:
            validate_callback_phone(phone)
        return phone


class StepForm(forms.Form):
    """The form of a step of the workflow (workflow.STEPS), made for the request it moves."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident_request = request


class NoteForm(StepForm):
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AcceptForm(NoteForm):
    handling_body = forms.ModelChoiceField(
        label=_("handling body"), queryset=Body.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_body"].queryset = Body.objects.active().filter(
            community=self.resident_request.community_id
        )


class ResolveForm(NoteForm):
    reply = forms.CharField(
        label=_("reply to the resident"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=ResidentRequest._meta.get_field("reply").help_text,
    )
    field_order = ["reply", "note"]


class CloseForm(StepForm):
    reason = forms.CharField(
        label=_("reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WhistleForm(forms.Form):
    """Who is called to report. Party members are chosen by name among the request's
    community's party members in the user's part, never typed as phone numbers: the form
    must not tell whether a number is a resident's."""

    level = forms.ChoiceField(label=_("level"), choices=Whistle.Level.choices)
    alliance_members = ModelMultipleChoiceField(
        label=_("alliance members"),
        queryset=AllianceMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    party_members = ModelMultipleChoiceField(
        label=_("party members"),
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Party members on the register, called by the party branch's whistle."),
    )
    departments = forms.CharField(
        label=_("departments"),
        required=False,
        help_text=_("One per line: government departments that are not alliance members."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["alliance_members"].queryset = AllianceMember.objects.filter(
            community=request.community_id
        )
        in_community = Membership.objects.filter(
            household__unit__building__compound__community=request.community_id
        ).values("resident")
        # Party membership is shown only to those who may see personal information (the
        # README's "Who sees what"): the community's staff call party members; others
        # cannot list them.
        if Access.of(user).can_see_personal_in(request.community_id):
            self.fields["party_members"].queryset = (
                Resident.objects.visible_to(user)
                .filter(is_party_member=True, pk__in=in_community)
                .order_by("name", "pk")
            )
        else:
            del self.fields["party_members"]
        if "party_members" in self.fields:
            self.fields["party_members"].label_from_instance = resident_label

    def clean(self):
        data = super().clean()
        data["residents"] = list(data.pop("party_members", None) or [])
        data["departments"] = [
            d.strip() for d in data.get("departments", "").splitlines() if d.strip()
        ]
        return data


class ReportForm(forms.Form):
    action = forms.CharField(
        label=_("what they did"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PhotoForm(ModelForm):
    class Meta:
        model = RequestPhoto
        fields = ["file", "caption"]


class RequestFilter(django_filters.FilterSet):
    """The queue's filters. With no status chosen the queue holds the requests still open:
    resolved and closed ones are asked for by their status, or by "all"."""

    ALL = "all"

    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[*ResidentRequest.Status.choices, (ALL, _("All, done and closed included"))],
        empty_label=_("Still open"),
        method="filter_status",
    )
    compound = django_filters.ModelChoiceFilter(
        label=_("compound"), queryset=Compound.objects.none()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=RequestCategory.objects.all()
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue"),
        field_name="is_overdue",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = ResidentRequest
        fields = ["status", "compound", "category", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["compound"].queryset = Compound.objects.visible_to(user)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        return queryset if value == self.ALL else queryset.filter(status=value)
