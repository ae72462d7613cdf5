import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from jinzang.forms import DateTimeInput, ModelMultipleChoiceField
from residents.models import Access, Building, Community, Compound, Household, Resident
from residents.validators import normalize_phone

from .models import AllianceMember, Body, RequestCategory, RequestPhoto, ResidentRequest, Whistle


class ReceiveForm(forms.Form):
    """A request as it is received; the raiser is found by phone number in the user's scope."""

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
    door_number = forms.CharField(
        label=_("door number"),
        max_length=20,
        required=False,
        help_text=_("With the building: the household the request is about."),
    )
    shared_place = forms.CharField(
        label=_("shared place"),
        max_length=100,
        required=False,
        help_text=ResidentRequest._meta.get_field("shared_place").help_text,
    )
    raiser_phone = forms.CharField(
        label=_("resident's mobile phone"),
        max_length=11,
        required=False,
        help_text=_("Links the request to the resident on the register; empty: anonymous."),
    )
    received_through = forms.ChoiceField(
        label=_("received through"), choices=ResidentRequest.Channel.choices
    )
    received_at = forms.DateTimeField(label=_("received at"), widget=DateTimeInput())
    handling_body = forms.ModelChoiceField(
        label=_("handling body"), queryset=Body.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        access = Access.of(user)
        communities = Community.objects.all()
        if not access.is_admin:
            communities = communities.filter(pk__in=access.community_ids)
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        self.fields["compound"].queryset = Compound.objects.visible_to(user)
        self.fields["building"].queryset = Building.objects.visible_to(user).select_related(
            "compound"
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.compound.name} {b}"
        self.fields["handling_body"].queryset = Body.objects.manageable_by(user).active()

    def clean(self):
        data = super().clean()
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
        door = data.pop("door_number", "")
        data["household"] = None
        if door:
            if building is None:
                self.add_error("door_number", _("Choose the building first."))
            else:
                data["household"] = (
                    Household.objects.visible_to(self.user)
                    .filter(unit__building=building, door_number=door)
                    .select_related("unit__building__compound")
                    .first()
                )
                if data["household"] is None:
                    self.add_error("door_number", _("No such door in this building."))
        phone = data.pop("raiser_phone", "")
        data["raised_by"] = None
        if phone:
            data["raised_by"] = Resident.objects.visible_to(self.user).filter(phone=phone).first()
            if data["raised_by"] is None:
                self.add_error(
                    "raiser_phone", _("No resident with this phone number in your part.")
                )
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AcceptForm(NoteForm):
    handling_body = forms.ModelChoiceField(
        label=_("handling body"), queryset=Body.objects.none(), required=False
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_body"].queryset = Body.objects.active().filter(
            community=request.community_id
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


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for closing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WhistleForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), choices=Whistle.Level.choices)
    alliance_members = ModelMultipleChoiceField(
        label=_("alliance members"),
        queryset=AllianceMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    party_member_phones = forms.CharField(
        label=_("party members' mobile phones"),
        required=False,
        help_text=_("One per line: party members on the register."),
        widget=forms.Textarea(attrs={"rows": 2}),
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

    def clean(self):
        data = super().clean()
        phones = [
            normalize_phone(p)
            for p in data.pop("party_member_phones", "").splitlines()
            if p.strip()
        ]
        data["residents"] = list(Resident.objects.visible_to(self.user).filter(phone__in=phones))
        if len(data["residents"]) != len(set(phones)):
            self.add_error(
                "party_member_phones", _("Some phone numbers match no resident in your part.")
            )
        data["departments"] = [
            d.strip() for d in data.get("departments", "").splitlines() if d.strip()
        ]
        return data


class ReportForm(forms.Form):
    action = forms.CharField(
        label=_("what they did"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PhotoForm(forms.ModelForm):
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
