"""The three bodies (三会): committees, their terms (届), members and elections.

Seats on a body give access to the register: the services in `services.py`
create an AccessGrant (residents) when a member with a login account takes a
seat and end it when the seat ends.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models.decisions import DecisionSteps, Stage
from jinzang.names import person_name
from residents.access import Access
from residents.models import (
    AccessGrant,
    Community,
    Compound,
    Courtyard,
    Household,
    OwnerRoll,
    PlacedInCompound,
    Resident,
)

# An owners' committee (docs/domain.md, "The three bodies"): its size, the length of its
# term and the filing of its election. The size's bounds are a setting
# (settings.OWNERS_COMMITTEE_SIZE); the numbers below are the law's.
TERM_YEARS = 5  # a term lasts at most five years
FILING_DAYS = 30  # the election is filed within 30 days (物业管理条例 Art. 16)
TERM_END_WARNING_DAYS = 90  # the dashboard warns this long before a term's end


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validate_committee_size(seats) -> None:
    """An owners' committee has 5 to 11 members (the bounds: settings.OWNERS_COMMITTEE_SIZE),
    an odd number of them."""
    low, high = settings.OWNERS_COMMITTEE_SIZE
    if seats is not None and (seats < low or seats > high or seats % 2 == 0):
        raise ValidationError(
            _("An owners' committee has an odd number of members, from %(low)s to %(high)s.")
            % {"low": low, "high": high},
            code="committee_size",
        )


class BodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bodies of the communities where the user holds any role."""
        return self.filter(Access.of(user).community_q("community"))

    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def manageable_by(self, user):
        """Bodies the user may act for: staff their communities' bodies, members their own."""
        if not user.is_authenticated:
            return self.none()
        own = Member.objects.current().filter(user=user).values("term__body")
        return self.filter(Access.of(user).staff_q("community", or_=Q(pk__in=own)))


class Body(PlacedInCompound):
    """One of the three bodies: the neighbourhood committee, an owners' committee or a
    self-management committee."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood committee")
        OWNERS = "owners", _("Owners' committee")
        SELF_MANAGEMENT = "self", _("Self-management committee")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind)
    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="bodies",
        null=True,
        blank=True,
        verbose_name=_("compound"),
        help_text=_("The compound an owners' or self-management committee serves."),
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        related_name="bodies",
        null=True,
        blank=True,
        verbose_name=_("courtyard"),
        help_text=_("Set when the committee serves one courtyard of the compound only."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="neighbourhood") & Q(compound__isnull=True) & Q(courtyard__isnull=True)
                )
                | (~Q(kind="neighbourhood") & Q(compound__isnull=False)),
                name="body_scope_matches_kind",
                violation_error_message=_(
                    "A neighbourhood committee serves the whole community; owners' and "
                    "self-management committees serve a compound or one of its courtyards."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "community"],
                condition=Q(kind="neighbourhood", dissolved_on__isnull=True),
                name="body_one_neighbourhood_committee",
                violation_error_message=_("This community already has a neighbourhood committee."),
            ),
            models.UniqueConstraint(
                fields=["kind", "compound"],
                condition=Q(courtyard__isnull=True, dissolved_on__isnull=True)
                & ~Q(kind="neighbourhood"),
                name="body_one_per_kind_and_compound",
                violation_error_message=_(
                    "This compound already has a committee of this kind. Dissolve it first."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "courtyard"],
                condition=Q(courtyard__isnull=False, dissolved_on__isnull=True),
                name="body_one_per_kind_and_courtyard",
                violation_error_message=_(
                    "This courtyard already has a committee of this kind. Dissolve it first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="body_dissolved_after_founded",
                violation_error_message=_("A body cannot be dissolved before it was founded."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:body", args=[self.pk])

    @property
    def place(self):
        return self.courtyard or self.compound or self.community

    def clean(self):
        if self.compound_id and self.compound.community_id != self.community_id:
            raise ValidationError({"compound": _("The compound must belong to the community.")})
        super().clean()  # the courtyard belongs to the compound
        if self.kind == self.Kind.SELF_MANAGEMENT and self.dissolved_on is None:
            owners = Body.objects.active().filter(kind=self.Kind.OWNERS, compound=self.compound_id)
            owners = owners.filter(Q(courtyard__isnull=True) | Q(courtyard=self.courtyard_id))
            if owners.exclude(pk=self.pk).exists():
                raise ValidationError(
                    _(
                        "A self-management committee serves a courtyard without an owners' "
                        "committee; this place already has one."
                    )
                )

    def can_manage(self, user) -> bool:
        """Neighbourhood-committee staff of the community, and the body's own current members."""
        return manages(user, community_id=self.community_id, bodies=[self.pk])


class TermQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Terms of the bodies the user sees (BodyQuerySet.visible_to)."""
        return self.filter(Access.of(user).community_q("body__community"))

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def needing_attention(self, on: datetime.date):
        """Terms of active owners' committees that need doing something about on `on`
        (docs/domain.md, "The three bodies"): a body's last term within 90 days of its end
        or past it (its end date, else five years after its start), and a term whose
        election's filing is overdue. Each term says which: `is_ending`, `filing_overdue`;
        `election_pk` is its first round, where the filing is shown."""
        soon = on + datetime.timedelta(days=TERM_END_WARNING_DAYS)
        later = Term.objects.filter(
            body=models.OuterRef("body"), number__gt=models.OuterRef("number")
        )
        ending = ~models.Exists(later) & (
            Q(ends_on__isnull=False, ends_on__lte=soon)
            | Q(ends_on__isnull=True, starts_on__lte=add_years(soon, -TERM_YEARS))
        )
        overdue = models.Exists(
            ElectionFiling.objects.filter(term=models.OuterRef("pk")).overdue(on)
        )
        first_round = Election.objects.filter(term=models.OuterRef("pk"), round=1)
        return (
            self.filter(body__kind=Body.Kind.OWNERS, body__dissolved_on__isnull=True)
            .annotate(
                is_ending=models.ExpressionWrapper(ending, output_field=models.BooleanField()),
                filing_overdue=overdue,
                election_pk=models.Subquery(first_round.values("pk")[:1]),
            )
            .filter(Q(is_ending=True) | Q(filing_overdue=True))
        )

    def with_counts(self):
        current = Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=models.F("ends_on"))
        party = Q(members__resident__is_party_member=True) | Q(
            members__resident__isnull=True, members__is_party_member=True
        )
        return self.annotate(
            n_members=Count("members", filter=current, distinct=True),
            n_party=Count("members", filter=current & party, distinct=True),
        )


class Term(models.Model):
    """A term (届) of a body, from its start to its end; terms of one body do not overlap."""

    class FormedBy(models.TextChoices):
        ELECTION = "election", _("Election")
        APPOINTMENT = "appointment", _("Appointment")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="terms", verbose_name=_("body")
    )
    number = models.PositiveSmallIntegerField(
        _("term number"), help_text=_("1 for the 1st term (第一届).")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty while the term runs.")
    )
    formed_by = models.CharField(
        _("formed by"), max_length=12, choices=FormedBy, default=FormedBy.ELECTION
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["body", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="term_unique_number",
                violation_error_message=_("This body already has a term with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return _("%(body)s, term %(number)s") % {"body": self.body, "number": self.number}

    def overlapping(self):
        """Other terms of the same body whose dates meet this one's."""
        others = Term.objects.filter(body=self.body_id).exclude(pk=self.pk)
        if self.ends_on:
            others = others.filter(starts_on__lte=self.ends_on)
        return others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))

    @property
    def latest_end(self) -> datetime.date:
        """The last day an owners' committee's term may end on: five years after its start
        (docs/domain.md, "The three bodies")."""
        return add_years(self.starts_on, TERM_YEARS)

    def clean(self):
        if self.body_id and self.starts_on and self.overlapping().exists():
            raise ValidationError(
                _("The dates overlap another term of this body; end that term first.")
            )
        if (
            self.body_id
            and self.starts_on
            and self.ends_on
            and self.body.kind == Body.Kind.OWNERS
            and self.ends_on > self.latest_end
        ):
            raise ValidationError(
                {
                    "ends_on": _(
                        "A term of an owners' committee lasts at most five years: this one "
                        "may end on %(date)s at the latest."
                    )
                    % {"date": date_format(self.latest_end, "DATE_FORMAT")}
                }
            )


class MemberQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(starts_on__lte=on),
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on),
        )

    def with_people(self):
        return self.select_related("resident", "user")

    def linking_people(self):
        """Seats held by a resident on the register with their own account: the one place
        where a resident and an account are known to be the same person."""
        return self.filter(resident__isnull=False, user__isnull=False)


