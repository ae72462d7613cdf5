"""Pages kept whole in the cache for as long as the data they show is unchanged.

A page that opts in (`CachedPageMixin`) is rendered once, and served again from
the cache while none of the tables it read has been written to since. Which
tables a page read is not declared by hand: while the page is rendered, every
SQL statement is looked at, and the page is kept with the version of each table
it named (`jinzang.dataversions`, raised by triggers on every write). A request
then costs the session, one query of the versions and a cache read.

What a kept page depends on besides its tables is in its key: the path with its
query string (only the parameters the view declares; a request with others is
rendered), the language, the htmx request and target, the session's user (who
sees what, and the name in the header), and the day, for pages that count from
today. Signed-in pages also depend on the users' and access grants' tables.
`PAGE_CACHE_SECONDS` bounds how long a page is kept (0 turns caching off): a
notice published at a set time shows within that time.

Nothing is kept or served inside a transaction (a test's, for one). A page is
not kept when rendering it wrote anything (a log of personal data shown, for
one) or changed the session, read a table without a version, set a cookie,
showed a message, answered anything but 200 or is over 512 KB. The CSRF token
in a kept page is replaced by the current request's own each time it is
served. When the cache or the versions cannot be read, pages are rendered.
"""

import hashlib
import logging
import re
from functools import cache as memoize

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from jinzang import dataversions

logger = logging.getLogger(__name__)

KEY_PREFIX = "jinzang:page:"
CACHE = "pages"  # the alias in settings.CACHES: kept pages are not mixed with other entries
# Pages larger than this are rendered every time rather than crowd the cache out.
MAX_BYTES = 512 * 1024
# The htmx headers a page may answer differently to; the others (the current URL, the
# element that fired) change with every request and would only split the cache.
HTMX_HEADERS = ("HX-Request", "HX-Target")
# Tables every signed-in page depends on, whether or not its rendering read them: who the
# user is, and what the user may see (read once per request, possibly before the page).
ACCESS_MODELS = ("residents.AccessGrant",)  # besides the user model
_TOKEN = "_jinzang_csrf_token"
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)
_WITH_WRITE = re.compile(r"^\s*WITH\b.*\b(INSERT|UPDATE|DELETE|MERGE)\b", re.I | re.S)


def csrf_token(request) -> str:
    """The request's CSRF token, made once (Django makes a differently masked one on
    every call), so that the page cache can find it in a page and replace it. A new
    secret (login rotates it) makes a new token."""
    secret = request.META.get("CSRF_COOKIE")
    memo = getattr(request, _TOKEN, None)
    if memo is None or memo[0] != secret:
        token = get_token(request)
        memo = (request.META.get("CSRF_COOKIE"), token)
        setattr(request, _TOKEN, memo)
    return memo[1]


@memoize
def _tables():
    """(a pattern finding any model's table in SQL, the tracked tables)."""
    pattern = "|".join(
        re.escape(t) for t in sorted(dataversions.model_tables(), key=len, reverse=True)
    )
    return re.compile(rf"\b({pattern})\b", re.I), frozenset(dataversions.tracked_tables())


@memoize
def _access_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(
        [get_user_model()._meta.db_table]
        + [apps.get_model(label)._meta.db_table for label in ACCESS_MODELS]
    )


class Reads:
    """An execute wrapper noting the tables each statement names and whether one wrote."""

    def __init__(self):
        self.tables = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if _WRITE.match(sql) or _WITH_WRITE.match(sql):
            self.wrote = True
        self.tables.update(t.lower() for t in _tables()[0].findall(sql))
        return execute(sql, params, many, context)


def _key(request, params) -> str | None:
    """The page's key, or None when the request has query parameters the view does not
    declare: anyone could otherwise fill the cache with `?x=1`, `?x=2`, …"""
    if any(name not in params for name in request.GET):
        return None
    # Who is asking, from the session alone: loading the user would cost a query on every
    # page served. The session's user is checked when the page is rendered, and a kept page
    # depends on the users' table, so that logging out elsewhere (a new password), being
    # made inactive or renamed is seen at once.
    session = request.session
    who = (session.get(SESSION_KEY), session.get(HASH_SESSION_KEY))
    htmx = [request.headers.get(name) for name in HTMX_HEADERS]
    raw = repr((request.get_full_path(), get_language(), htmx, who, timezone.localdate()))
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _messages_pending(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _keepable(request, response, reads: Reads, session_modified: bool) -> bool:
    signed_in = request.session.get(SESSION_KEY) is not None
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= MAX_BYTES
        and not response.cookies
        and not reads.wrote
        and reads.tables <= _tables()[1]
        and not _messages_pending(request)
        and request.session.modified == session_modified
        # A session whose user was not accepted (inactive, a stale password hash) gets
        # the anonymous page, which would not depend on the users' table.
        and signed_in == request.user.is_authenticated
    )


def serve(request, produce, params=()):
    """The response of `produce()` (a view), from the cache when it is still right.
    `params`: the query parameters the page depends on; with any other, it is not kept."""
    seconds = settings.PAGE_CACHE_SECONDS
    if (
        not seconds
        or request.method not in ("GET", "HEAD")
        # Inside a transaction the page may show writes not yet committed, and on
        # PostgreSQL the versions move only when the writer commits.
        or connection.in_atomic_block
        or _messages_pending(request)
    ):
        return produce()
    key = _key(request, params)
    if key is None:
        return produce()
    store = caches[CACHE]
    try:
        entry = store.get(key)
        versions = dataversions.current()
    except Exception:  # the cache is an aid: Redis down, versions not migrated
        logger.warning("page cache unavailable", exc_info=True)
        return produce()
    if entry is not None and all(versions.get(t, 0) == v for t, v in entry["tables"].items()):
        parts = entry["parts"]
        content = csrf_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
        return HttpResponse(content, headers=entry["headers"])
    reads = Reads()
    session_modified = request.session.modified
    with connection.execute_wrapper(reads):
        response = produce()
        if callable(getattr(response, "render", None)):
            response.render()
    if _keepable(request, response, reads, session_modified):
        if request.user.is_authenticated:
            reads.tables.update(_access_tables())
        memo = getattr(request, _TOKEN, None)
        token = memo[1].encode() if memo else None
        entry = {
            "tables": {t: versions.get(t, 0) for t in reads.tables},
            "parts": response.content.split(token) if token else [response.content],
            "headers": dict(response.headers),
        }
        try:
            store.set(key, entry, seconds)
        except Exception:  # as above: the page is served all the same
            logger.warning("page cache unavailable", exc_info=True)
    return response


class CachedPageMixin:
    """Put first among a view's bases: its GET pages are served by `serve`.
    `page_cache_params`: the query parameters the page reads."""

    page_cache_params: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        return serve(
            request,
            lambda: super(CachedPageMixin, self).dispatch(request, *args, **kwargs),
            self.page_cache_params,
        )
