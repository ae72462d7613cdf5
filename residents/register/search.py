"""What a page displays, read back as a search: the one place that parses a typed query.

Pages show a household as 18-2-301 (the resident list, with its compound: 庆丰小区
18-2-301), 2-301 (unit and door, on the consent grid), 18栋2单元301 or 301 室 in Chinese,
"building 18 unit 2, 301" in English; a phone number whole, masked (138****5678) or as
people write it (138 1234 5678, +86 138-1234-5678); a name as it is stored, which people
type with a space between family and given name (李 华玉). `parse()` turns any of these
into a `SearchQuery`: its places, its phone digits and the name to look for.
`ResidentQuerySet.search` runs it on the register; the admin's and the other pages'
searches use the same reading.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from residents.validators import normalize_phone

# Chinese characters (the common blocks): no space is written between them.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A building, unit or door number: 18, 301, A3, 12B.
PART = r"[A-Za-z]?\d+[A-Za-z]?"

# Longer texts are read as names only: no place or phone number is that long, and the
# patterns below would take seconds over thousands of characters (the admin's search
# has no limit).
LONGEST_PLACE = 80
DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
SPACES_BESIDE_CJK = re.compile(rf"\s+(?=[{CJK}])|(?<=[{CJK}])\s+")
MASKED_PHONE = re.compile(r"(?P<head>1\d{2})\s*\*{4}\s*(?P<tail>\d{4})")
PHONE_LIKE = re.compile(r"\+?[\d\s()\-]*\d[\d\s()\-]*")
# 18-2-301, 2-301, 庆丰小区 18-2-301.
DASHED_PLACE = re.compile(
    rf"(?:(?P<area>.*?\D)\s*)??(?P<a>{PART})\s*-\s*(?P<b>{PART})(?:\s*-\s*(?P<c>{PART}))?"
)
# 18栋2单元301室, 庆丰小区18栋2单元301, 18号楼, 301 室 (English is read into this form).
MARKED_PLACE = re.compile(
    rf"(?P<area>.*?)\s*"
    rf"(?:(?P<building>{PART})\s*(?:栋|幢|号楼|座)\s*)?"
    rf"(?:(?P<unit>{PART})\s*(?:单元|号房)\s*)?"
    rf"(?:(?P<door>{PART})\s*(?P<room>室|号)?)?"
)
ENGLISH_PARTS = [
    (re.compile(rf"\b(?:building|bldg\.?)\s*({PART})\b", re.I), r" \1栋 "),
    (re.compile(rf"\bunit\s*({PART})\b", re.I), r" \1单元 "),
    (re.compile(rf"\b(?:door|room)\s*({PART})\b", re.I), r" \1室 "),
]


@dataclass(frozen=True)
class Place:
    """A household's place as typed; a part left out matches any."""

    area: str = ""  # a compound or courtyard name, or part of one
    building: str = ""
    unit: str = ""
    door: str = ""

    def q(self, prefix: str = "") -> Q:
        """A filter on households, reached through `prefix` ("household__")."""
        parts = {
            "unit__building__number": self.building,
            "unit__number": self.unit,
            "door_number": self.door,
        }
        q = Q(**{f"{prefix}{field}": value for field, value in parts.items() if value})
        if self.area:
            q &= Q(**{f"{prefix}unit__building__compound__name__contains": self.area}) | Q(
                **{f"{prefix}unit__building__courtyard__name__contains": self.area}
            )
        return q


@dataclass(frozen=True)
class Phone:
    """Digits of a phone number: its end (`tail`, four digits or more, up to the whole
    number) and, from a masked number, its first three digits (`head`)."""

    tail: str
    head: str = ""

    @property
    def shows_no_more_than_a_mask(self) -> bool:
        """What a masked number shows (138****5678): the last four digits, the first three.
        A match on these tells someone who sees masked numbers nothing new."""
        return len(self.tail) == 4


