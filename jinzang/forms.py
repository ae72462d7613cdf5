"""Form helpers every app shares."""

from django import forms


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
