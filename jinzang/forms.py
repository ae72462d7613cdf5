"""Form helpers every app shares."""


def form_errors_from(form, error) -> None:
    """Put a ValidationError raised by a service onto the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
