"""Volunteer teams (志愿服务队), their members, and the service they give.

The community's recruited party members and resident volunteers serve in functional
teams (lecturers, public-opinion surveyors, study tutors, courtyard patrols...); each
service activity records who took part and for how many hours, which adds up to the
"365" year-round service tally per team and per person (see `service_tally`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models.bodies import manages
from residents.access import Access
from residents.models import Community, Compound, Resident

HOURS = DecimalField(max_digits=9, decimal_places=1)


class VolunteerTeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Teams serve the whole community: everyone with a role in it sees them."""
        return self.filter(Access.of(user).community_q("community"))

    def manageable_by(self, user):
        """Neighbourhood-committee staff run the community's teams."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Access.of(user).staff_q("community"))


class VolunteerTeam(models.Model):
    """A functional volunteer team of the community (e.g. 志愿讲师队)."""

    class Kind(models.TextChoices):
        LECTURERS = "lecturers", _("Volunteer lecturers")
        SURVEYORS = "surveyors", _("Public-opinion surveyors")
        TUTORS = "tutors", _("Study tutors")
        PATROL = "patrol", _("Courtyard security patrol")
        CULTURE = "culture", _("Culture and publicity")
        SANITATION = "sanitation", _("Environment and sanitation")
        CARE = "care", _("Care and mutual help")
        EMERGENCY = "emergency", _("Emergency rescue")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("purpose"), max_length=12, choices=Kind, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    leader = models.ForeignKey(
        "Volunteer",
        on_delete=models.SET_NULL,
        related_name="teams_led",
        null=True,
        blank=True,
        verbose_name=_("leader"),
        help_text=_("A member of the team."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = VolunteerTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="volunteerteam_unique_name",
                violation_error_message=_("The community already has a team of this name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:team", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.leader_id and self.pk and self.leader.team_id != self.pk:
            raise ValidationError({"leader": _("The leader must be a member of the team.")})

    def can_manage(self, user) -> bool:
        """Neighbourhood-committee staff run the community's teams."""
        return manages(user, community_id=self.community_id)


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(team__in=VolunteerTeam.objects.visible_to(user))

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(joined__lte=on), Q(left__isnull=True) | Q(left__gte=on))

    def party_members(self):
        return self.filter(
            Q(resident__is_party_member=True) | Q(resident__isnull=True, is_party_member=True)
        )


class Volunteer(models.Model):
    """A person serving in a team: a resident on the register, or someone named (a party
    member recruited from outside the register). A person may serve in several teams."""

    team = models.ForeignKey(
        VolunteerTeam, on_delete=models.CASCADE, related_name="volunteers", verbose_name=_("team")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="volunteer_roles",
        null=True,
        blank=True,
        verbose_name=_("resident"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="volunteer_roles",
        null=True,
        blank=True,
        verbose_name=_("login account"),
    )
    name = models.CharField(
        _("name"),
        max_length=50,
        help_text=_("Copied from the register for a resident; typed for anyone else."),
    )
    is_party_member = models.BooleanField(
        _("party member"),
        default=False,
        help_text=_(
            "Only for volunteers who are not on the register; a resident's is read from the "
            "resident."
        ),
    )
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(_("left"), null=True, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["team_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "resident"],
                condition=Q(resident__isnull=False),
                name="volunteer_once_per_team",
                violation_error_message=_("This resident is already in the team."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="volunteer_has_name",
                violation_error_message=_("A volunteer needs a name."),
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="volunteer_leaves_after_joining",
                violation_error_message=_("A volunteer cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:person", args=[self.pk])

    @property
    def party_member(self) -> bool:
        return self.resident.is_party_member if self.resident_id else self.is_party_member


class ServiceActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(team__in=VolunteerTeam.objects.visible_to(user))

    def sync_hours(self):
        """Sets `hours_total` of these activities to the sum of their hours again, in one
        UPDATE."""
        total = (
            ServiceHours.objects.filter(activity=OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        return self.update(
            hours_total=Coalesce(Subquery(total, output_field=HOURS), Value(Decimal("0.0")))
        )


class ServiceActivity(models.Model):
    """One service a team gave: a lecture, a patrol, a tutoring afternoon..."""

    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("team"),
    )
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    description = models.CharField(_("what was done"), max_length=300)
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="service_activities",
        null=True,
        blank=True,
        verbose_name=_("compound"),
        help_text=_("The compound served, if one."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="service_activities",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    # The sum of the participants' hours, kept so the dashboard adds up a sub-district's
    # year of activities without reading every participant's row (measured: 41,600 rows
    # took 40 ms of the dashboard on each database). Written by ServiceHours' save, delete
    # and bulk_create (committees.volunteers.signals); tests/volunteers checks it against the rows.
    hours_total = models.DecimalField(
        _("hours in all"), max_digits=9, decimal_places=1, default=Decimal("0.0"), editable=False
    )

    objects = ServiceActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("service activity")
        verbose_name_plural = _("service activities")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date} {self.description}"


class ServiceHoursQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Creates the rows, then brings their activities' `hours_total` up to date."""
        created = super().bulk_create(objs, *args, **kwargs)
        activities = sorted({row.activity_id for row in created})
        for i in range(0, len(activities), 5000):
            ServiceActivity.objects.filter(pk__in=activities[i : i + 5000]).sync_hours()
        return created


class ServiceHours(models.Model):
    """The hours one volunteer gave in one activity."""

    activity = models.ForeignKey(
        ServiceActivity, on_delete=models.CASCADE, related_name="hours", verbose_name=_("activity")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        on_delete=models.PROTECT,
        related_name="service_hours",
        verbose_name=_("volunteer"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    objects = ServiceHoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["activity_id", "volunteer_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="servicehours_positive",
                violation_error_message=_("Hours are more than 0 and at most 24."),
            ),
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                name="servicehours_once_per_activity",
                violation_error_message=_("This volunteer's hours are already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer_id}: {self.hours}"
