"""Pages kept whole in the cache for as long as the data they show is unchanged.

A page that opts in (`CachedPageMixin`) is rendered once, and served again from
the cache while none of the tables it read has been written to since. Which
tables a page read is not declared by hand: while the page is rendered, every
SQL statement is looked at, and the page is kept with the version of each table
it named (`jinzang.dataversions`, raised by triggers on every write). A request
then costs the session, the user, one query of the versions and a cache read.

What a kept page depends on besides its tables is in its key: the path with its
query string, the language, the htmx headers, the session's user (who sees
what, and the name in the header), and the day, for pages that count from
today.
`PAGE_CACHE_SECONDS` bounds how long a page is kept (0 turns caching off): a
notice published at a set time shows within that time.

Nothing is kept or served inside a transaction (a test's, for one). A page is
not kept when rendering it wrote anything (a log of personal data
shown, for one), read a table without a version, set a cookie, showed a message,
or answered anything but 200. The CSRF token in a kept page is replaced by the
current request's own each time it is served.
"""

import hashlib
import re
from functools import cache as memoize

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import dataversions

KEY_PREFIX = "jinzang:page:"
_TOKEN = "_jinzang_csrf_token"
# Statements that write; anything else reads (SELECT, WITH, savepoints).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "TRUNCATE")


def csrf_token(request) -> str:
    """The request's CSRF token, made once (Django makes a differently masked one on
    every call), so that the page cache can find it in a page and replace it."""
    token = getattr(request, _TOKEN, None)
    if token is None:
        token = get_token(request)
        setattr(request, _TOKEN, token)
    return token


@memoize
def _table_names():
    tables = dataversions.model_tables()
    pattern = "|".join(re.escape(t) for t in sorted(tables, key=len, reverse=True))
    return re.compile(rf"\b({pattern})\b"), frozenset(dataversions.tracked_tables())


class Reads:
    """An execute wrapper noting the tables each statement names and whether one wrote."""

    def __init__(self):
        self.tables = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:8].upper().startswith(_WRITES):
            self.wrote = True
        self.tables.update(_table_names()[0].findall(sql))
        return execute(sql, params, many, context)


def _key(request) -> str:
    # Who is asking, from the session alone: loading the user would cost a query on every
    # page served. The session's user is checked when the page is rendered, and a kept page
    # depends on the users' table, so that logging out elsewhere (a new password), being
    # made inactive or renamed is seen at once.
    session = request.session
    who = (session.get(SESSION_KEY), session.get(HASH_SESSION_KEY))
    htmx = sorted((k, v) for k, v in request.headers.items() if k.lower().startswith("hx-"))
    raw = repr((request.get_full_path(), get_language(), htmx, who, timezone.localdate()))
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _messages_pending(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _keepable(request, response, reads: Reads) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not reads.wrote
        and reads.tables <= _table_names()[1]
        and not _messages_pending(request)
    )


def serve(request, produce):
    """The response of `produce()` (a view), from the cache when it is still right."""
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
    key = _key(request)
    entry = cache.get(key)
    versions = dataversions.current()
    if entry is not None and all(versions.get(t, 0) == v for t, v in entry["tables"].items()):
        parts = entry["parts"]
        content = csrf_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
        return HttpResponse(content, headers=entry["headers"])
    reads = Reads()
    with connection.execute_wrapper(reads):
        response = produce()
        if callable(getattr(response, "render", None)):
            response.render()
    if _keepable(request, response, reads):
        if request.user.is_authenticated:
            reads.tables.add(get_user_model()._meta.db_table)
        token = getattr(request, _TOKEN, None)
        entry = {
            "tables": {t: versions.get(t, 0) for t in reads.tables},
            "parts": response.content.split(token.encode()) if token else [response.content],
            "headers": dict(response.headers),
        }
        cache.set(key, entry, seconds)
    return response


class CachedPageMixin:
    """Put first among a view's bases: its GET pages are served by `serve`."""

    def dispatch(self, request, *args, **kwargs):
        return serve(
            request, lambda: super(CachedPageMixin, self).dispatch(request, *args, **kwargs)
        )
