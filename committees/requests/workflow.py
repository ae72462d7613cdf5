"""The request workflow (docs/domain.md, Requests and whistles): every step declared once.

A step is one row of `STEPS`: the status it moves a request to, the statuses it may
follow, the field that records when, the form its page asks, its URL, its title, and the
write that takes it. The services, the views and the URLs read this table; a new status
is one new row (and its write). The writes that walk the table are here too: each locks
the request, checks that the step may follow the current status (a step out of order is
refused with a clear message and writes nothing), and records who took it and when in
the request's timeline (RequestStep).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import RequestStep, ResidentRequest
from committees.requests.forms import AcceptForm, CloseForm, NoteForm, ResolveForm
from jinzang.concurrency import changed_by

Status = ResidentRequest.Status

# A whistle escalates an accepted request that is not yet resolved.
WHISTLE_AFTER = frozenset({Status.ACCEPTED, Status.IN_PROGRESS})


def lock(request: ResidentRequest, version: int | None = None) -> ResidentRequest:
    """The request as stored now, locked for this transaction (a no-op lock on SQLite);
    refused when someone changed it after the page showing `version` was opened."""
    locked = ResidentRequest.objects.select_for_update().get(pk=request.pk)
    if version is not None and locked.version != version:
        name, time = changed_by(locked)
        raise ValidationError(
            _(
                "%(name)s changed this request at %(time)s, after you opened it: it is now "
                "“%(status)s”. Reload the page and try again."
            )
            % {"name": name, "time": time, "status": locked.get_status_display()},
            code="conflict",
        )
    return locked


def record(request, *, from_status, to_status, by, at, note="") -> RequestStep:
    """A line of the request's timeline."""
    return RequestStep.objects.create(
        request=request, from_status=from_status, to_status=to_status, by=by, at=at, note=note
    )


def _move(request, *, to, by, at=None, note="", version=None, **changes) -> ResidentRequest:
    step = STEP[to]
    locked = lock(request, version)
    if locked.status not in step.after:
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(next)s”.")
            % {"current": locked.get_status_display(), "next": Status(to).label}
        )
    at = at or timezone.now()
    if at < locked.received_at:
        raise ValidationError(_("A step cannot come before the request was received."))
    from_status = locked.status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = to
    if step.time_field:
        setattr(locked, step.time_field, at)
    locked.version += 1
    locked.full_clean()
    locked._history_user = by
    locked.save()
    record(locked, from_status=from_status, to_status=to, by=by, at=at, note=note)
    return locked


@transaction.atomic
def request_accept(
    *, request, by, note: str = "", handling_body=None, at=None, version=None
) -> ResidentRequest:
    changes = {}
    if handling_body is not None:
        if handling_body.community_id != request.community_id:
            raise ValidationError(
                {"handling_body": _("The handling body must belong to the community.")}
            )
        changes["handling_body"] = handling_body
    return _move(request, to=Status.ACCEPTED, by=by, at=at, note=note, version=version, **changes)


@transaction.atomic
def request_start(*, request, by, note: str = "", at=None, version=None) -> ResidentRequest:
    return _move(request, to=Status.IN_PROGRESS, by=by, at=at, note=note, version=version)


@transaction.atomic
def request_resolve(
    *, request, by, reply: str, note: str = "", at=None, version=None
) -> ResidentRequest:
    """Resolve the request; refused without a reply to the resident."""
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError(
            {"reply": _("Write the reply to the resident before marking the request resolved.")}
        )
    return _move(request, to=Status.RESOLVED, by=by, at=at, note=note, version=version, reply=reply)


@transaction.atomic
def request_confirm(*, request, by, note: str = "", at=None, version=None) -> ResidentRequest:
    """The resident confirms the problem is solved."""
    return _move(request, to=Status.CONFIRMED, by=by, at=at, note=note, version=version)


@transaction.atomic
def request_close(*, request, by, reason: str, at=None, version=None) -> ResidentRequest:
    """Close a request that cannot be acted on; refused without the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is closed.")})
    return _move(
        request, to=Status.CLOSED, by=by, at=at, note=reason, version=version, close_reason=reason
    )


@dataclass(frozen=True)
class Step:
    """One step of the workflow."""

    to: str  # the status the request moves to
    after: frozenset[str]  # the statuses the step may follow
    time_field: str | None  # the request's field that records when, if any
    form: type[forms.Form]  # the step's form, made for the request
    name: str  # the URL's name in the `requests` namespace, and its last segment
    title: Promise  # lazy: the table is made once, in whatever language is active then
    write: Callable[..., ResidentRequest]  # (request=, by=, **the form's data)
    forward: bool = True  # False: a way out (closing), never the page's main action

    @property
    def route(self) -> str:
        return f"<int:pk>/{self.name}/"

    @property
    def url_name(self) -> str:
        return f"requests:{self.name}"

    def make_form(self, request: ResidentRequest, data=None) -> forms.Form:
        # The request page shows every next step's form: each field's id names its step.
        return self.form(
            data,
            request=request,
            initial={"version": request.version},
            auto_id=f"id_{self.to}_%s",
        )


STEPS = (
    Step(
        to=Status.ACCEPTED,
        after=frozenset({Status.RECEIVED}),
        time_field="accepted_at",
        form=AcceptForm,
        name="accept",
        title=gettext_lazy("Accept the request"),
        write=request_accept,
    ),
    Step(
        to=Status.IN_PROGRESS,
        after=frozenset({Status.ACCEPTED}),
        time_field=None,
        form=NoteForm,
        name="start",
        title=gettext_lazy("Start work"),
        write=request_start,
    ),
    Step(
        to=Status.RESOLVED,
        after=frozenset({Status.ACCEPTED, Status.IN_PROGRESS}),
        time_field="resolved_at",
        form=ResolveForm,
        name="resolve",
        title=gettext_lazy("Reply and resolve"),
        write=request_resolve,
    ),
    Step(
        to=Status.CONFIRMED,
        after=frozenset({Status.RESOLVED}),
        time_field="confirmed_at",
        form=NoteForm,
        name="confirm",
        title=gettext_lazy("The resident confirms"),
        write=request_confirm,
    ),
    Step(
        to=Status.CLOSED,
        after=frozenset({Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS}),
        time_field="closed_at",
        form=CloseForm,
        name="close",
        title=gettext_lazy("Close as not actionable"),
        write=request_close,
        forward=False,
    ),
)

# The step to each status.
STEP = {step.to: step for step in STEPS}


def next_steps(status: str) -> list[Step]:
    """The steps a request in `status` may take, in workflow order."""
    return [step for step in STEPS if status in step.after]
