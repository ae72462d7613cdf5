import functools

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jinzang.permissions import access_of


def access(request):
    """`access` in every template: what the current user may see (read lazily, once)."""
    return {"access": SimpleLazyObject(lambda: access_of(request.user))}


# The main navigation of signed-in users: (URL name, label, what marks it current: the
# page's URL name, or "app:" and its application namespace).
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


@functools.cache
def _main_nav(urlconf, prefix, language):
    """The main navigation's links and labels, made once per URL configuration, script
    prefix and language: reversing them on every page took a third of an empty page's
    rendering (0.5 ms)."""
    return tuple((reverse(name), str(label), mark) for name, label, mark in MAIN_NAV)


def main_nav(request):
    """`main_nav` for base.html: [(url, label, whether it is the current section)]."""
    nav = _main_nav(get_urlconf(), get_script_prefix(), get_language())
    match = getattr(request, "resolver_match", None)
    here = {match.url_name, f"app:{match.app_name}"} if match else set()
    return {"main_nav": [(url, label, mark in here) for url, label, mark in nav]}
