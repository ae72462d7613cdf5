"""Form helpers every app shares."""

import re
import secrets

import django_filters
from django import forms
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.forms.renderers import DjangoTemplates
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jinzang.models import SubmittedForm
from jinzang.names import person_name

# Django's empty choice of a select box (ModelChoiceField.empty_label, BLANK_CHOICE_DASH).
DASHES = "---------"


class BoundField(forms.BoundField):
    """A field as a page shows it.

    Its label starts with a capital letter ("Note"), as Django writes a model field's
    verbose name; labels given to form fields are written in lowercase like verbose names,
    and formsets and hand-made layouts print them as given. A select box's empty choice
    says in words what it means instead of Django's "---------": choose one, or none.
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.label = capfirst(self.label)
        if getattr(field, "empty_label", None) == DASHES:
            field.empty_label = self.empty_choice()
        elif (
            isinstance(field, forms.ChoiceField)
            and isinstance(field.choices, list)
            and field.choices[:1] == [("", DASHES)]
        ):
            field.choices = [("", self.empty_choice()), *field.choices[1:]]

    def empty_choice(self):
        if self.field.required:
            return pgettext("the empty choice of a select box", "— choose —")
        return pgettext("the empty choice of a select box", "— none —")


class FormRenderer(DjangoTemplates):
    """Every form's renderer (settings.FORM_RENDERER), Django's admin included."""

    bound_field_class = BoundField


def form_errors_from(form, error) -> None:
    """Put a ValidationError raised by a service onto the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """A native date picker (phones show their own calendar)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# The years a form accepts: any the community's records need, and none at the edges of what
# Python's dates hold. Year 1 in Asia/Shanghai is before year 1 in UTC (an OverflowError on
# the way to the database), and a date near 9999 overflows on the first days added to it.
YEARS = range(1900, 2201)


class YearsMixin:
    """Refuses a date outside YEARS with a message, and tells the browser's picker."""

    default_error_messages = {
        "years": gettext_lazy("Enter a date between the years %(first)s and %(last)s."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value.year not in YEARS:
            raise forms.ValidationError(
                self.error_messages["years"],
                code="years",
                params={"first": YEARS[0], "last": YEARS[-1]},
            )
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        bounds = {
            "date": ("-01-01", "-12-31"),
            "datetime-local": ("-01-01T00:00", "-12-31T23:59"),
        }.get(getattr(widget, "input_type", None))
        if bounds:
            attrs.setdefault("min", f"{YEARS[0]}{bounds[0]}")
            attrs.setdefault("max", f"{YEARS[-1]}{bounds[1]}")
        return attrs


class DateField(YearsMixin, forms.DateField):
    pass


class DateTimeField(YearsMixin, forms.DateTimeField):
    pass


class DateFilter(django_filters.DateFilter):
    field_class = DateField


ONCE_TOKEN = re.compile(r"[0-9a-f]{32}")


class SubmitOnceMixin:
    """For a view that creates something from a form: the form carries a one-time token
    (made without the database), and the view claims it in the same transaction as the
    create. A second send of the same form finds the token taken, creates nothing and goes
    where the first one went, with a message. On PostgreSQL two sends racing each other
    meet at the token's unique index: the second waits for the first and is then refused."""

    once_field = "once"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[self.once_field] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if not form.is_bound:
            form.initial[self.once_field] = secrets.token_hex(16)
        return form

    def form_valid(self, form):
        # The token is the view's business, not the form's data: services take the rest.
        form.cleaned_data.pop(self.once_field, None)
        return super().form_valid(form)

    def post(self, request, *args, **kwargs):
        token = request.POST.get(self.once_field, "")
        if not ONCE_TOKEN.fullmatch(token):  # none, or not one the form made: no claim
            return super().post(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = SubmittedForm.objects.create(
                        token=token, user=request.user, path=request.path[:300]
                    )
            except IntegrityError:
                earlier = SubmittedForm.objects.filter(token=token, user=request.user).first()
                messages.info(
                    request, _("This form had already been sent: it was saved only once.")
                )
                return redirect((earlier and earlier.result_url) or request.path)
            response = super().post(request, *args, **kwargs)
            if response.status_code in (301, 302, 303):
                claim.result_url = response["Location"][:300]
                claim.save(update_fields=["result_url"])
            else:  # the form was refused: the same token may be sent again, corrected
                transaction.set_rollback(True)
            return response


# The range of a 64-bit primary key: Django filters `pk__in` with whatever was posted, and
# SQLite raises OverflowError (a 500) on an integer outside it.
PK_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a posted key outside the database's integer range as an
    invalid choice instead of letting the query fail."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else None
        field = field or self.queryset.model._meta.pk
        if field.get_internal_type().endswith(("AutoField", "IntegerField")):
            for pk in value:
                try:
                    out_of_range = int(str(pk).strip()) not in PK_RANGE
                except ValueError:
                    continue  # Django's own check reports it
                if out_of_range:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class PersonChoice(ModelMultipleChoiceField):
    """A choice of several accounts, each shown by its name as pages show it."""

    def label_from_instance(self, obj):
        return person_name(obj)


class PersonChoiceOne(forms.ModelChoiceField):
    """A choice of one account, shown by its name as pages show it."""

    def label_from_instance(self, obj):
        return person_name(obj)


def formfield(db_field, **kwargs):
    """A model field's form field, with the checks above: dates within YEARS, the keys of a
    multiple choice within the database's integers."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            attrs["Meta"] = type("Meta", (meta,), {"formfield_callback": formfield})
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=ModelFormMetaclass):
    """Django's ModelForm, its fields made by `formfield` (every form here derives from it)."""


class YearForm(forms.Form):
    """The year a page is asked for (`?year=`)."""

    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
