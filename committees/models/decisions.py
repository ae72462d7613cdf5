"""The life of an owners' decision (docs/domain.md, "Owners' decisions"): drafted,
announced, open, closed and published, each step recorded with who and when.

`DecisionSteps` is the abstract model every owners' decision inherits (a project's
Art. 278 vote, an owners' committee's election); `Stage` and `DecisionSteps.stage()` are the one state machine; the
steps themselves (announce, open, close, publish) are in committees/decisions.py;
who may sponsor a decision is `sponsor_refusal()` below.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Result published")


def notice_days(compound) -> int:
    """The days between the announcement and the opening of a vote: the compound's rules
    of procedure, else the setting (物业管理条例 Art. 14: 15 days)."""
    days = getattr(compound, "decision_notice_days", None)
    return days or settings.DECISION_NOTICE_DAYS


class DecisionSteps(models.Model):
    """The steps of an owners' decision: the matter's full text and voting period, then
    who announced, closed and published it and when. A subclass says what it is voted on
    (`decision_compound()`) and where its roll is (`roll_id`, `vote_opened_at`)."""

    text = models.TextField(
        _("text put to the owners"),
        blank=True,
        help_text=_("The matter in full, as the owners will read it in the announcement."),
    )
    ballot = models.TextField(
        _("ballot"),
        blank=True,
        help_text=_("The question on the ballot paper, answered agree, disagree or abstain."),
    )
    opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("announced by"),
    )
    announcement = models.ForeignKey(
        "committees.Notice",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("announcement"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("vote opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("closed by"),
        help_text=_("Empty: closed at the end of the voting period."),
    )
    close_reason = models.CharField(
        _("reason for closing early"), max_length=300, blank=True, editable=False
    )
    result = models.JSONField(
        _("result"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The counts, the verdict and the rule applied, frozen at the close."),
    )
    published_at = models.DateTimeField(
        _("result published at"), null=True, blank=True, editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("result published by"),
    )
    result_notice = models.ForeignKey(
        "committees.Notice",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("result notice"),
    )

    class Meta:
        abstract = True

    def stage(self, now: datetime.datetime | None = None) -> str:
        """Where the decision stands. A vote whose closing time has passed is closed
        whether or not anyone has recorded the close yet (`committees.decisions.close_due`
        freezes its result the first time it is found so)."""
        now = now or timezone.now()
        if self.published_at:
            return Stage.PUBLISHED
        if self.closed_at or (self.vote_opened_at and self.closes_at and now >= self.closes_at):
            return Stage.CLOSED
        if self.vote_opened_at:
            return Stage.OPEN
        if self.announced_at:
            return Stage.ANNOUNCED
        return Stage.DRAFT

    def may_open_from(self) -> datetime.datetime | None:
        """The earliest moment the vote may open: the end of the notice period, and not
        before the announced opening time."""
        if not self.announced_at:
            return None
        earliest = self.announced_at + datetime.timedelta(
            days=notice_days(self.decision_compound())
        )
        return max(earliest, self.opens_at) if self.opens_at else earliest

    def check_accepts_answers(self, now: datetime.datetime | None = None) -> None:
        """Refuse (ValidationError) an answer outside the voting period: the one check every
        way of writing an answer passes through."""
        from django.core.exceptions import ValidationError

        now = now or timezone.now()
        stage = self.stage(now)
        if stage in (Stage.CLOSED, Stage.PUBLISHED):
            raise ValidationError(_closed_message(self), code="closed")
        if stage != Stage.OPEN:
            raise ValidationError(gettext("The vote has not been opened yet."), code="not_open")
        if self.opens_at and now < self.opens_at:
            raise ValidationError(
                gettext("Voting opens at %(time)s.")
                % {"time": f"{timezone.localtime(self.opens_at):%Y-%m-%d %H:%M}"},
                code="not_open",
            )

    def decision_compound(self):
        raise NotImplementedError


def _closed_message(decision) -> str:
    at = decision.closed_at or decision.closes_at
    return gettext("The vote closed at %(time)s: answers can no longer be recorded.") % {
        "time": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
    }


def sponsor_refusal(body, units) -> str | None:
    """Why `body` may not sponsor an owners' decision over `units`, or None when it may
    (docs/domain.md, "Owners' decisions": who may sponsor). An owners' committee sponsors
    for its own compound or courtyard; the neighbourhood committee for a place with no
    owners' committee (Civil Code Art. 277); a self-management committee only proposes."""
    from committees.models.bodies import Body  # bodies.py builds on this module

    if body.kind == Body.Kind.SELF_MANAGEMENT:
        return gettext(
            "A self-management committee may propose an owners' decision, but the "
            "neighbourhood committee sponsors it: choose the neighbourhood committee."
        )
    units = list(units)
    if body.kind == Body.Kind.OWNERS:
        outside = [
            u
            for u in units
            if u.building.compound_id != body.compound_id
            or (body.courtyard_id and u.building.courtyard_id != body.courtyard_id)
        ]
        if outside:
            return gettext(
                "An owners' committee sponsors decisions of its own place only: %(place)s."
            ) % {"place": body.place}
        return None
    compounds = {u.building.compound_id for u in units}
    courtyards = {u.building.courtyard_id for u in units} - {None}
    served = Body.objects.active().filter(
        kind=Body.Kind.OWNERS, community=body.community_id, compound__in=compounds
    )
    served = served.filter(Q(courtyard__isnull=True) | Q(courtyard__in=courtyards))
    names = sorted({b.name for b in served})
    if names:
        return gettext(
            "%(names)s serves these units: their owners' committee sponsors the decision."
        ) % {"names": "、".join(names)}
    return None
