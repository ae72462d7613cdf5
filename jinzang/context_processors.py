import functools

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jinzang.permissions import access_of


def access(request):
    """`access` in every template: what the current user may see (read lazily, once)."""
    return {"access": SimpleLazyObject(lambda: access_of(request.user))}


# The main navigation of signed-in users: (URL name, label, what marks it current: the
# page's URL name, "app:" and its application namespace, or a tuple of view names such as
# "requests:mine").
MAIN_NAV = (
    ("home", _("Overview"), "home"),
    ("dashboard", _("Dashboard"), "dashboard"),
    ("residents:resident_list", _("Residents"), "resident_list"),
    ("meetings:meeting_list", _("Meetings"), "app:meetings"),
    ("projects:project_list", _("Projects"), "app:projects"),
    ("notices:notice_list", _("Notices"), "app:notices"),
    ("visits:visit_list", _("Visits"), "app:visits"),
    ("requests:list", _("Requests"), "app:requests"),
    ("volunteers:list", _("Volunteers"), "app:volunteers"),
    ("funds:list", _("Funds"), "app:funds"),
    ("facilities:list", _("Facilities"), "app:facilities"),
    ("committees:body_list", _("Committees"), "app:committees"),
)


# A resident's own account (the residents' door) sees its own pages only: no staff page.
DOOR_NAV = (
    ("door:home", _("My home"), "app:door"),
    (
        "requests:mine",
        _("My requests"),
        ("requests:mine", "requests:mine_detail", "requests:mine_new"),
    ),
    ("notices:mine", _("Notices"), ("notices:mine",)),
    (
        "projects:ballots",
        pgettext_lazy("door navigation", "Decisions"),
        ("projects:ballots", "projects:ballot", "projects:ballot_receipt"),
    ),
)


NAVS = {"main": MAIN_NAV, "door": DOOR_NAV}


@functools.cache
def _nav(which, urlconf, prefix, language):
    """A navigation's links and labels, made once per URL configuration, script prefix and
    language: reversing them on every page took a third of an empty page's rendering
    (0.5 ms). Marks are made sets."""
    return tuple(
        (reverse(name), str(label), {mark} if isinstance(mark, str) else set(mark))
        for name, label, mark in NAVS[which]
    )


def main_nav(request):
    """`main_nav` for base.html: [(url, label, whether it is the current section)]; a
    resident's own account gets the door's. Read when the page shows it (signed in)."""

    def links():
        door = access_of(request.user).account is not None
        nav = _nav("door" if door else "main", get_urlconf(), get_script_prefix(), get_language())
        match = getattr(request, "resolver_match", None)
        here = {match.url_name, f"app:{match.app_name}", match.view_name} if match else set()
        return [(url, label, bool(marks & here)) for url, label, marks in nav]

    return {"main_nav": SimpleLazyObject(links)}
