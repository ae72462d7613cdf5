"""A household found by its door as people type it or as pages show it: "301", "2-301"
(unit-door), "18-2-301" (building-unit-door), "18栋2单元301室".

A door number repeats from one unit of a building to the next (each unit has its 301), so a
door alone names a household only when one unit of the building has it. When several do,
nothing is chosen for the user: they are asked for the unit.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jinzang.templatetags.jinzang import listing
from residents.register.search import clean, read_places


class Door(NamedTuple):
    """A door as typed: the building and unit numbers are empty when not given."""

    building: str
    unit: str
    door: str


def split_door(text: str) -> Door:
    """The building, unit and door numbers in `text` ("301", "2-301", "18-2-301",
    "18栋2单元301", full-width digits and dashes included), read as the search reads a place
    (`residents.register.search.read_places`): two parts are a unit and a door; a compound's name is
    not part of a door."""
    text = clean(text)
    for place in read_places(text):
        if place.door and not place.area:
            return Door(place.building, place.unit, place.door)
    return Door("", "", text)


def household_by_door(households, *, text, compound=None, building=None, unit=None):
    """The one household of `households` behind the door `text`, in `building` (or the
    building the text names, in `compound`) and `unit` (or the unit the text names).
    Raises ValidationError keyed by the field to correct ("unit" or "door_number") when no
    household or several match: a door is never guessed."""
    text = (text or "").strip()
    given = split_door(text)
    if building is not None and given != Door("", "", text):
        # A door number written with dashes is looked up as it stands first.
        exact = _matches(households.filter(unit__building=building), "", text)
        if len(exact) == 1:
            return exact[0]
    if given.building and building is not None and given.building != building.number:
        raise ValidationError(
            {
                "door_number": _(
                    "This door is in building %(given)s, but building %(chosen)s is chosen."
                )
                % {"given": given.building, "chosen": building.number}
            }
        )
    if building is not None:
        households = households.filter(unit__building=building)
        building_number = building.number
    elif given.building and compound is not None:
        households = households.filter(
            unit__building__compound=compound, unit__building__number=given.building
        )
        building_number = given.building
    elif given.building:
        raise ValidationError({"door_number": _("Choose the compound or the building first.")})
    else:
        raise ValidationError({"door_number": _("Choose the building first.")})
    if given.unit and unit is not None and given.unit != unit.number:
        raise ValidationError(
            {
                "door_number": _("This door is in unit %(given)s, but unit %(chosen)s is chosen.")
                % {"given": given.unit, "chosen": unit.number}
            }
        )
    unit_number = unit.number if unit is not None else given.unit
    found = _matches(households, unit_number, given.door)
    if len(found) == 1:
        return found[0]
    place = {"building": building_number, "unit": unit_number, "door": given.door}
    if not found and unit_number:
        raise ValidationError(
            {
                "door_number": _("Unit %(unit)s of building %(building)s has no door %(door)s.")
                % place
            }
        )
    if not found:
        raise ValidationError(
            {"door_number": _("Building %(building)s has no door %(door)s.") % place}
        )
    raise ValidationError(
        {
            "unit": _(
                "Door %(door)s is in several units of building %(building)s (units %(units)s): "
                "choose the unit."
            )
            % {**place, "units": listing(h.unit.number for h in found)}
        }
    )


def _matches(households, unit_number, door):
    """The households behind `door` (in the unit numbered `unit_number`)."""
    found = households.filter(door_number=door)
    if unit_number:
        found = found.filter(unit__number=unit_number)
    return list(found.select_related("unit__building__compound").order_by("unit__number"))