class Member(models.Model):
    """A seat on a body within one term: a resident (or a staff user) in a role."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="members", verbose_name=_("term")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="seats",
        null=True,
        blank=True,
        verbose_name=_("resident"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="seats",
        null=True,
        blank=True,
        verbose_name=_("login account"),
        help_text=_(
            "The member's Jinzang account; the seat gives it access to the body's register."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=50,
        blank=True,
        help_text=_("For neighbourhood-committee staff who are not on the register."),
    )
    is_party_member = models.BooleanField(
        _("party member"),
        default=False,
        help_text=_(
            "Only for members who are not on the register; a resident's is read from the resident."
        ),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    elected_in = models.ForeignKey(
        "Election",
        on_delete=models.SET_NULL,
        related_name="elected_members",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("elected in"),
        help_text=_("The election round that gave the seat; empty for a seat given otherwise."),
    )
    access_grant = models.OneToOneField(
        AccessGrant,
        on_delete=models.SET_NULL,
        related_name="seat",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("access grant"),
    )

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["term", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(user__isnull=False) | ~Q(name=""),
                name="member_is_someone",
                violation_error_message=_("Choose a resident or a staff account."),
            ),
            models.UniqueConstraint(
                fields=["term", "resident"],
                condition=Q(resident__isnull=False, ends_on__isnull=True),
                name="member_one_seat_per_resident",
                violation_error_message=_("This resident already holds a seat in this term."),
            ),
            models.UniqueConstraint(
                fields=["term", "user"],
                condition=Q(user__isnull=False, ends_on__isnull=True),
                name="member_one_seat_per_user",
                violation_error_message=_("This account already holds a seat in this term."),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(role="chair", ends_on__isnull=True),
                name="member_one_chair",
                violation_error_message=_("This term already has a chair; end that seat first."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="member_ends_after_start",
                violation_error_message=_("A seat cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.display_name} · {self.get_role_display()}"

    @property
    def display_name(self):
        if self.resident_id:
            return self.resident.name
        if self.name:
            return self.name
        if self.user_id:
            return person_name(self.user)
        return ""

    @property
    def party_member(self) -> bool:
        return self.resident.is_party_member if self.resident_id else self.is_party_member


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(term__body__in=Body.objects.visible_to(user))


class Election(DecisionSteps):
    """One round of the owners' election that forms an owners' committee term (Civil Code
    Art. 278): the election itself, then any run-off among candidates tied for the last
    seats (docs/domain.md, "The three bodies"). Each round is an owners' decision of the
    matter "electing the committee": drafted, announced, opened, closed and published
    through the steps of `DecisionSteps` (docs/domain.md, "Owners' decisions")."""

    class Status(models.TextChoices):
        # Whether the close has run (seats taken, filing due); `stage()` says the step.
        OPEN = "open", _("Counting")
        CLOSED = "closed", _("Closed")

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="elections", verbose_name=_("term")
    )
    round = models.PositiveSmallIntegerField(
        _("round"),
        default=1,
        help_text=_(
            "1 for the election; 2 and on for run-offs among candidates tied for the last seats."
        ),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        help_text=_(
            "How many members are elected: the committee's size in the election, the seats "
            "left unfilled by a tie in a run-off."
        ),
    )
    held_on = models.DateField(_("held on"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    roll = models.OneToOneField(
        OwnerRoll,
        on_delete=models.PROTECT,
        related_name="election",
        null=True,
        blank=True,
        verbose_name=_("owner roll"),
        help_text=_("The owners and areas frozen when the vote opened: the denominator."),
    )
    vote_opened_at = models.DateTimeField(_("vote opened"), null=True, blank=True, editable=False)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "-round"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(condition=Q(round__gte=1), name="election_round_positive"),
            models.UniqueConstraint(
                fields=["term", "round"],
                name="election_one_round_number_per_term",
                violation_error_message=_(
                    "This term already has an election round of this number."
                ),
            ),
        ]

    def __str__(self):
        if self.is_runoff:
            return _("Election of %(term)s, run-off %(round)s") % {
                "term": self.term,
                "round": self.round - 1,
            }
        return _("Election of %(term)s") % {"term": self.term}

    def get_absolute_url(self):
        return reverse("committees:election", args=[self.pk])

    @property
    def is_runoff(self) -> bool:
        return self.round > 1

    def decision_compound(self):
        """The compound whose rules of procedure give the notice period: the body's."""
        return self.term.body.compound

    @property
    def stage_label(self) -> str:
        """The step the round stands at, in words (`DecisionSteps.stage`)."""
        return Stage(self.stage()).label

    def clean(self):
        # The election sets the committee's size; a run-off fills what a tie left of it.
        if self.round == 1:
            try:
                validate_committee_size(self.seats)
            except ValidationError as error:
                raise ValidationError({"seats": error}) from None


