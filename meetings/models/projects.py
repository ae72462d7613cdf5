"""Renovation projects and the consent of the households they cover.

Two kinds of consent: a voluntary co-funding campaign (each household agrees
or not, and pledges its share; a unit goes ahead when its own threshold is
met) and a formal owners' decision under Civil Code Art. 278 (one answer per
owner, counted by head and by area over the roll frozen when the vote opens).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import Body, Member
from committees.models.decisions import DecisionSteps, Stage
from jinzang.uploads import MAX_UPLOAD_BYTES, validate_image_or_pdf
from meetings.models.meetings import Meeting
from residents.access import Access
from residents.models import AccessGrant, Household, OwnerRoll, OwnerRollEntry, Unit
from residents.owners.owners_vote import Matter

MAX_SCAN_BYTES = MAX_UPLOAD_BYTES


def validate_scan(upload) -> None:
    """A scan or photo of the signed paper (kept under this name for the migrations)."""
    validate_image_or_pdf(upload)


def scan_path(record, filename):
    return f"consent/{record.project_id}/{record.household_id}/{filename}"


def authority_path(record, filename):
    return f"consent/{record.project_id}/{record.household_id}/authority/{filename}"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their communities' projects; committee members those of their compound
        (or courtyard) only."""
        return self.filter(
            Access.of(user).place_q(
                community="body__community", compound="body__compound", courtyard="body__courtyard"
            )
        )

    def recordable_by(self, user):
        """Projects in which the user may record answers: among those the user may see, the
        ones whose sponsoring body the user may act for (its current members, the community's
        neighbourhood-committee staff, administrators: `Body.objects.manageable_by`, the rule
        that also decides who manages the project) and those that named the user a grid
        worker. The one home of the right to record, whatever the way of recording."""
        named = GridWorker.objects.filter(user_id=user.pk).values("project")
        return self.visible_to(user).filter(
            Q(body__in=Body.objects.manageable_by(user)) | Q(pk__in=named)
        )

    def ballots_of(self, resident):
        """The owners' decisions a resident's own account reaches (the residents' door):
        those whose vote has opened and whose frozen roll lists the resident as an owner,
        and those covering a household the resident belongs to today (a family member or
        tenant reads the matter and why they do not vote)."""
        on_roll = OwnerRollEntry.objects.filter(owners=resident).values("roll")
        homes = Project.units.through.objects.filter(
            unit__households__memberships__resident=resident
        ).values("project")
        return self.filter(
            Q(roll__in=on_roll) | Q(pk__in=homes),
            consent_kind=Project.ConsentKind.OWNERS_DECISION,
            vote_opened_at__isnull=False,
        )


