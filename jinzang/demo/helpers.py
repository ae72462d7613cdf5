"""What the demo's loaders share: moments on a day, register order, the demo's places
and accounts, percentages and the loaders' progress messages."""

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.utils import timezone

from jinzang.demo.story import COMMUNITY, DEMO_PASSWORD
from residents.models import Community, Compound, Courtyard, Household


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`hour:minute` on `day` in the project's time zone (Asia/Shanghai)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def number_key(text: str):
    """Sort "9" before "17"; numbers before anything else."""
    return (int(text), "") if text.isdigit() else (10**9, text)


def household_order(household: Household):
    """Register order: building, unit, door, by number."""
    unit = household.unit
    return (
        number_key(unit.building.number),
        number_key(unit.number),
        number_key(household.door_number),
    )


def percent(share: Fraction) -> str:
    """A share as a percentage with one decimal, "66.7%"."""
    value = Decimal(share.numerator) * 100 / Decimal(share.denominator)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def reporter(stdout) -> Callable[[str], None]:
    """A loader's `say`: writes a line to `stdout`, or nothing when there is none."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    return say


def account(username: str, **defaults) -> tuple:
    """The demo account `username` and whether it is new: created with `defaults` and the
    demo password when missing; an existing one (and its password) is left as it is."""
    user, new = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    if new:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, new


def accounts(*usernames: str) -> dict:
    """The demo accounts of these usernames that exist: {username: user}."""
    return get_user_model().objects.in_bulk(list(usernames), field_name="username")


class Places(NamedTuple):
    """The demo community with its compounds and courtyards, by name."""

    community: Community
    compounds: dict[str, Compound]
    courtyards: dict[str, Courtyard]


def places() -> Places | None:
    """The demo's places, or None before the register is loaded."""
    community = Community.objects.filter(name=COMMUNITY["name"]).first()
    if community is None:
        return None
    compounds = {c.name: c for c in Compound.objects.filter(community=community)}
    courtyards = {c.name: c for c in Courtyard.objects.filter(compound__community=community)}
    return Places(community, compounds, courtyards)
