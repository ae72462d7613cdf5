"""Public notices: published by a body for its whole community or for some places.

Residents read them without an account. A published notice is never edited
silently: each correction keeps the earlier text as a revision readers see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.models.bodies import Body
from jinzang.uploads import extension_validator, validate_image_or_pdf
from residents.models import Building, Compound, Courtyard


class NoticeQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published, not withdrawn, not expired: what anyone may read."""
        now = now or timezone.now()
        return self.filter(publish_at__lte=now, withdrawn_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def for_compound(self, compound):
        """Notices addressed to the compound: the whole community, the compound itself,
        one of its courtyards or one of its buildings."""
        return self.filter(
            Q(for_whole_community=True, body__community=compound.community_id)
            | Q(compounds=compound)
            | Q(courtyards__compound=compound)
            | Q(buildings__compound=compound)
        ).distinct()

    def for_compounds(self, compounds):
        """Notices addressed to any of `compounds` (a queryset), as `for_compound` reads one:
        a resident's compounds (the residents' door)."""
        return self.filter(
            Q(for_whole_community=True, body__community__in=compounds.values("community"))
            | Q(compounds__in=compounds)
            | Q(courtyards__compound__in=compounds)
            | Q(buildings__compound__in=compounds)
        ).distinct()

    def managed_by(self, user):
        return self.filter(body__in=Body.objects.manageable_by(user))


def audience_compounds(bodies):
    """The compounds notices of `bodies` may address, with their courtyards and buildings: a
    neighbourhood committee's, every compound of its community; any other body's, its own
    compound (a courtyard's committee, its courtyard's compound). Only a neighbourhood
    committee addresses its whole community."""
    neighbourhood = bodies.filter(kind=Body.Kind.NEIGHBOURHOOD)
    return Compound.objects.filter(
        Q(community__in=neighbourhood.values("community"))
        | Q(pk__in=bodies.exclude(kind=Body.Kind.NEIGHBOURHOOD).values("compound"))
    )


class Notice(models.Model):
    """A notice for residents."""

    class Category(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        MEETING = "meeting", _("Meeting notice")
        DISCLOSURE = "disclosure", _("Public disclosure")
        RENOVATION = "renovation", _("Renovation")
        SAFETY = "safety", _("Safety")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="notices", verbose_name=_("publishing body")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Plain text. A blank line starts a paragraph; lines starting with “- ” make a list."
        ),
    )
    category = models.CharField(
        _("category"), max_length=15, choices=Category, default=Category.ANNOUNCEMENT
    )
    for_whole_community = models.BooleanField(
        _("whole community"),
        default=True,
        help_text=_("Otherwise the notice is for the compounds, courtyards or buildings chosen."),
    )
    compounds = models.ManyToManyField(
        Compound, blank=True, related_name="notices", verbose_name=_("compounds")
    )
    courtyards = models.ManyToManyField(
        Courtyard, blank=True, related_name="notices", verbose_name=_("courtyards")
    )
    buildings = models.ManyToManyField(
        Building, blank=True, related_name="notices", verbose_name=_("buildings")
    )
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, db_index=True, help_text=_("Empty: a draft.")
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    locked_until = models.DateTimeField(
        _("may not be withdrawn before"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A decision's result notice stays up, unchanged, for its public period."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-pk"]
        # The public list reads a page in this order without sorting every notice.
        indexes = [models.Index(fields=["-pinned", "-publish_at", "-id"], name="notice_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
                violation_error_message=_("A notice must expire after it is published."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:notice", args=[self.pk])

    def can_manage(self, user) -> bool:
        """Edit, publish or withdraw the notice: its body's managers."""
        return self.body.can_manage(user)

    def can_read(self, user) -> bool:
        """A published notice is anyone's; a draft, scheduled or withdrawn one its body's
        managers' only."""
        return self.is_public or self.can_manage(user)

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.withdrawn_at:
            return "withdrawn"
        if self.publish_at is None:
            return "draft"
        if self.publish_at > now:
            return "scheduled"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "published"

    @property
    def is_locked(self) -> bool:
        """Whether the notice is in a public period during which it may be neither
        withdrawn nor changed (an owners' decision's result, docs/domain.md)."""
        return self.locked_until is not None and timezone.now() < self.locked_until

    @property
    def is_public(self) -> bool:
        return self.state == "published"

    def audience_label(self) -> str:
        """The places whose residents the notice addresses, as staff are told after saving."""
        if self.for_whole_community:
            return self.body.community.name
        places = [c.name for c in self.compounds.all()]
        places += [c.name for c in self.courtyards.all()]
        places += [f"{b.compound.name} {b}" for b in self.buildings.select_related("compound")]
        return str(pgettext_lazy("between the items of a list in running text", ", ")).join(places)


class NoticeRevision(models.Model):
    """The text of a published notice before a correction."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("notice")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    reason = models.CharField(_("reason for the correction"), max_length=200)
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice revision")
        verbose_name_plural = _("notice revisions")
        ordering = ["notice", "-corrected_at"]

    def __str__(self):
        return f"{self.notice_id}@{self.corrected_at:%Y-%m-%d %H:%M}"


def attachment_path(attachment, filename):
    return f"notices/{attachment.notice_id}/{filename}"


class NoticeAttachment(models.Model):
    """An image or PDF attached to a notice."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        validators=[extension_validator, validate_image_or_pdf],
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "pk"]

    def __str__(self):
        return self.title or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self):
        return not self.file.name.lower().endswith(".pdf")
