"""Care records: residents in difficulty whom the neighbourhood committee looks after."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DateField, ExpressionWrapper, F, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jinzang.db import Hours
from residents.access import Access
from residents.care import CARE_VISIT_PURPOSE
from residents.models.people import Resident
from residents.models.places import Community, Household


class CareRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Care records are personal information: administrators, and neighbourhood-committee
        staff of the community the record belongs to; nobody else sees any."""
        return self.filter(Access.of(user).personal_q("community"))

    def active(self):
        return self.filter(ended_on__isnull=True)

    def with_last_care_visit(self):
        """The date of each record's last care visit (`last_visit`) and the day the next one
        is due (`due_on`), computed in the database. Care visits are `meetings.Visit` rows,
        read through the related name `visits` so that residents imports no higher app."""
        records = self.annotate(
            last_visit=Max("visits__visited_on", filter=Q(visits__purpose=CARE_VISIT_PURPOSE))
        )
        return records.annotate(
            due_on=ExpressionWrapper(
                Coalesce("last_visit", "started_on") + Hours(F("visit_every_days") * 24),
                output_field=DateField(),
            )
        )

    def due(self, today=None):
        """Active records (annotated by `with_last_care_visit`) whose visit is due."""
        today = today or timezone.localdate()
        return self.filter(ended_on__isnull=True, due_on__lte=today)


class CareRecord(models.Model):
    """A resident in difficulty whom the neighbourhood committee looks after (连心桥)."""

    class Circumstance(models.TextChoices):
        ELDERLY_ALONE = "elderly_alone", _("Elderly, living alone")
        DISABILITY = "disability", _("Disability")
        ILLNESS = "illness", _("Serious illness")
        LOW_INCOME = "low_income", _("Low income (dibao)")
        LEFT_BEHIND = "left_behind", _("Left-behind child or elder")
        OTHER = "other", _("Other difficulty")

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="care_records",
        verbose_name=_("community"),
        help_text=_("The community whose neighbourhood committee looks after the resident."),
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="care_records", verbose_name=_("resident")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="care_records",
        verbose_name=_("household"),
        help_text=_("Where the resident is visited."),
    )
    circumstance = models.CharField(_("circumstance"), max_length=20, choices=Circumstance)
    needs = models.TextField(
        _("needs"), blank=True, help_text=_("What help the resident needs, in plain words.")
    )
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit every (days)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("A care visit is due this many days after the last one."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_records",
        verbose_name=_("responsible staff"),
    )
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("Leave empty while care goes on.")
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CareRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("care record")
        verbose_name_plural = _("care records")
        ordering = ["ended_on", "resident__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="carerecord_ends_after_start",
                violation_error_message=_("Care cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=Q(visit_every_days__gte=1),
                name="carerecord_visit_interval_positive",
                violation_error_message=_("Visits must be due at least every day."),
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_circumstance_display()}"

    def get_absolute_url(self):
        return reverse("visits:care", args=[self.pk])

    def clean(self):
        if (
            self.household_id
            and self.resident_id
            and not self.resident.memberships.filter(household_id=self.household_id).exists()
        ):
            raise ValidationError(
                {"household": _("The resident does not belong to this household.")}
            )
        if (
            self.household_id
            and self.community_id
            and self.household.unit.building.compound.community_id != self.community_id
        ):
            raise ValidationError(
                {"household": _("The household is outside the record's community.")}
            )
