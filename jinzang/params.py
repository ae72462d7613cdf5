"""Whole numbers from the query string or a form's raw data, read one way everywhere.

A parameter is a number only when it is ASCII digits and nothing else: no sign, no space,
no full-width digits, no decimal point. Anything else reads as absent, and never raises:
each page decides for itself whether an absent number is ignored (a filter) or is a 404 (a
page about one thing). A key past the database's range is a number like any other: looking
it up finds no row, so it reads as a key that does not exist.
"""


def whole_number(value: str | None, *, max_digits: int | None = None) -> int | None:
    """`value` as a whole number, or None when it is missing, malformed or has more than
    `max_digits` digits."""
    if not value or not (value.isascii() and value.isdigit()):
        return None
    if max_digits is not None and len(value) > max_digits:
        return None
    try:
        return int(value)
    except ValueError:  # longer than Python reads as a number (4,300 digits)
        return None


def int_param(query, name: str, default=None, *, max_digits: int | None = None):
    """The parameter `name` of `query` (request.GET, request.POST) as a whole number, or
    `default` when it is missing or is not one (see `whole_number`)."""
    number = whole_number(query.get(name), max_digits=max_digits)
    return default if number is None else number
