"""Validation of Chinese mainland mobile numbers and resident ID numbers."""

import datetime
import operator
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# A number to call back, once normalised: a mobile, a landline with its area code, or a
# number from abroad with its +.
CALLBACK_RE = re.compile(r"\+?[0-9]{5,15}")
ID_RE = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def normalize_phone(value: str) -> str:
    """Strip the spaces, dashes and +86 prefix people type around a mobile number."""
    value = re.sub(r"[\s\-()]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13 to 19, e.g. 13812345678."),
            code="invalid_mobile",
        )


def validate_callback_phone(value: str) -> None:
    """After normalize_phone: what is left of a number people type."""
    if not CALLBACK_RE.fullmatch(value):
        raise ValidationError(
            _(
                "Enter a phone number: a mobile such as 13812345678 or a landline such as "
                "0851-85551234."
            ),
            code="invalid_phone",
        )


def id_check_char(first17: str) -> str:
    total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(value: str) -> datetime.date | None:
    """The birth date encoded in digits 7 to 14 of an ID number, or None if it is not a date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, today: datetime.date | None = None) -> None:
    """`today` may be passed by a caller checking many numbers at once."""
    if not ID_RE.match(value):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits, then a digit or X."),
            code="invalid_id_format",
        )
    birth = id_birth_date(value)
    if birth is None or birth.year < 1900 or birth > (today or timezone.localdate()):
        raise ValidationError(
            _("Characters 7 to 14 of the ID number are not a valid birth date."),
            code="invalid_id_birth_date",
        )
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _(
                "The last character of the ID number does not match its check digit; please check it."
            ),
            code="invalid_id_checksum",
        )


def mask_phone(value: str) -> str:
    """138****5678: enough to recognise a number without revealing it."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id_number(value: str) -> str:
    """5201**********123X."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(value: str) -> str:
    """李*玉, 王*, 欧**娜: the first and last characters of a name, the rest hidden, so
    that a letter found by someone else does not name its resident (docs/domain.md, "The
    residents' own door")."""
    value = (value or "").strip()
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
