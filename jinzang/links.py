"""URLs: of many rows at once, on paper (absolute), and the page a form was asked to go
back to.

`reverse()` costs some 50 µs: a list of 50 residents with their households reversed 100
times a page, a tenth of the page's time."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

MARKER = 918_273_645_546_372_819  # no row has this key; it only marks where the key goes


def url_maker(viewname: str, *args):
    """A function giving the URL of `viewname` for a primary key, with `reverse()` called
    once. For URL patterns whose last argument is an integer key; `args` are the ones
    before it, the same for every row (a project's key for its buildings)."""
    head, tail = reverse(viewname, args=[*args, MARKER]).split(str(MARKER))
    return lambda pk: f"{head}{int(pk)}{tail}"


def absolute_url(path: str) -> str:
    """The address of a path on this site as people reach it from outside (`SITE_URL`):
    what paper carries, as a link or a QR code, where no request says the host."""
    return settings.SITE_URL + path


def next_url(request, default: str) -> str:
    """The page `next` (posted, else in the query) asks to go to when it is a path on this
    site, else `default`. A path only: never reversed (`redirect("foo")` would look up a view
    named foo), never another site, never a script."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
