from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits=1):
    """A share (Fraction, Decimal or float between 0 and 1) as a percentage: 76.8%."""
    if value in (None, ""):
        return ""
    share = Fraction(value) if not isinstance(value, Fraction) else value
    quantum = Decimal(1).scaleb(-int(digits))
    shown = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        quantum, rounding=ROUND_HALF_UP
    )
    return f"{number_format(shown, int(digits))}%"
