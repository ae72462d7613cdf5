"""Recording with no signal (docs/domain.md, "Recording with no signal").

A phone keeps what is recorded while it has no connection in a queue (static/js/offline.js)
and sends it later, each answer or visit with a key made on the phone. The server keeps
each key once (`QueuedSend`, written in the same transaction as what it records): a
second send of the same key changes nothing and is answered "already received", with what
the first one made. The queue's sends say so with the header `X-Offline-Queue: 1` and are
answered in JSON:

- 200 `stored` (and `made`: what the send recorded), 200 `duplicate` (the first one's);
- 409 `conflict`: the household's answer changed since the phone read it; both answers
  come back, and a person chooses;
- 422 `refused` (`reasons`: a closed vote, a form's error), 403 `forbidden` (no right to
  record), 404 `gone` (out of the user's part), 401 `signed_out` (log in, then send).

A page the worker needs offline says so with the header `X-Offline-Keep` (`KeptOfflineMixin`);
the service worker (`service_worker`, at /sw.js) keeps those pages only, with the static
files, and an offline page for the rest. The shared code knows no app: the views that
record (meetings) call `queued_answer` with their own write.
"""

import functools
import hashlib
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jinzang.models import QueuedSend

QUEUE_HEADER = "X-Offline-Queue"
KEEP_HEADER = "X-Offline-Keep"
#: Whose pages these are, on every response (OfflineOwnerMiddleware): the worker drops the
#: pages it kept as soon as a page says another account, or nobody, is signed in.
OWNER_HEADER = "X-Offline-Owner"
KEY_FIELD = "offline_key"
#: The account that queued a send (its id, as the page said when it was queued): a send
#: that another account's session would carry is refused, and waits for its own account.
USER_FIELD = "offline_user"
#: The browser's database of the queue: the page script writes it, the worker clears it.
QUEUE_DB = "jinzang-offline"
#: The worker's cache of kept pages: cleared with the queue at logout. It keeps the pages
#: opened last, at most so many (a grid or a form is some 20-80 KB).
PAGES_CACHE = "pages"
KEEP_AT_MOST = 200
#: The static files the worker keeps: all a kept page loads.
KEPT_STATIC = ("css/jinzang.css", "js/htmx.min.js", "js/offline.js")
SW_SOURCE = Path(__file__).with_name("sw.js")


def owner_token(session) -> str:
    """An opaque token of the account signed in to `session` ("-" for nobody), the same
    for every session of that account: the pages a phone kept belong to it."""
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return "-"
    return salted_hmac("jinzang.offline.owner", str(user_id), algorithm="sha256").hexdigest()[:20]


def is_queued(request) -> bool:
    """Is this a send from the offline queue (answered in JSON)?"""
    return request.method == "POST" and request.headers.get(QUEUE_HEADER) == "1"


def queued_key(request) -> uuid.UUID:
    """The send's key, made on the phone; a send without a well-formed key is refused."""
    try:
        return uuid.UUID(request.POST.get(KEY_FIELD, ""))
    except ValueError:
        raise ValidationError(_("This send has no valid key: it was not recorded.")) from None


def queued_send_earlier(*, key: uuid.UUID, user) -> QueuedSend | None:
    """The earlier send of `key` by `user`, if it was received."""
    return QueuedSend.objects.filter(key=key, user=user).first()


