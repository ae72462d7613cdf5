"""People's names as pages show them, for accounts and residents alike.

A resident's name is kept whole, as the register writes it (李华玉). An account keeps a
family name (last_name, 姓氏) and a given name (first_name, 名字): shown family name first,
as Chinese names are written in either language, run together in Chinese characters
(李华玉) and with a space in Latin letters (Li Huayu). Django's get_full_name() puts the
given name first with a space ("华玉 李"), which reads wrong; it is not used for showing.
"""

import unicodedata

from django.db.models import Q, Value
from django.db.models.functions import Concat


def _wide(char: str) -> bool:
    """A character of Chinese (or Japanese, Korean) script, written without spaces."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def person_name(person) -> str:
    """The name of `person` as shown: a resident's name; an account's family name then given
    name, else its username; "" for nobody."""
    if person is None:
        return ""
    if hasattr(person, "get_username"):
        family = (person.last_name or "").strip()
        given = (person.first_name or "").strip()
        space = " " if family and given and not (_wide(family[-1]) and _wide(given[0])) else ""
        return f"{family}{space}{given}" or person.get_username()
    return str(getattr(person, "name", "") or person)


def users_named(users, text: str):
    """The accounts of `users` whose name or username contains `text`, the name as shown
    (李华玉, Li Huayu) or as Django writes it (华玉 李)."""
    return users.alias(
        _family_given=Concat("last_name", "first_name"),
        _family_space_given=Concat("last_name", Value(" "), "first_name"),
        _given_space_family=Concat("first_name", Value(" "), "last_name"),
    ).filter(
        Q(_family_given__icontains=text)
        | Q(_family_space_given__icontains=text)
        | Q(_given_space_family__icontains=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(username__icontains=text)
    )


# The order in which lists of accounts are sorted: by name as shown.
NAME_ORDER = ("last_name", "first_name", "username")
