"""Database expressions every app shares."""

from decimal import Decimal

from django.db.models import DateField, DecimalField, DurationField, Func


class Quantized(Func):
    """A decimal computed in the database (a sum, a difference), returned to a fixed number
    of places: SQLite adds decimals as floats, so 0.1 + 0.2 comes back as
    0.300000000000000; quantizing to the field's places gives 0.30 on every database."""

    template = "%(expressions)s"

    def __init__(self, expression, *, max_digits=14, decimal_places=2, **extra):
        super().__init__(
            expression,
            output_field=DecimalField(max_digits=max_digits, decimal_places=decimal_places),
            **extra,
        )
        self.step = Decimal(1).scaleb(-decimal_places)

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), self.quantize]

    def quantize(self, value, expression, connection):
        return None if value is None else Decimal(value).quantize(self.step)


class MonthOf(Func):
    """The first day of the month of a DateField, computed natively: Django's TruncMonth
    calls a Python function row by row on SQLite, which made grouping a year of 40,000
    rows by month take half a second. Dates only: the month of a DateTimeField depends
    on the time zone."""

    template = "CAST(date_trunc('month', CAST(%(expressions)s AS timestamp)) AS date)"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a date as its ISO text, "2026-11-26".
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 8) || '01'")


class Hours(Func):
    """A whole number of hours as a duration, for date arithmetic in the database."""

    template = "(%(expressions)s * INTERVAL '1 hour')"
    output_field = DurationField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps durations as microseconds.
        return self.as_sql(compiler, connection, template="(%(expressions)s * 3600000000)", **extra)
