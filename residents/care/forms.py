import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from jinzang.forms import DateInput, ModelForm, PersonChoiceOne
from residents.care.selectors import visitor_choices
from residents.models import CareRecord
from residents.register.search import name_q


class CareRecordForm(ModelForm):
    class Meta:
        model = CareRecord
        fields = [
            "household",
            "circumstance",
            "needs",
            "visit_every_days",
            "responsible",
            "started_on",
            "ended_on",
            "end_reason",
        ]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"responsible": PersonChoiceOne}

    def __init__(self, *args, households, community_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].empty_label = None
        self.fields["responsible"].queryset = visitor_choices(community_id)


class CareFilter(django_filters.FilterSet):
    circumstance = django_filters.ChoiceFilter(
        label=_("circumstance"),
        choices=CareRecord.Circumstance.choices,
        empty_label=_("All"),
    )
    q = django_filters.CharFilter(label=_("name"), method="filter_name")

    class Meta:
        model = CareRecord
        fields = ["circumstance", "q"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_q(value, "resident__name"))
