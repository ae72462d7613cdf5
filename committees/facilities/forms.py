from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Facility
from jinzang.forms import DateField, DateInput
from residents.models import Compound


class InspectionForm(forms.Form):
    inspected_on = DateField(label=_("inspected on"), widget=DateInput())
    condition = forms.ChoiceField(label=_("condition found"), choices=Facility.Condition.choices)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ReportBrokenForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("condition"),
        choices=[
            (Facility.Condition.BROKEN, Facility.Condition.BROKEN.label),
            (Facility.Condition.OUT_OF_SERVICE, Facility.Condition.OUT_OF_SERVICE.label),
        ],
    )
    title = forms.CharField(
        label=_("title"),
        max_length=200,
        required=False,
        help_text=_("Empty: “<facility> is broken”. No names, no door numbers."),
    )
    description = forms.CharField(
        label=_("what is broken"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class FacilityFilter(forms.Form):
    compound = forms.ModelChoiceField(
        label=_("compound"), queryset=Compound.objects.none(), required=False
    )
    condition = forms.ChoiceField(
        label=_("condition"),
        choices=[("", _("All")), *Facility.Condition.choices],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = Compound.objects.visible_to(user)
        self.fields["compound"].empty_label = _("All")
