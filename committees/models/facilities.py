"""Facilities (公共设施) of the compounds and their inspections.

A broken facility opens a residents' request (`committees.facilities.services`). The
tables kept their names from when the models lived in `residents`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models.bodies import manages_place
from residents.access import Access
from residents.models import Compound, Courtyard, PlacedInCompound


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Facilities of the compounds and courtyards the user may see, as for buildings."""
        return self.filter(Access.of(user).building_q())

    def with_place(self):
        return self.select_related("compound", "courtyard")


class Facility(PlacedInCompound):
    """A shared facility of a compound: a leisure area, fitness equipment, a fire station..."""

    courtyard_outside_compound = _("The courtyard must belong to the facility's compound.")

    class Kind(models.TextChoices):
        CULTURAL_LEISURE = "cultural_leisure", _("Cultural leisure area")
        FITNESS = "fitness", _("Fitness area")
        MICRO_FIRE_STATION = "micro_fire_station", _("Micro fire station")
        PARKING_SHED = "parking_shed", _("Parking shed")
        OTHER = "other", _("Other")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn")
        BROKEN = "broken", _("Broken")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("compound")
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        related_name="facilities",
        null=True,
        blank=True,
        verbose_name=_("courtyard"),
        help_text=_("Set when the facility belongs to one courtyard of the compound."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("Where to find it, e.g. between buildings 17 and 18."),
    )
    condition = models.CharField(
        _("condition"), max_length=15, choices=Condition, default=Condition.GOOD, db_index=True
    )
    last_inspected = models.DateField(
        _("last inspected"),
        null=True,
        blank=True,
        help_text=_("Set by the latest inspection recorded."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        db_table = "residents_facility"
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["compound_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "name"],
                name="facility_unique_name",
                violation_error_message=_("This compound already has a facility of this name."),
            ),
            models.CheckConstraint(
                condition=Q(condition__in=["good", "worn", "broken", "out_of_service"]),
                name="facility_condition_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("facilities:detail", args=[self.pk])

    @property
    def place(self):
        return self.courtyard or self.compound

    def can_manage(self, user) -> bool:
        """Inspect the facility, report it broken: staff of the community, and members of
        the committee serving its compound or courtyard."""
        return manages_place(
            user,
            community_id=self.compound.community_id,
            compound_id=self.compound_id,
            courtyard_id=self.courtyard_id,
        )

    @property
    def needs_repair(self) -> bool:
        return self.condition in (self.Condition.BROKEN, self.Condition.OUT_OF_SERVICE)


class FacilityInspection(models.Model):
    """One inspection of a facility: when, what condition it was found in, by whom."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("facility")
    )
    inspected_on = models.DateField(_("inspected on"))
    condition = models.CharField(_("condition found"), max_length=15, choices=Facility.Condition)
    notes = models.TextField(_("notes"), blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="facility_inspections",
        null=True,
        blank=True,
        verbose_name=_("inspected by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "residents_facilityinspection"
        verbose_name = _("facility inspection")
        verbose_name_plural = _("facility inspections")
        ordering = ["-inspected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(condition__in=["good", "worn", "broken", "out_of_service"]),
                name="inspection_condition_valid",
            ),
        ]

    def __str__(self):
        return f"{self.facility} · {self.inspected_on}"