class Project(DecisionSteps):
    """A renovation project covering a set of units, and the consent it collects. An
    owners' decision goes through the steps of `DecisionSteps` (docs/domain.md, "Owners'
    decisions")."""

    class ConsentKind(models.TextChoices):
        COFUNDING = "cofunding", _("Voluntary co-funding")
        OWNERS_DECISION = "decision", _("Owners' decision (Civil Code Art. 278)")

    class Status(models.TextChoices):
        SURVEYING = "surveying", _("Surveying")
        COLLECTING = "collecting", _("Collecting consent")
        AGREED = "agreed", _("Agreed")
        IN_WORKS = "in_works", _("In works")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="projects", verbose_name=_("sponsoring body")
    )
    units = models.ManyToManyField(
        Unit, related_name="projects", verbose_name=_("units covered"), blank=True
    )
    consent_kind = models.CharField(
        _("kind of consent"), max_length=10, choices=ConsentKind, default=ConsentKind.COFUNDING
    )
    matter = models.CharField(
        _("matter"),
        max_length=12,
        choices=Matter,
        blank=True,
        help_text=_("For an owners' decision: the matter decides the majority needed."),
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=4,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal(1))],
        help_text=_(
            "For co-funding: the share of a unit's households that must agree before work "
            "starts in it (1 = all)."
        ),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SURVEYING)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    contractor = models.CharField(_("contractor"), max_length=200, blank=True)
    meetings = models.ManyToManyField(
        Meeting, related_name="projects", blank=True, verbose_name=_("meetings")
    )
    roll = models.OneToOneField(
        OwnerRoll,
        on_delete=models.PROTECT,
        related_name="project",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("owner roll"),
        help_text=_("For an owners' decision: the owners and areas frozen when the vote opened."),
    )
    vote_opened_at = models.DateTimeField(_("vote opened"), null=True, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_kind="cofunding") | ~Q(matter=""),
                name="project_decision_has_matter",
                violation_error_message=_("An owners' decision needs its matter."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lte=1),
                name="project_threshold_share",
                violation_error_message=_("The threshold is a share between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])

    @property
    def is_decision(self):
        return self.consent_kind == self.ConsentKind.OWNERS_DECISION

    @property
    def needs_every_household(self) -> bool:
        """For co-funding: a unit goes ahead only once every one of its households agrees
        (the threshold 1, the default), as the work in a unit is shared by all of it
        (docs/domain.md, "Projects and consent")."""
        return self.threshold >= 1

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers the project's kind of consent accepts, in the order they are shown."""
        if self.is_decision:
            return ConsentRecord.DECISION_ANSWERS
        return ConsentRecord.COFUNDING_ANSWERS

    @property
    def missing_answer(self) -> str:
        """The answer of a covered household with no record yet: it has not voted (an
        owners' decision) or has not been reached (co-funding). Every count and list of
        the project's answers reads a missing record as this answer."""
        if self.is_decision:
            return ConsentRecord.Answer.NOT_VOTED
        return ConsentRecord.Answer.NOT_REACHED

    @property
    def vote_is_open(self) -> bool:
        """An owners' decision whose vote is open now: its tally is not a result yet."""
        return self.is_decision and self.stage() == Stage.OPEN

    @property
    def decision_stage(self) -> str | None:
        """The step an owners' decision stands at (`DecisionSteps.stage`); None for
        co-funding."""
        return self.stage() if self.is_decision else None

    def decision_compound(self):
        """The compound whose rules of procedure apply: the sponsor's, else that of the
        units covered (a neighbourhood committee's decision)."""
        if self.body.compound_id:
            return self.body.compound
        unit = self.units.select_related("building__compound").first()
        return unit.building.compound if unit else None

    def covered_households(self):
        return Household.objects.filter(unit__projects=self)

    def can_manage(self, user) -> bool:
        """Edit the project, open its vote, export, name its grid workers: the sponsoring
        body's managers."""
        return self.body.can_manage(user)

    def can_record(self, user) -> bool:
        """Record a household's answer (grid, record page, visit, import): see
        `ProjectQuerySet.recordable_by`."""
        return Project.objects.recordable_by(user).filter(pk=self.pk).exists()

    def grid_worker_candidates(self):
        """Who may be named a grid worker: account holders whose access covers the project's
        place (as `visible_to` reads it) and who may not record in it yet, that is committee
        members of its compound or courtyard without a seat on the sponsoring body.
        Neighbourhood-committee staff and the body's members record anyway."""
        body = self.body
        place = Q(role=AccessGrant.Role.COMMITTEE_MEMBER) & (
            Q(compound_id=body.compound_id, courtyard__isnull=True)
            | (Q(courtyard_id=body.courtyard_id) if body.courtyard_id else Q(pk__in=[]))
        )
        sees = AccessGrant.objects.active().filter(place, community_id=body.community_id)
        staff = AccessGrant.objects.active().filter(
            role=AccessGrant.Role.NEIGHBOURHOOD_STAFF, community_id=body.community_id
        )
        seated = Member.objects.current().filter(term__body=body, user__isnull=False)
        return (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=False, pk__in=sees.values("user"))
            .exclude(pk__in=staff.values("user"))
            .exclude(pk__in=seated.values("user"))
            .exclude(pk__in=self.grid_workers.values("user"))
            .order_by("last_name", "first_name", "username")
        )

    def grid_worker_log(self) -> list:
        """Every naming and removal of the project's grid workers, newest first: one query."""
        return list(
            GridWorker.history.filter(project_id=self.pk, history_type__in=["+", "-"])
            .select_related("user", "history_user")
            .order_by("-history_date", "-history_id")
        )


class ConsentRecordQuerySet(models.QuerySet):
    def outstanding(self):
        """Records still to be visited: not reached, undecided, or not voted."""
        return self.filter(answer__in=ConsentRecord.TO_VISIT)


