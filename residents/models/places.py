"""Places: community > compound > courtyard (optional) > building > unit > household.

Who may see which of them is asked of the scope rule (`residents.access`) by the
`visible_to(user)` QuerySet methods.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from residents.access import Access


class Community(models.Model):
    """A community (社区) under a sub-district: the neighbourhood committee's area."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    sub_district = models.CharField(_("sub-district"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = Access.of(user)
        if access.is_admin:
            return self
        return self.filter(
            Q(community_id__in=access.staff_community_ids)
            | Q(pk__in=access.compound_ids)
            | Q(pk__in=Courtyard.objects.filter(pk__in=access.courtyard_ids).values("compound_id"))
        )

    def with_counts(self, user):
        """Buildings, units, households, residents and area of the part the user may see."""
        seen = Access.of(user).building_q("buildings__")
        households = "buildings__units__households"
        return self.select_related("community").annotate(
            n_buildings=Count("buildings", filter=seen, distinct=True),
            n_units=Count("buildings__units", filter=seen, distinct=True),
            n_households=Count(households, filter=seen, distinct=True),
            n_residents=Count(f"{households}__memberships__resident", filter=seen, distinct=True),
            total_area=Subquery(
                Household.objects.filter(Access.of(user).building_q("unit__building__"))
                .filter(unit__building__compound=OuterRef("pk"))
                .values("unit__building__compound")
                .annotate(total=Sum("area"))
                .values("total")
            ),
        )


class Compound(models.Model):
    """A residential compound (小区) within a community."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=100)
    built = models.CharField(
        _("built"), max_length=50, blank=True, help_text=_("When it was built, e.g. 1980s or 1996.")
    )
    notes = models.TextField(_("notes"), blank=True)
    decision_notice_days = models.PositiveSmallIntegerField(
        _("notice before a vote (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15)],
        help_text=_(
            "The days between announcing an owners' decision and opening its vote, as the "
            "compound's rules of procedure set them: at least 15 (物业管理条例 Art. 14). "
            "Empty: 15."
        ),
    )

    objects = CompoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("residents:compound", args=[self.pk])


class Courtyard(models.Model):
    """A courtyard (院): part of a compound that may govern itself separately."""

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="courtyards", verbose_name=_("compound")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("courtyard")
        verbose_name_plural = _("courtyards")
        ordering = ["compound", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="courtyard_unique_name"),
        ]

    def __str__(self):
        return self.name


class PlacedInCompound(models.Model):
    """Something placed in a compound, or in one courtyard of it: a building, a facility, a
    fund, a committee. Its `compound` and `courtyard` fields stay declared on each model."""

    courtyard_outside_compound = _("The courtyard must belong to the compound.")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (
            self.courtyard_id
            and self.compound_id
            and self.courtyard.compound_id != self.compound_id
        ):
            raise ValidationError({"courtyard": self.courtyard_outside_compound})


class BuildingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(Access.of(user).building_q())

    def with_counts(self):
        return self.annotate(
            n_units=Count("units", distinct=True),
            n_households=Count("units__households", distinct=True),
            n_residents=Count("units__households__memberships__resident", distinct=True),
        )


class Building(PlacedInCompound):
    """A building (栋) of a compound, optionally inside one of its courtyards."""

    courtyard_outside_compound = _("The courtyard must belong to the building's compound.")

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        related_name="buildings",
        null=True,
        blank=True,
        verbose_name=_("courtyard"),
    )
    number = models.CharField(
        _("number"), max_length=20, help_text=_("The building number, e.g. 17.")
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound", "number"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "number"], name="building_unique_number"),
        ]

    def __str__(self):
        return _("Building %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("residents:building", args=[self.pk])


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(Access.of(user).building_q("building__"))


class Unit(models.Model):
    """An entrance or stairwell (单元 / 号房) of a building."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("building")
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("The unit number, e.g. 2."))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number"),
        ]

    def __str__(self):
        return _("Unit %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("residents:unit", args=[self.pk])


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(Access.of(user).building_q("unit__building__"))

    def with_place(self):
        return self.select_related("unit__building__compound", "unit__building__courtyard")


class Household(models.Model):
    """A household (户): one dwelling behind a door number in a unit."""

    class Occupancy(models.TextChoices):
        OWNER_OCCUPIED = "owner", _("Owner-occupied")
        RENTED = "rented", _("Rented")
        VACANT = "vacant", _("Vacant")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("unit")
    )
    door_number = models.CharField(
        _("door number"), max_length=20, help_text=_("The number on the door, e.g. 301.")
    )
    area = models.DecimalField(
        _("exclusive area (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Exclusive floor area in square metres: the registered area, else the surveyed "
            "area, else the contract area. Counts in owners' votes."
        ),
    )
    developer_unsold = models.BooleanField(
        _("unsold, held by the developer"),
        default=False,
        help_text=_("All of the developer's unsold units count as one owner in owners' votes."),
    )
    not_handed_over = models.BooleanField(
        _("sold, not yet handed over"),
        default=False,
        help_text=_(
            "Sold but not yet handed over to the buyer: counts with the developer's unsold "
            "units as one owner in owners' votes."
        ),
    )
    occupancy = models.CharField(
        _("occupancy"), max_length=10, choices=Occupancy, default=Occupancy.OWNER_OCCUPIED
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the changes, so that an edit made from an older page is refused."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["unit", "door_number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "door_number"], name="household_unique_door"),
            models.CheckConstraint(condition=Q(area__gte=0), name="household_area_not_negative"),
        ]
        # The resident search looks households up by door number alone.
        indexes = [models.Index(fields=["door_number"], name="household_door_number")]

    def __str__(self):
        b = self.unit.building
        return _("%(compound)s building %(building)s unit %(unit)s, %(door)s") % {
            "compound": b.compound.name,
            "building": b.number,
            "unit": self.unit.number,
            "door": self.door_number,
        }

    def get_absolute_url(self):
        return reverse("residents:household", args=[self.pk])
