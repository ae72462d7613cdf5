"""Database expressions every app shares."""

from decimal import Decimal

from django.db.models import DecimalField, Func


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