def queued_send_record(*, key: uuid.UUID, user, path: str, write) -> tuple[dict, bool]:
    """Record a send from the offline queue once: the key is inserted in the same
    transaction as `write()` (which records the answer or the visit and returns what it
    made, as JSON); a refusal of `write` rolls both back, so the same key may be sent again
    once the worker has chosen. Returns (what was made, True), or, for a key received
    before, (what the first send made, False): nothing is written again."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                send = QueuedSend.objects.create(key=key, user=user, path=path[:300])
        except IntegrityError:
            # Sent twice at the same moment: the second waited for the first on the key.
            earlier = queued_send_earlier(key=key, user=user)
            if earlier is None:
                raise ValidationError(_("This key was used by another send.")) from None
            return earlier.made, False
        send.made = write()
        send.save(update_fields=["made"])
    return send.made, True


def form_reasons(form) -> list[str]:
    """A refused form's errors as sentences: each with its field's label."""
    reasons = []
    for name, errors in form.errors.items():
        # The bound field's label: the field's own, or one made from its name.
        label = form[name].label if name in form.fields else None
        for message in errors:
            reasons.append(f"{capfirst(label)}: {message}" if label else message)
    return reasons


def refused(error: ValidationError | str, status: int = 422, code: str = "refused"):
    reasons = [error] if isinstance(error, str) else error.messages
    return JsonResponse({"status": code, "reasons": reasons}, status=status)


def queued_answer(request, *, write, refusal=None, describe=None) -> JsonResponse:
    """The answer to a send from the queue: `write()` records it (raising ValidationError
    to refuse), once per key; `refusal(error)` may answer a refusal its own way (a
    conflict), `describe(made)` adds to what was made what the page shows of it (labels in
    the user's language)."""
    try:
        key = queued_key(request)
    except ValidationError as error:
        return refused(error)
    queued_by = request.POST.get(USER_FIELD)
    if queued_by is not None and queued_by != str(request.user.pk):
        # Queued by another account on this phone (a tab left open across a change of
        # account): recorded under this one's name it would say the wrong person did it.
        return refused(
            _("This was recorded under another account: log in as that account to send it."),
            401,
            "signed_out",
        )
    describe = describe or (lambda made: made)
    # A key received before is answered at once: its answer may since have been changed,
    # or its vote closed, and the second send must not read as refused or conflicting.
    earlier = queued_send_earlier(key=key, user=request.user)
    if earlier is None:
        try:
            made, first = queued_send_record(
                key=key, user=request.user, path=request.path, write=write
            )
        except ValidationError as error:
            return (refusal or refused)(error)
        if first:
            return JsonResponse({"status": "stored", "made": describe(made)})
        earlier = queued_send_earlier(key=key, user=request.user)
    if earlier.path != request.path[:300]:
        # A key is made for one answer or visit: sent to another page it records nothing.
        return refused(_("This key was sent before for something else: it was not recorded."))
    return JsonResponse({"status": "duplicate", "made": describe(earlier.made)})


class QueuedSendMixin:
    """A view that takes sends from the offline queue: they are answered in JSON, a
    refusal of the permission checks too (put it first among the view's bases). The view's
    `post` answers a queued send (`self.queued`) with `queued_response()`, from its
    `queued_write`, `queued_refusal` and `queued_made` (see `queued_answer`)."""

    def queued_refusal(self, error):
        return refused(error)

    def queued_made(self, made: dict) -> dict:
        return made

    def queued_response(self) -> JsonResponse:
        return queued_answer(
            self.request,
            write=self.queued_write,
            refusal=self.queued_refusal,
            describe=self.queued_made,
        )

    def dispatch(self, request, *args, **kwargs):
        self.queued = is_queued(request)
        if not self.queued:
            return super().dispatch(request, *args, **kwargs)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return refused(
                _("You may not record this here: ask the project's managers."), 403, "forbidden"
            )
        except Http404:
            return refused(_("This is not in your part of the register."), 404, "gone")

    def handle_no_permission(self):
        if self.queued and not self.request.user.is_authenticated:
            return refused(
                _("Your session has ended: log in again to send what is waiting."),
                401,
                "signed_out",
            )
        return super().handle_no_permission()


class KeptOfflineMixin:
    """A page the service worker keeps for use with no signal (its header says so); only
    pages that show no full phone or ID number (docs/domain.md, "Recording with no
    signal"). `keep_offline(context)` may say no for a page that shows more."""

    def keep_offline(self, context) -> bool:
        return True

    def get_context_data(self, **kwargs):
        # For the queue's bar (templates/includes/offline_bar.html).
        kwargs.setdefault("offline", {"db": QUEUE_DB, "pages": PAGES_CACHE})
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.request.headers.get("HX-Request") and self.keep_offline(context):
            response[KEEP_HEADER] = "1"
        return response


@functools.cache
def _version(settings_json: str) -> str:
    """Changes with the worker's code, its settings and the kept static files' contents,
    so that a new release installs a new worker, which keeps the new files. Read once a
    process, as the files do not change while it runs."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    digest.update(settings_json.encode())
    for name in KEPT_STATIC:
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


def service_worker(request):
    """The service worker, at the site's root so that it serves every page: the worker's
    code (jinzang/sw.js) after its settings, with the static files under the names the
    pages use (hashed in production). Revalidated each time the browser checks it."""
    config = {
        "static": [static(name) for name in KEPT_STATIC],
        "offline": reverse("offline"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "keep": KEEP_HEADER,
        "owner": OWNER_HEADER,
        "db": QUEUE_DB,
        "pages": PAGES_CACHE,
        "keepAtMost": KEEP_AT_MOST,
    }
    config["version"] = _version(json.dumps(config, sort_keys=True))
    body = f"const CONFIG = {json.dumps(config)};\n{SW_SOURCE.read_text()}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def offline_page(request):
    """What the service worker shows for a page it did not keep, when there is no signal:
    in both languages, as it is kept once for whichever is chosen later."""
    return render(request, "offline.html", {"languages": [code for code, _n in settings.LANGUAGES]})
