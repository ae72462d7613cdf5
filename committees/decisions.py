"""The steps of an owners' decision (docs/domain.md, "Owners' decisions"), for anything
that inherits `committees.models.decisions.DecisionSteps`: announce, check that the vote
may open, close (at the end of the period by itself, or early with a reason), publish
the result. Each step is recorded with who and when; each runs in one transaction on
the row locked.

What is voted on and how it is counted belong to the caller (a project's vote in
meetings/projects/consent.py): it passes the notice's text, its audience and the frozen
result to the steps here.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Body, Notice
from committees.models.decisions import DecisionSteps, Stage, notice_days


def _locked(decision: DecisionSteps) -> DecisionSteps:
    return type(decision).objects.select_for_update().get(pk=decision.pk)


def _when(at: datetime.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def check_period(decision: DecisionSteps, now: datetime.datetime) -> None:
    """The voting period must be set, end after it starts, and start no earlier than the
    end of the notice period counted from `now` (the announcement)."""
    errors = {}
    if not decision.opens_at:
        errors["opens_at"] = _("Set when voting opens.")
    if not decision.closes_at:
        errors["closes_at"] = _("Set when voting closes.")
    if errors:
        raise ValidationError(errors)
    if decision.closes_at <= decision.opens_at:
        raise ValidationError({"closes_at": _("Voting must close after it opens.")})
    days = notice_days(decision.decision_compound())
    earliest = now + datetime.timedelta(days=days)
    if decision.opens_at < earliest:
        raise ValidationError(
            {
                "opens_at": _(
                    "Owners must be told %(days)d days before voting opens: announced now, "
                    "voting may open at %(time)s at the earliest."
                )
                % {"days": days, "time": _when(earliest)}
            }
        )


@transaction.atomic
def decision_announce(
    *,
    decision: DecisionSteps,
    body: Body,
    title: str,
    text: str,
    audience: dict,
    by,
    now: datetime.datetime | None = None,
) -> DecisionSteps:
    """Announce a drafted decision: publish the notice of the matter, the ballot and the
    voting period (`title`, `text`) to `audience` (compounds, courtyards, buildings), and
    record who announced it and when. The notice stays up, unchanged, until voting closes."""
    from committees.notices.services import notice_save

    now = now or timezone.now()
    decision = _locked(decision)
    if decision.stage(now) != Stage.DRAFT:
        raise ValidationError(_("This decision has already been announced."))
    if not decision.text.strip():
        raise ValidationError({"text": _("Write the matter in full before announcing it.")})
    if not decision.ballot.strip():
        raise ValidationError({"ballot": _("Write the question on the ballot before announcing.")})
    check_period(decision, now)
    notice = notice_save(
        notice=Notice(
            body=body,
            title=title[:200],
            text=text,
            category=Notice.Category.DISCLOSURE,
            for_whole_community=False,
            publish_at=now,
        ),
        user=by,
        **audience,
    )
    Notice.objects.filter(pk=notice.pk).update(locked_until=decision.closes_at)
    decision.announcement = notice
    decision.announced_at, decision.announced_by = now, by
    decision.save(update_fields=["announcement", "announced_at", "announced_by"])
    return decision


def check_may_open(decision: DecisionSteps, now: datetime.datetime) -> None:
    """Refuse opening the vote before the notice period ends (and before its announced
    opening time), after its closing time, or a vote that was opened already."""
    stage = decision.stage(now)
    if stage == Stage.DRAFT:
        raise ValidationError(_("Announce the decision first: owners must be told before voting."))
    if stage in (Stage.CLOSED, Stage.PUBLISHED):
        raise ValidationError(
            _("The vote is closed and never reopens: a new vote is a new decision.")
        )
    if stage != Stage.ANNOUNCED:
        raise ValidationError(_("The vote is already open."))
    earliest = decision.may_open_from()
    if now < earliest:
        raise ValidationError(
            _("The notice period runs until %(time)s: the vote may open then.")
            % {"time": _when(earliest)}
        )
    if decision.closes_at and now >= decision.closes_at:
        raise ValidationError(
            _(
                "The voting period ended at %(time)s before the vote was opened: announce a new decision."
            )
            % {"time": _when(decision.closes_at)}
        )


@transaction.atomic
def decision_close(
    *,
    decision: DecisionSteps,
    result: dict,
    by=None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> DecisionSteps:
    """Close the vote and freeze its `result` (the snapshot the pages read from then on).

    With `by`, a manager closes early and must give a reason; without, the vote closes at
    its closing time (the first page view or `manage.py close_decisions` after it). A
    closed vote never reopens: a new vote is a new decision."""
    now = now or timezone.now()
    decision = _locked(decision)
    stage = decision.stage(now)
    if decision.closed_at or stage == Stage.PUBLISHED:
        raise ValidationError(_("The vote is already closed."))
    if not decision.vote_opened_at:
        raise ValidationError(_("The vote has not been opened yet."))
    if stage == Stage.OPEN:
        if by is None:
            raise ValidationError(_("The vote is still open."))
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the vote closes before its closing time.")})
        decision.closed_at, decision.closed_by = now, by
        decision.close_reason = reason.strip()[:300]
    else:  # its period is over: it closed at its closing time
        decision.closed_at, decision.closed_by = decision.closes_at, None
    decision.result = result
    decision.save(update_fields=["closed_at", "closed_by", "close_reason", "result"])
    return decision


@transaction.atomic
def decision_publish(
    *,
    decision: DecisionSteps,
    body: Body,
    title: str,
    text: str,
    audience: dict,
    by,
    now: datetime.datetime | None = None,
) -> DecisionSteps:
    """Publish the result notice (公示) made from the frozen result; it stays up, and may
    not be withdrawn or changed, for `DECISION_RESULT_DAYS`."""
    from committees.notices.services import notice_save

    now = now or timezone.now()
    decision = _locked(decision)
    if decision.stage(now) != Stage.CLOSED or decision.result is None:
        raise ValidationError(_("Only a closed vote's result can be published."))
    notice = notice_save(
        notice=Notice(
            body=body,
            title=title[:200],
            text=text,
            category=Notice.Category.DISCLOSURE,
            for_whole_community=False,
            publish_at=now,
        ),
        user=by,
        **audience,
    )
    until = now + datetime.timedelta(days=settings.DECISION_RESULT_DAYS)
    Notice.objects.filter(pk=notice.pk).update(locked_until=until)
    decision.result_notice = notice
    decision.published_at, decision.published_by = now, by
    decision.save(update_fields=["result_notice", "published_at", "published_by"])
    return decision
