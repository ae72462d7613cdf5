import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.models import Body
from jinzang.forms import DateField, DateFilter, DateInput, DateTimeInput, ModelForm
from meetings.models import Action, AgendaItem, Meeting, OutsideParty
from residents.models import Resident


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "kind", "title", "starts_at", "ends_at", "place", "status"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.manageable_by(user).active()
        self.fields["body"].empty_label = None
        self.fields["kind"].choices = Meeting.Kind.choices
        self.fields["status"].choices = Meeting.Status.choices


class AttendeeForm(forms.Form):
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.all(), required=False, widget=forms.HiddenInput
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        widget=forms.HiddenInput,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            raise forms.ValidationError(
                _("Unknown attendee: pick someone from the search results.")
            )
        if not data.get("resident") and not data.get("user"):
            raise forms.ValidationError(
                _("Unknown attendee: pick someone from the search results.")
            )
        return data


class PartyForm(ModelForm):
    class Meta:
        model = OutsideParty
        fields = ["kind", "organisation", "name"]


class ItemForm(ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 4})}


class ItemEditForm(ItemForm):
    """An item's title and minutes, with the version the page showed (jinzang/concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    item = forms.ModelChoiceField(
        label=_("agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    signed_by = forms.CharField(
        label=_("signed by"),
        max_length=200,
        required=False,
        help_text=_("When the decision is an agreement: who signed it for the committee."),
    )

    def __init__(self, *args, meeting, **kwargs):
        # The record page shows this form next to the action's: ids of their own.
        kwargs.setdefault("auto_id", "decision_%s")
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()


class ActionForm(forms.Form):
    """An action's owner is one of the meeting's attendees or outside parties."""

    description = forms.CharField(label=_("action"), max_length=300)
    owner = forms.ChoiceField(label=pgettext_lazy("action", "owner"))
    due_on = DateField(label=_("due on"), widget=DateInput())
    item = forms.ModelChoiceField(
        label=_("agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting, attendees, parties, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["item"].queryset = meeting.items.all()
        choices = [("", "")]
        self.owners = {}
        for a in attendees:
            key = f"u{a.user_id}" if a.user_id else f"r{a.resident_id}"
            choices.append((key, a.display_name))
            self.owners[key] = (
                {"owner_user": a.user} if a.user_id else {"owner_resident": a.resident}
            )
        for p in parties:
            key = f"p{p.pk}"
            choices.append((key, str(p)))
            self.owners[key] = {"owner_party": p}
        self.fields["owner"].choices = choices
        self.fields["owner"].help_text = _(
            "Add attendees or outside parties first to choose them here."
        )

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status)


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    body = django_filters.ModelChoiceFilter(label=_("convening body"), queryset=Body.objects.none())
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Meeting.Kind.choices)
    date_from = DateFilter(
        label=_("from"), field_name="starts_at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = DateFilter(
        label=_("to"), field_name="starts_at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = Meeting
        fields = ["q", "body", "kind", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["body"].queryset = Body.objects.visible_to(user)

    def filter_q(self, queryset, name, value):
        return queryset.search(value.replace("\x00", "")[:100])
