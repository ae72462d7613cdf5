"""Access grants: who may see which part of the register, and why, kept as data.

The rule that reads them is `residents.access.Access`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from residents.models.places import Community, Compound, Courtyard


class AccessGrantQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class AccessGrant(models.Model):
    """Who may see which part of the register, and why: kept as data so it can be audited.

    The committees' services create and end grants as memberships start and end;
    an administrator may also grant access by hand, stating the reason.
    """

    class Role(models.TextChoices):
        NEIGHBOURHOOD_STAFF = "staff", _("Neighbourhood-committee staff")
        COMMITTEE_MEMBER = "member", _("Committee member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="access_grants",
        verbose_name=_("community"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.CASCADE,
        related_name="access_grants",
        null=True,
        blank=True,
        verbose_name=_("compound"),
        help_text=_("For committee members: the compound their body serves."),
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.CASCADE,
        related_name="access_grants",
        null=True,
        blank=True,
        verbose_name=_("courtyard"),
        help_text=_("Narrows a committee member's access to one courtyard of the compound."),
    )
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("Why this access was granted.")
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AccessGrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["user", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="staff") & Q(compound__isnull=True) & Q(courtyard__isnull=True))
                | (Q(role="member") & Q(compound__isnull=False)),
                name="accessgrant_scope_matches_role",
                violation_error_message=_(
                    "Staff are granted a whole community; a committee member a compound "
                    "(and optionally one of its courtyards)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="accessgrant_ends_after_start",
                violation_error_message=_("A grant cannot end before it starts."),
            ),
        ]

    def __str__(self):
        place = self.courtyard or self.compound or self.community
        return f"{self.user} · {self.get_role_display()} · {place}"

    def clean(self):
        if self.user_id and hasattr(self.user, "resident_account"):
            raise ValidationError(
                {"user": _("A resident's own account cannot be given a role in the register.")}
            )
        if (
            self.compound_id
            and self.community_id
            and self.compound.community_id != self.community_id
        ):
            raise ValidationError({"compound": _("The compound must belong to the community.")})
        if self.courtyard_id and self.courtyard.compound_id != self.compound_id:
            raise ValidationError({"courtyard": _("The courtyard must belong to the compound.")})
