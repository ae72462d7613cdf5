"""Owner rolls: the owners and areas of a vote, frozen when it opens (Art. 278)."""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.models.places import Household


class OwnerRoll(models.Model):
    """The owners and exclusive areas of a vote, frozen when the vote opens (Art. 278).

    Later changes to the register do not move the denominator: the count reads
    the roll, not the register.
    """

    created_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("owner roll")
        verbose_name_plural = _("owner rolls")
        ordering = ["-created_at"]

    def __str__(self):
        return self.description or _("Owner roll of %(date)s") % {
            "date": timezone.localtime(self.created_at).date()
        }

    def electorate(self):
        """The roll as the tally sees it: one Owner per owner key."""
        from residents.owners.owners_vote import Electorate, Owner

        groups: dict[str, tuple[set[int], Decimal]] = {}
        for key, household_id, area in self.entries.values_list(
            "owner_key", "household_id", "area"
        ):
            ids, total = groups.get(key, (set(), Decimal(0)))
            ids.add(household_id)
            groups[key] = (ids, total + area)
        return Electorate(
            owners=tuple(
                Owner(key=key, household_ids=frozenset(ids), area=total)
                for key, (ids, total) in sorted(groups.items())
            )
        )


class OwnerRollEntry(models.Model):
    """One household on a frozen roll, with the owner it counts under and its area then."""

    roll = models.ForeignKey(
        OwnerRoll, on_delete=models.CASCADE, related_name="entries", verbose_name=_("roll")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="roll_entries",
        verbose_name=_("household"),
    )
    owner_key = models.CharField(
        _("owner"),
        max_length=40,
        help_text=_("Households with the same key belong to one owner and count once by head."),
    )
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=8, decimal_places=2)
    owners = models.ManyToManyField(
        "residents.Resident",
        related_name="owner_roll_entries",
        blank=True,
        verbose_name=_("owners"),
        help_text=_(
            "The owners and co-owners of the household when the vote opened: who may vote."
        ),
    )

    class Meta:
        verbose_name = _("owner roll entry")
        verbose_name_plural = _("owner roll entries")
        ordering = ["roll", "owner_key", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["roll", "household"], name="rollentry_unique_household"
            ),
        ]
        indexes = [models.Index(fields=["roll", "owner_key"])]

    def __str__(self):
        return f"{self.roll_id}:{self.owner_key}:{self.household_id}"
