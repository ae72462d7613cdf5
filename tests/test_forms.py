"""The checks every form shares (jinzang/forms.py): dates within a sane range of years, keys of
a multiple choice within the database's integers, and every form of the project using them."""

import importlib
import inspect
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser

import jinzang.forms
from jinzang.forms import DateField, DateTimeField, DateTimeInput, ModelMultipleChoiceField

APPS = ("residents", "committees", "meetings", "jinzang")


def project_classes(base):
    """Every subclass of `base` defined in the project's apps (migrations and commands aside)."""
    found = set()
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            for _name, cls in inspect.getmembers(importlib.import_module(module.name)):
                if (
                    inspect.isclass(cls)
                    and issubclass(cls, base)
                    and cls.__module__.startswith(APPS)
                ):
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORMS = project_classes(forms.BaseForm)
FILTERS = project_classes(django_filters.FilterSet)


def test_the_project_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"MeetingForm", "NoticeForm", "TermForm", "VisitForm", "FundEntryForm"} <= names
    assert {"MeetingFilter", "VisitFilter"} <= {cls.__name__ for cls in FILTERS}


@pytest.mark.parametrize("form", FORMS, ids=lambda cls: cls.__name__)
def test_every_date_field_of_every_form_keeps_to_the_years(form):
    for name, field in form.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field, DateTimeField), f"{form.__name__}.{name}"
        elif isinstance(field, forms.DateField):
            assert isinstance(field, DateField), f"{form.__name__}.{name}"


@pytest.mark.parametrize("form", FORMS, ids=lambda cls: cls.__name__)
def test_every_multiple_choice_of_rows_refuses_keys_past_the_integers(form):
    for name, field in form.base_fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, ModelMultipleChoiceField), f"{form.__name__}.{name}"


@pytest.mark.parametrize("form", FORMS, ids=lambda cls: cls.__name__)
def test_every_model_form_derives_from_the_shared_one(form):
    if issubclass(form, forms.ModelForm):
        assert issubclass(form, jinzang.forms.ModelForm)


@pytest.mark.parametrize("filterset", FILTERS, ids=lambda cls: cls.__name__)
def test_every_date_filter_keeps_to_the_years(filterset):
    for name, f in filterset.base_filters.items():
        if isinstance(f, django_filters.DateFilter):
            assert issubclass(f.field_class, DateField), f"{filterset.__name__}.{name}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (DateField(), "0001-01-01"),
        (DateField(), "1899-12-31"),
        (DateField(), "2201-01-01"),
        (DateField(), "9999-12-31"),
        (DateTimeField(), "0001-01-01T00:00"),
        (DateTimeField(), "9999-12-31T23:59"),
    ],
)
def test_a_date_outside_the_years_is_refused_with_a_message(field, value):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)

    assert refused.value.messages == ["Enter a date between the years 1900 and 2200."]


def test_dates_at_the_ends_of_the_years_are_accepted():
    assert DateField().clean("1900-01-01").year == 1900
    assert DateTimeField().clean("2200-12-31T23:59").year == 2200


def test_the_picker_is_told_the_years():
    field = DateTimeField(widget=DateTimeInput())

    assert field.widget.attrs["min"] == "1900-01-01T00:00"
    assert field.widget.attrs["max"] == "2200-12-31T23:59"


@pytest.mark.django_db
def test_a_model_form_of_a_date_time_refuses_year_one():
    from meetings.meetings.forms import MeetingForm

    form = MeetingForm(data={"starts_at": "0001-01-01T00:00"}, user=AnonymousUser())

    assert form.errors["starts_at"] == ["Enter a date between the years 1900 and 2200."]
