"""Door-to-door visits (入户走访) by staff, party members and volunteers, and the campaigns
that group them toward a goal (Bailajing 2013: nearly 1,000 visits in two months)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import ResidentRequest, manages_anything
from meetings.models.projects import ConsentRecord, Project
from residents.access import Access
from residents.care import CARE_VISIT_PURPOSE
from residents.models import CareRecord, Community, Compound, Courtyard, Household


class Purpose(models.TextChoices):
    MOBILISATION = "mobilisation", _("Mobilisation (project or election)")
    OPINION = "opinion", _("Opinion collection")
    CARE = CARE_VISIT_PURPOSE, _("Care visit")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class VisitCampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their communities' campaigns; committee members those of their compound
        or courtyard (a campaign over the whole community is staff's)."""
        return self.filter(
            Access.of(user).place_q(
                community="community", compound="compound", courtyard="courtyard"
            )
        )

    def with_progress(self):
        return self.annotate(
            n_visits=Count("visits", distinct=True),
            n_households=Count("visits__household", distinct=True),
        )

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class VisitCampaign(models.Model):
    """A drive of visits toward a goal, over a community, a compound or a courtyard."""

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="visit_campaigns",
        verbose_name=_("community"),
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_campaigns",
        verbose_name=_("compound"),
        help_text=_("Leave empty for a campaign over the whole community."),
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_campaigns",
        verbose_name=_("courtyard"),
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    goal = models.PositiveIntegerField(
        _("goal (visits)"),
        validators=[MinValueValidator(1)],
        help_text=_("How many visits the campaign aims for."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_campaigns",
        verbose_name=_("project"),
        help_text=_("The project the campaign mobilises for, if any."),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = VisitCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit campaign")
        verbose_name_plural = _("visit campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="visitcampaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(goal__gte=1),
                name="visitcampaign_goal_positive",
                violation_error_message=_("The goal must be at least one visit."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visits:campaign", args=[self.pk])

    def can_manage(self, user) -> bool:
        """Change the campaign: whoever may run campaigns (`manages_anything`); one of the
        whole community only its staff."""
        if self.compound_id is None:
            return Access.of(user).can_see_personal_in(self.community_id)
        return manages_anything(user)

    def clean(self):
        if (
            self.compound_id
            and self.community_id
            and self.compound.community_id != self.community_id
        ):
            raise ValidationError({"compound": _("The compound is outside the community.")})
        if self.courtyard_id:
            if self.compound_id and self.courtyard.compound_id != self.compound_id:
                raise ValidationError({"courtyard": _("The courtyard is outside the compound.")})
            self.compound_id = self.courtyard.compound_id
        if self.purpose == Purpose.CARE:
            raise ValidationError(
                {"purpose": _("Care visits are recorded on the care records, not in campaigns.")}
            )

    def households(self):
        """The households the campaign covers."""
        households = Household.objects.filter(
            unit__building__compound__community_id=self.community_id
        )
        if self.courtyard_id:
            return households.filter(unit__building__courtyard_id=self.courtyard_id)
        if self.compound_id:
            return households.filter(unit__building__compound_id=self.compound_id)
        return households


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Visits to households the user may see; care visits (personal information) only to
        the staff who may see care records."""
        access = Access.of(user)
        # The visit's own compound (the household's, kept in step) spares joining household,
        # unit and building, except for courtyard members.
        place = access.place_q(
            community="compound__community",
            compound="compound",
            courtyard="household__unit__building__courtyard",
        )
        return self.filter(place).filter(
            access.personal_q("compound__community", where=Q(purpose=Purpose.CARE))
        )

    def with_place(self):
        return self.select_related(
            "household__unit__building__compound", "household__unit__building__courtyard"
        )

    def bulk_create(self, objs, *args, **kwargs):
        """Fills in the compound of visits that do not name it, from their households."""
        objs = list(objs)
        missing = sorted({v.household_id for v in objs if v.compound_id is None})
        compounds = {}
        for i in range(0, len(missing), 5000):
            compounds.update(
                Household.objects.filter(pk__in=missing[i : i + 5000]).values_list(
                    "pk", "unit__building__compound_id"
                )
            )
        for visit in objs:
            if visit.compound_id is None:
                visit.compound_id = compounds.get(visit.household_id)
        return super().bulk_create(objs, *args, **kwargs)

    def sync_compounds(self):
        """Sets the compound of these visits to their household's again (a household, unit
        or building was moved): one UPDATE."""
        place = Household.objects.filter(pk=OuterRef("household_id")).values(
            "unit__building__compound_id"
        )[:1]
        return self.update(compound_id=Subquery(place))


class Visit(models.Model):
    """One visit to a household: who went, why, what came of it."""

    class Outcome(models.TextChoices):
        MET = "met", _("Met the household")
        NOT_HOME = "not_home", _("Nobody at home")
        REFUSED = "refused", _("Did not want to talk")
        FOLLOW_UP = "follow_up", _("Met; follow-up needed")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("household")
    )
    # The household's compound, copied so the dashboard groups a year of visits by compound
    # without joining household, unit and building (measured 24 ms of a 200 ms dashboard at
    # 100,000 residents on PostgreSQL). save() and bulk_create() set it; meetings.visits.signals
    # keeps it right when a household, unit or building moves.
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # the index (visited_on, compound) below serves
        verbose_name=_("compound"),
    )
    visited_on = models.DateField(_("date"), default=timezone.localdate)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, default=Outcome.MET)
    notes = models.TextField(_("notes"), blank=True)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="visits_made",
        blank=True,
        verbose_name=_("visitors with an account"),
    )
    other_visitors = models.CharField(
        _("other visitors"),
        max_length=200,
        blank=True,
        help_text=_("Party members or volunteers without an account, by name."),
    )
    campaign = models.ForeignKey(
        VisitCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("campaign"),
    )
    care_record = models.ForeignKey(
        CareRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("care record"),
    )
    consent = models.ForeignKey(
        ConsentRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("consent answer recorded"),
    )
    request = models.ForeignKey(
        ResidentRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("request opened"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()
    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        # The first covers the dashboard's visits per compound and month over the whole
        # sub-district (an index-only range scan) and the list's visits since a day; the
        # second the same for one community's staff, compound by compound (purpose: care
        # visits are counted only for those who may see care), without reading the
        # sub-district's visits to keep a twentieth of them (37 ms to 23 ms a dashboard on
        # seed_large, SQLite).
        indexes = [
            models.Index(fields=["visited_on", "compound"], name="visit_day_compound"),
            models.Index(fields=["compound", "visited_on", "purpose"], name="visit_compound_day"),
        ]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} · {self.get_purpose_display()}"

    def save(self, *args, **kwargs):
        self.compound_id = (
            Household.objects.filter(pk=self.household_id)
            .values_list("unit__building__compound_id", flat=True)
            .first()
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("visits:visit", args=[self.pk])
