"""Meetings of the three bodies: schedule, attendance, agenda, minutes, decisions, actions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import Body
from jinzang.names import person_name
from residents.models import Resident


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of the bodies of the communities where the user holds a role."""
        return self.filter(body__in=Body.objects.visible_to(user))

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(place__icontains=text)
            | Q(
                pk__in=AgendaItem.objects.filter(
                    Q(title__icontains=text) | Q(minutes__icontains=text)
                ).values("meeting")
            )
            | Q(pk__in=Decision.objects.filter(text__icontains=text).values("meeting"))
        )


class Meeting(models.Model):
    """A meeting convened by one body."""

    class Kind(models.TextChoices):
        WORK = "work", _("Work meeting")
        OPINION = "opinion", _("Opinion-collection meeting")
        ASSEMBLY = "assembly", _("Owners' assembly")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("convening body")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.WORK)
    title = models.CharField(_("subject"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["body", "-starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting", args=[self.pk])

    def can_manage(self, user) -> bool:
        """Record the meeting, its attendees, items, decisions and actions: the convening
        body's managers."""
        return self.body.can_manage(user)

    def minutes_readable_by(self, user) -> bool:
        """Minutes are read once the meeting is held; the body's managers see them all along."""
        return self.status == self.Status.HELD or self.can_manage(user)


class Attendee(models.Model):
    """Someone who attended: a resident or a staff member with an account."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="meetings_attended",
        null=True,
        blank=True,
        verbose_name=_("resident"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meetings_attended",
        null=True,
        blank=True,
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resident__isnull=False) & Q(user__isnull=True))
                | (Q(resident__isnull=True) & Q(user__isnull=False)),
                name="attendee_resident_or_staff",
            ),
            models.UniqueConstraint(
                fields=["meeting", "resident"], name="attendee_unique_resident"
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="attendee_unique_user"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.resident_id:
            return self.resident.name
        return person_name(self.user)


class OutsideParty(models.Model):
    """An organisation's representative at a meeting: a contractor, a department, a unit."""

    class Kind(models.TextChoices):
        CONTRACTOR = "contractor", _("Contractor")
        GOVERNMENT = "government", _("Government department")
        STATIONED_UNIT = "unit", _("Stationed unit")
        PROPERTY_MANAGER = "manager", _("Property manager")
        OTHER = "other", _("Other organisation")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="outside_parties", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.CONTRACTOR)
    organisation = models.CharField(_("organisation"), max_length=200)
    name = models.CharField(_("representative"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("outside party")
        verbose_name_plural = _("outside parties")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.organisation} {self.name}".strip()


class AgendaItem(models.Model):
    """One item on a meeting's agenda, with its minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("item"), max_length=200)
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        help_text=_(
            "Plain text. A blank line starts a paragraph; lines starting with “- ” make a list."
        ),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the changes, so that an edit made from an older page is refused."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title


class Decision(models.Model):
    """A decision taken at a meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        related_name="decisions",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"))
    signed_by = models.CharField(
        _("signed by"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who signed for the committee when the decision was an agreement signed at or "
            "after the meeting (a name, and a role if useful)."
        ),
    )
    project = models.ForeignKey(
        "meetings.Project",
        on_delete=models.SET_NULL,
        related_name="decisions",
        null=True,
        blank=True,
        verbose_name=_("project"),
        help_text=_("The project this decision concerns; where owners voted, its consent records."),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.text[:60]


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(meeting__in=Meeting.objects.visible_to(user))

    def open(self):
        return self.filter(status=Action.Status.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def owned_by(self, user):
        return self.filter(owner_user=user)

    def with_context(self):
        return self.select_related(
            "meeting__body", "owner_user", "owner_resident", "owner_party", "item"
        )


class Action(models.Model):
    """A follow-up action: what, who (a person or an outside party), by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        related_name="actions",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
    )
    description = models.CharField(_("action"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        null=True,
        blank=True,
        verbose_name=_("owner (staff or member)"),
    )
    owner_resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        null=True,
        blank=True,
        verbose_name=_("owner (resident)"),
    )
    owner_party = models.ForeignKey(
        OutsideParty,
        on_delete=models.CASCADE,
        related_name="actions",
        null=True,
        blank=True,
        verbose_name=_("owner (outside party)"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False)
                | Q(owner_resident__isnull=False)
                | Q(owner_party__isnull=False),
                name="action_has_owner",
                violation_error_message=_("An action needs an owner."),
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.description

    @property
    def owner_name(self):
        if self.owner_user_id:
            return person_name(self.owner_user)
        if self.owner_resident_id:
            return self.owner_resident.name
        return str(self.owner_party) if self.owner_party_id else ""

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
