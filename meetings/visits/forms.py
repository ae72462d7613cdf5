import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import RequestCategory
from jinzang.forms import DateFilter, DateInput, ModelForm, PersonChoice
from meetings.models import ConsentRecord, Project, Purpose, Visit, VisitCampaign
from residents.care.selectors import visitor_choices
from residents.models import CareRecord, Compound, Courtyard


class VisitForm(ModelForm):
    """A visit, and optionally the consent answer given and a problem raised at the door."""

    consent_project = forms.ModelChoiceField(
        label=_("project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Record the household's answer on this project during the visit."),
    )
    consent_answer = forms.ChoiceField(
        label=_("answer"),
        choices=[("", "---------"), *ConsentRecord.Answer.choices],
        required=False,
    )
    contribution = forms.DecimalField(
        label=_("pledged amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    conditions = forms.CharField(label=_("conditions raised"), max_length=300, required=False)
    request_category = forms.ModelChoiceField(
        label=_("kind of problem"), queryset=RequestCategory.objects.all(), required=False
    )
    request_title = forms.CharField(
        label=_("problem raised"),
        max_length=200,
        required=False,
        help_text=_("Opens a request, received through this visit."),
    )
    request_description = forms.CharField(
        label=_("details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "purpose",
            "outcome",
            "notes",
            "visitors",
            "other_visitors",
            "campaign",
            "care_record",
        ]
        widgets = {
            "visited_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "visitors": forms.CheckboxSelectMultiple,
        }
        field_classes = {"visitors": PersonChoice}

    def __init__(self, *args, household, user, access, may_open_requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        community_id = household.unit.building.compound.community_id
        self.fields["visitors"].queryset = visitor_choices(community_id)
        self.fields["campaign"].queryset = self._covering_campaigns(user).current()
        staff = access.can_see_personal_in(community_id)
        purposes = Purpose.choices
        if staff:
            self.fields["care_record"].queryset = CareRecord.objects.visible_to(user).filter(
                household=household, ended_on__isnull=True
            )
        else:
            del self.fields["care_record"]
            purposes = [c for c in purposes if c[0] != Purpose.CARE]
        self.fields["purpose"].choices = purposes
        # Only the projects the user may record answers in (`Project.objects.recordable_by`).
        self.fields["consent_project"].queryset = (
            Project.objects.recordable_by(user)
            .filter(units=household.unit_id, status=Project.Status.COLLECTING)
            .distinct()
        )
        for name in ("campaign", "consent_project"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]
        if "consent_project" not in self.fields:
            for name in ("consent_answer", "contribution", "conditions"):
                del self.fields[name]
        if not may_open_requests:
            for name in ("request_category", "request_title", "request_description"):
                del self.fields[name]

    def _covering_campaigns(self, user):
        b = self.household.unit.building
        return VisitCampaign.objects.visible_to(user).filter(
            Q(community_id=b.compound.community_id, compound__isnull=True)
            | Q(compound_id=b.compound_id, courtyard__isnull=True)
            | Q(courtyard_id=b.courtyard_id)
        )

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be recorded in the future."))
        return day

    def clean(self):
        data = super().clean()
        if "consent_project" not in self.fields and self.data.get("consent_project"):
            # A post naming a project the form did not offer: refused, not ignored.
            raise forms.ValidationError(
                _("You may not record answers for this household's projects.")
            )
        if data.get("consent_project") and not data.get("consent_answer"):
            self.add_error("consent_answer", _("Choose the household's answer."))
        if data.get("consent_answer") and not data.get("consent_project"):
            self.add_error("consent_project", _("Choose the project the answer is for."))
        if data.get("request_title") and not data.get("request_category"):
            self.add_error("request_category", _("Choose the kind of problem."))
        return data


class CampaignForm(ModelForm):
    class Meta:
        model = VisitCampaign
        fields = [
            "title",
            "purpose",
            "goal",
            "starts_on",
            "ends_on",
            "compound",
            "courtyard",
            "project",
            "description",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["compound"].queryset = Compound.objects.visible_to(user)
        self.fields["courtyard"].queryset = Courtyard.objects.filter(
            compound__in=Compound.objects.visible_to(user)
        ).select_related("compound")
        self.fields["project"].queryset = Project.objects.visible_to(user)
        self.fields["purpose"].choices = [c for c in Purpose.choices if c[0] != Purpose.CARE]
        if not access.is_staff_role:
            self.fields["compound"].required = True

    def clean(self):
        data = super().clean()
        compound, courtyard = data.get("compound"), data.get("courtyard")
        if not self.access.serves(compound=compound, courtyard=courtyard):
            raise forms.ValidationError(
                _("You may only run campaigns in the part of the community you serve.")
            )
        return data


class VisitFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(
        label=_("purpose"), choices=Purpose.choices, empty_label=_("All")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("outcome"), choices=Visit.Outcome.choices, empty_label=_("All")
    )
    since = DateFilter(
        label=_("from"), field_name="visited_on", lookup_expr="gte", widget=DateInput()
    )
    until = DateFilter(
        label=_("to"), field_name="visited_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Visit
        fields = ["purpose", "outcome", "since", "until"]