class Candidate(models.Model):
    """A resident standing in an election."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("election")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("resident")
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "resident"],
                name="candidate_unique",
                violation_error_message=_("This resident is already a candidate."),
            )
        ]

    def __str__(self):
        return self.resident.name


class Ballot(models.Model):
    """One owner's ballot: an owner of several units casts one, co-owners cast one together."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("election")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("household")
    )
    voter = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="ballots",
        verbose_name=_("voter"),
        help_text=_("The owner (or co-owner) who cast the ballot."),
    )
    owner_key = models.CharField(_("owner"), max_length=40, editable=False)
    choices = models.ManyToManyField(
        Candidate, related_name="ballots", blank=True, verbose_name=_("votes for")
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

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["election", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "owner_key"],
                name="ballot_one_per_owner",
                violation_error_message=_("This owner has already cast a ballot."),
            )
        ]

    def __str__(self):
        return f"{self.election_id}:{self.owner_key}"


class ChairChoice(models.Model):
    """The chair (and vice-chair) the elected members chose among themselves after the
    election; the latest choice gives the term's seats their roles."""

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="chair_choices", verbose_name=_("term")
    )
    chair = models.ForeignKey(
        Member, on_delete=models.RESTRICT, related_name="+", verbose_name=_("chair")
    )
    vice_chair = models.ForeignKey(
        Member,
        on_delete=models.RESTRICT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("vice-chair"),
    )
    chosen_on = models.DateField(
        _("chosen on"), help_text=_("The day the elected members chose them.")
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

    class Meta:
        verbose_name = _("choice of the chair")
        verbose_name_plural = _("choices of the chair")
        ordering = ["term", "-chosen_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(chair=models.F("vice_chair")),
                name="chair_choice_two_people",
                violation_error_message=_("The chair and the vice-chair are two members."),
            )
        ]

    def __str__(self):
        return _("Chair of %(term)s chosen on %(date)s") % {
            "term": self.term,
            "date": date_format(self.chosen_on, "DATE_FORMAT"),
        }


class ElectionFilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(term__body__in=Body.objects.visible_to(user))

    def overdue(self, on: datetime.date):
        return self.filter(filed_on__isnull=True, due_on__lt=on)


class ElectionFiling(models.Model):
    """The filing (备案) of an owners' committee's election with the sub-district, due within
    30 days of the result (docs/domain.md, "The three bodies")."""

    term = models.OneToOneField(
        Term, on_delete=models.CASCADE, related_name="filing", verbose_name=_("term")
    )
    due_on = models.DateField(
        _("due on"), help_text=_("30 days after the election that made the result final.")
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_with = models.CharField(
        _("filed with"),
        max_length=100,
        blank=True,
        help_text=_("The office that received the filing: the sub-district, the district."),
    )
    reference = models.CharField(
        _("reference number"),
        max_length=50,
        blank=True,
        help_text=_("The number the office gave the filing, if any."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    objects = ElectionFilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("filing of an election")
        verbose_name_plural = _("filings of elections")
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | ~Q(filed_with=""),
                name="election_filing_says_where",
                violation_error_message=_("Say which office received the filing."),
            )
        ]

    def __str__(self):
        return _("Filing of the election of %(term)s") % {"term": self.term}

    def days_left(self, on: datetime.date | None = None) -> int:
        """Days until the filing is due (negative: overdue by that many)."""
        return (self.due_on - (on or timezone.localdate())).days


# The manage rule (docs/domain.md, Who sees what). Every model that can be managed (a body,
# a fund, a facility, a volunteer team, a request, a notice, a meeting, a project, a visit
# campaign) answers `can_manage(user)` from the functions below, and every page asks it the
# same way (jinzang.permissions.ManageMixin).


def manages(user, *, community_id, bodies=None) -> bool:
    """Whether `user` manages a thing of the community `community_id`: its staff (and
    administrators) manage everything in it; otherwise the current members of `bodies`,
    the bodies that hold the thing (bodies or their keys; None: staff only)."""
    if not user.is_authenticated:
        return False
    if Access.of(user).is_staff_of(community_id):
        return True
    if bodies is None:
        return False
    return Member.objects.current().filter(user=user, term__body__in=bodies).exists()


def manages_place(user, *, community_id, compound_id, courtyard_id=None) -> bool:
    """Who acts for a compound's shared things (its fund, its facilities): staff of the
    community, and current members of a committee serving the compound as a whole or
    the courtyard in question."""
    serving = (
        Body.objects.active()
        .filter(compound=compound_id)
        .filter(Q(courtyard__isnull=True) | Q(courtyard=courtyard_id))
    )
    return manages(user, community_id=community_id, bodies=serving)


def manages_anything(user) -> bool:
    """Whether `user` manages anything at all: staff of a community, or a current member of
    a body. Such a user may receive a request, open one from a visit, and run visit
    campaigns."""
    return Access.of(user).is_staff_role or Body.objects.manageable_by(user).exists()