class ConsentRecord(models.Model):
    """One household's answer to a project, with how and by whom it was recorded."""

    class Answer(models.TextChoices):
        AGREE = "agree", _("Agrees")
        DECLINE = "decline", _("Declines")
        UNDECIDED = "undecided", _("Undecided")
        NOT_REACHED = "not_reached", _("Not reached")
        DISAGREE = "disagree", _("Disagrees")
        ABSTAIN = "abstain", _("Abstains")
        NOT_VOTED = "not_voted", _("Has not voted")

    #: The answers each kind of consent accepts.
    COFUNDING_ANSWERS = ("agree", "decline", "undecided", "not_reached")
    DECISION_ANSWERS = ("agree", "disagree", "abstain", "not_voted")
    #: The answers that send someone back to the door (a missing record reads as one).
    TO_VISIT = ("not_reached", "undecided", "not_voted")

    class Channel(models.TextChoices):
        VISIT = "visit", _("Door-to-door visit")
        MEETING = "meeting", _("At a meeting")
        PAPER = "paper", _("Paper form")
        IN_PERSON = "in_person", _("The resident in person")
        ONLINE = "online", _("Online, by the owner")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consents", verbose_name=_("project")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="consents", verbose_name=_("household")
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Answer)
    contribution = models.DecimalField(
        _("contribution (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    conditions = models.CharField(
        _("conditions raised"),
        max_length=300,
        blank=True,
        help_text=_("e.g. repair the wall surfaces afterwards"),
    )
    channel = models.CharField(
        _("recorded through"), max_length=10, choices=Channel, default=Channel.VISIT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    scan = models.FileField(
        _("scan of the signed form"),
        upload_to=scan_path,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "gif", "webp"]),
            validate_scan,
        ],
    )
    voter = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        related_name="votes_cast",
        null=True,
        blank=True,
        verbose_name=_("voter"),
        help_text=_(
            "An owners' decision: the owner or co-owner on the frozen roll whose vote this is "
            "(cast by them, or by their proxy)."
        ),
    )
    proxy_name = models.CharField(
        _("proxy"),
        max_length=100,
        blank=True,
        help_text=_("Someone who voted for the owner with their written authority."),
    )
    proxy_relation = models.CharField(_("proxy's relation to the owner"), max_length=50, blank=True)
    proxy_authority = models.FileField(
        _("written authority (授权委托书)"),
        upload_to=authority_path,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png", "gif", "webp"]),
            validate_scan,
        ],
    )
    ballot_number = models.CharField(
        _("ballot number"),
        max_length=30,
        blank=True,
        help_text=_("The number printed on the paper ballot, if any: unique in the decision."),
    )
    receipt_code = models.CharField(
        _("verification code"),
        max_length=10,
        blank=True,
        editable=False,
        help_text=_(
            "An online ballot's code, shown to the owner on the receipt and listed by "
            "building in the result notice: unique in the decision, new at every change."
        ),
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Raised on every change: a stale form is refused.")
    )

    history = HistoricalRecords()
    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["project", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household"], name="consent_one_per_household"
            ),
            models.CheckConstraint(
                condition=Q(contribution__isnull=True) | Q(contribution__gte=0),
                name="consent_contribution_not_negative",
                violation_error_message=_("A contribution cannot be below zero."),
            ),
            models.UniqueConstraint(
                fields=["project", "ballot_number"],
                condition=~Q(ballot_number=""),
                name="consent_ballot_number_unique",
                violation_error_message=_(
                    "This ballot number is already recorded in the decision."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "receipt_code"],
                condition=~Q(receipt_code=""),
                name="consent_receipt_code_unique",
            ),
        ]

    def __str__(self):
        return f"{self.project_id}:{self.household_id}:{self.answer}"


class GridWorker(models.Model):
    """A grid worker (网格员) the sponsoring body has named to record answers for one project.

    Naming and removal are kept in the history (who, when), shown on the project page."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="grid_workers", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grid_work",
        verbose_name=_("grid worker"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("named by"),
    )
    added_at = models.DateTimeField(_("named at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid worker")
        verbose_name_plural = _("grid workers")
        ordering = ["project", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="gridworker_once_per_project")
        ]

    def __str__(self):
        return f"{self.project_id}:{self.user_id}"