@dataclass(frozen=True)
class SearchQuery:
    """A typed search, read: as a name, a phone number and places (any may be empty)."""

    text: str = ""
    name: str = ""
    phone: Phone | None = None
    places: tuple[Place, ...] = ()

    def __bool__(self):
        return bool(self.text)

    def places_q(self, prefix: str = "") -> Q | None:
        """A filter on households (through `prefix`) at any of the places, None if none."""
        if not self.places:
            return None
        return reduce(or_, (place.q(prefix) for place in self.places))


def clean(text: str) -> str:
    """Full-width characters of a Chinese input method as ASCII (１８－２ is 18-2), every
    dash a hyphen, the NUL character out, spaces collapsed."""
    text = unicodedata.normalize("NFKC", (text or "").replace("\x00", ""))
    return " ".join(text.translate(DASHES).split())


def name_of(text: str) -> str:
    """A name as it is stored: no space beside a Chinese character (李 华玉 is 李华玉);
    other names keep one space between words."""
    return SPACES_BESIDE_CJK.sub("", clean(text))


def name_q(text: str, *fields: str) -> Q:
    """A filter on names (in any of `fields`) containing `text` read as a name: 李 华玉
    finds 李华玉."""
    name = name_of(text)
    # Chinese has no letter case: comparing without UPPER() on both sides finds the same
    # names, and PostgreSQL scans 100,000 names in a third of the time.
    lookup = "icontains" if name.upper() != name.lower() else "contains"
    return reduce(or_, (Q(**{f"{field}__{lookup}": name}) for field in fields))


def parse(text: str) -> SearchQuery:
    """`text` as typed, read as the pages write places, phone numbers and names."""
    text = clean(text)
    if not text:
        return SearchQuery()
    if len(text) > LONGEST_PLACE:
        return SearchQuery(text, name=name_of(text))
    if text.isdigit():
        # A door number or the end of a phone number; never a name.
        phone = Phone(text) if 4 <= len(text) <= 11 else None
        return SearchQuery(text, phone=phone, places=(Place(door=text),))
    if m := MASKED_PHONE.fullmatch(text):
        return SearchQuery(text, phone=Phone(m["tail"], head=m["head"]))
    if PHONE_LIKE.fullmatch(text):
        digits = normalize_phone(text)
        # A whole number, however grouped; other digits in groups: a tail typed in
        # groups (5678 1234) or, with dashes, a place (18-2-301).
        if digits.isdigit() and (len(digits) == 11 or (4 <= len(digits) < 11 and "-" not in text)):
            return SearchQuery(text, phone=Phone(digits))
    places = read_places(text)
    if places:
        return SearchQuery(text, places=places)
    # A door number of letters and digits (A301) matches whole, as the digits do.
    doors = (Place(door=text),) if " " not in text and len(text) <= 20 else ()
    return SearchQuery(text, name=name_of(text), places=doors)


def read_places(text: str) -> tuple[Place, ...]:
    """The places `text` (cleaned) may name, as the pages write them; () if it names none."""
    if m := DASHED_PLACE.fullmatch(text):
        area = (m["area"] or "").strip()
        if m["c"]:
            return (Place(area, m["a"], m["b"], m["c"]),)
        # Two parts: unit and door (as a building's consent grid lists them) or building
        # and unit (as a project lists its units).
        return (Place(area, unit=m["a"], door=m["b"]), Place(area, building=m["a"], unit=m["b"]))
    for pattern, replacement in ENGLISH_PARTS:
        text = pattern.sub(replacement, text)
    text = " ".join(re.sub(r"[,，、]", " ", text).split())
    m = MARKED_PLACE.fullmatch(text)
    # A building or a unit, or a door marked as one (301 室): "张三2024" is a name.
    if m and (m["building"] or m["unit"] or (m["door"] and m["room"])):
        return (Place(m["area"].strip(), m["building"] or "", m["unit"] or "", m["door"] or ""),)
    return ()
