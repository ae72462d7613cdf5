"""Residents' requests (急难愁盼): what a resident raised, its timeline and photos, and the
three whistles (三哨) that escalate it to the sub-district, the party branch or the
party-building alliance, whose responders report what they did."""

from django.conf import settings
from django.db import models
from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models.bodies import Body, manages
from committees.models.facilities import Facility
from jinzang.db import Hours
from jinzang.uploads import extension_validator, validate_image_or_pdf
from residents.access import Access
from residents.models import Building, Community, Compound, Household, Resident
from residents.validators import mask_phone, validate_callback_phone


class RequestCategory(models.Model):
    """A kind of problem residents raise, with the targets to accept and to resolve it."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    response_hours = models.PositiveSmallIntegerField(
        _("hours to accept"),
        help_text=_("Target: a request is accepted within this many hours of being received."),
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("days to resolve"),
        help_text=_("Target: a request is resolved within this many days of being received."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    for_facilities = models.BooleanField(
        _("for broken facilities"),
        default=False,
        help_text=_("A facility reported broken opens a request in this category."),
    )
    for_corrections = models.BooleanField(
        _("for corrections to the register"),
        default=False,
        help_text=_(
            "A resident who asks, from their own page, for a correction to what the register "
            "holds about them raises a request in this category."
        ),
    )

    class Meta:
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_hours__gte=1) & Q(resolution_days__gte=1),
                name="requestcategory_targets_positive",
                violation_error_message=_("Targets must be at least one hour and one day."),
            ),
        ]

    def __str__(self):
        return self.name


class AllianceMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Member organisations of the communities where the user holds any role."""
        return self.filter(Access.of(user).community_q("community"))


class AllianceMember(models.Model):
    """A member of the community's party-building alliance (党建联盟): a party organisation,
    of a stationed unit, a government department or an enterprise (docs/domain.md,
    "Requests and whistles")."""

    class Kind(models.TextChoices):
        STATIONED_UNIT = "unit", _("Party organisation of a stationed unit")
        DEPARTMENT = "department", _("Party organisation of a government department")
        ENTERPRISE = "enterprise", _("Party organisation of an enterprise")

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="alliance_members",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    party_members = models.PositiveIntegerField(
        _("party members"), default=0, help_text=_("Party members the organisation counts.")
    )

    objects = AllianceMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="alliancemember_unique_name",
                violation_error_message=_("This organisation is already in the alliance."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_contact_phone(self):
        return mask_phone(self.contact_phone)


class ResidentRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their communities' requests; committee members those of their compound
        (or of the buildings of their courtyard)."""
        return self.filter(
            Access.of(user).place_q(
                community="community",
                compound="compound",
                courtyard=("building__courtyard", "facility__courtyard"),
            )
        )

    def open(self):
        return self.filter(status__in=ResidentRequest.OPEN)

    def resolved(self):
        return self.filter(status__in=ResidentRequest.DONE)

    def with_timing(self, now=None):
        """Due times from the category's targets, the times taken, and whether a target is
        missed now (`is_overdue`) or was ever missed (`missed_target`)."""
        now = now or timezone.now()
        Status = ResidentRequest.Status
        timed = self.annotate(
            response_due=ExpressionWrapper(
                F("received_at") + Hours(F("category__response_hours")),
                output_field=models.DateTimeField(),
            ),
            resolution_due=ExpressionWrapper(
                F("received_at") + Hours(F("category__resolution_days") * 24),
                output_field=models.DateTimeField(),
            ),
            response_time=ExpressionWrapper(
                F("accepted_at") - F("received_at"), output_field=DurationField()
            ),
            resolution_time=ExpressionWrapper(
                F("resolved_at") - F("received_at"), output_field=DurationField()
            ),
        )
        overdue = Q(status=Status.RECEIVED, response_due__lt=now) | Q(
            status__in=ResidentRequest.OPEN, resolution_due__lt=now
        )
        missed = (
            overdue | Q(accepted_at__gt=F("response_due")) | Q(resolved_at__gt=F("resolution_due"))
        )
        return timed.annotate(
            is_overdue=ExpressionWrapper(overdue, output_field=models.BooleanField()),
            missed_target=ExpressionWrapper(missed, output_field=models.BooleanField()),
        )

    def raised_by_resident(self, resident):
        """A resident's own requests (the residents' door): those they raised, wherever."""
        return self.filter(raised_by=resident)

    def overdue(self, now=None):
        """Open requests not accepted within the category's hours, or not resolved within
        its days, of being received."""
        return self.with_timing(now).filter(is_overdue=True)


class ResidentRequest(models.Model):
    """A problem a resident (or an anonymous neighbour) brought to a committee."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CONFIRMED = "confirmed", _("Confirmed by the resident")
        CLOSED = "closed", _("Closed, not actionable")

    class Channel(models.TextChoices):
        VISIT = "visit", _("Household visit")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    OPEN = (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS)
    DONE = (Status.RESOLVED, Status.CONFIRMED)

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="requests", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("compound"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("building"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("household"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("facility"),
        help_text=_("A facility on the register that the request is about."),
    )
    shared_place = models.CharField(
        _("shared place"),
        max_length=100,
        blank=True,
        help_text=_("A shared place or facility, e.g. the fitness area or the bicycle shed."),
    )
    raised_by = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("raised by"),
        help_text=_("Empty for an anonymous neighbour."),
    )
    callback_phone = models.CharField(
        _("phone to call back"),
        max_length=20,
        blank=True,
        validators=[validate_callback_phone],
        help_text=_(
            "The number to give the reply on, as the raiser gave it: theirs or a relative's, "
            "on the register or not. Personal information: masked to committee members."
        ),
    )
    category = models.ForeignKey(
        RequestCategory,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("category"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "Shown on the public page once resolved: describe the problem, not the people "
            "(no names, no door numbers)."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    received_through = models.CharField(
        _("received through"), max_length=10, choices=Channel, default=Channel.IN_PERSON
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="requests_received",
        null=True,
        blank=True,
        verbose_name=_("received by"),
    )
    handling_body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("handling body"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.RECEIVED, db_index=True
    )
    reply = models.TextField(
        _("reply to the resident"),
        blank=True,
        help_text=_(
            "Required to resolve. Shown on the public page once resolved: no names, no doors."
        ),
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    public = models.BooleanField(
        _("on the public page"),
        default=True,
        help_text=_("Show the title and the reply among the resolved problems."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_(
            "Counts the changes, so that two "
            "people acting on the request at once do not overwrite each other."
        ),
    )

    history = HistoricalRecords(excluded_fields=["version"])
    objects = ResidentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident request")
        verbose_name_plural = _("resident requests")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["community", "status", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(compound__isnull=False) | ~Q(shared_place=""),
                name="request_has_a_place",
                violation_error_message=_("Say where: a compound or a facility."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "confirmed"])
                | (~Q(reply="") & Q(resolved_at__isnull=False)),
                name="request_resolved_with_reply",
                violation_error_message=_("A resolved request needs a reply to the resident."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="request_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(close_reason="") & Q(closed_at__isnull=False)),
                name="request_closed_with_reason",
                violation_error_message=_("A closed request needs the reason it was closed."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "closed"]) | Q(accepted_at__isnull=False),
                name="request_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_at__gte=F("received_at")),
                name="request_accepted_after_received",
                violation_error_message=_("A request cannot be accepted before it is received."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")),
                name="request_resolved_after_received",
                violation_error_message=_("A request cannot be resolved before it is received."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "received",
                        "accepted",
                        "in_progress",
                        "resolved",
                        "confirmed",
                        "closed",
                    ]
                ),
                name="request_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("requests:detail", args=[self.pk])

    @property
    def place(self):
        """Where, as staff see it (the door number is personal data: not for the public)."""
        if self.household_id:
            return str(self.household)
        parts = [str(p) for p in (self.compound, self.building, self.facility) if p is not None]
        if self.shared_place:
            parts.append(self.shared_place)
        return " ".join(parts)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.household_id and self.household.unit.building_id != self.building_id:
            raise ValidationError({"household": _("The household must be in the building.")})
        if self.building_id and self.building.compound_id != self.compound_id:
            raise ValidationError({"building": _("The building must be in the compound.")})
        if self.compound_id and self.compound.community_id != self.community_id:
            raise ValidationError({"compound": _("The compound must belong to the community.")})
        if self.facility_id and self.facility.compound_id != self.compound_id:
            raise ValidationError({"facility": _("The facility must be in the compound.")})

    @property
    def masked_callback_phone(self):
        return mask_phone(self.callback_phone)

    def acting_bodies(self):
        """The handling body and the committees serving the request's compound or courtyard."""
        q = Q(pk=self.handling_body_id) if self.handling_body_id else Q(pk__in=[])
        if self.compound_id:
            courtyard_id = self.building.courtyard_id if self.building_id else None
            if courtyard_id is None and self.facility_id:
                courtyard_id = self.facility.courtyard_id
            q |= Q(compound=self.compound_id) & (
                Q(courtyard__isnull=True) | Q(courtyard=courtyard_id)
            )
        return Body.objects.active().filter(q)

    def can_manage(self, user) -> bool:
        """Act on the request (take its steps, blow a whistle, add a photo): staff of the
        community, and current members of the handling body or of a committee of the
        request's compound (or courtyard)."""
        return manages(user, community_id=self.community_id, bodies=self.acting_bodies())

    can_act = can_manage  # the request pages' word for it


class RequestStep(models.Model):
    """One step of a request's timeline: who moved it from which status to which, when."""

    request = models.ForeignKey(
        ResidentRequest, on_delete=models.CASCADE, related_name="steps", verbose_name=_("request")
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ResidentRequest.Status, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ResidentRequest.Status)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="request_steps",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status or '-'} → {self.to_status}"


def photo_path(photo, filename):
    return f"requests/{photo.request_id}/{filename}"


class RequestPhoto(models.Model):
    """A photo (or PDF) of the problem; served only to those who may see the request."""

    request = models.ForeignKey(
        ResidentRequest, on_delete=models.CASCADE, related_name="photos", verbose_name=_("request")
    )
    file = models.FileField(
        _("file"),
        upload_to=photo_path,
        validators=[extension_validator, validate_image_or_pdf],
        help_text=_("A photo (JPEG, PNG, GIF, WebP) or a PDF, at most 5 MB."),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="request_photos",
        null=True,
        blank=True,
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self):
        return not self.file.name.lower().endswith(".pdf")


class Whistle(models.Model):
    """An escalation (吹哨): the sub-district, the party branch or the alliance calls on
    departments, party members or stationed units to report (报到)."""

    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Sub-district: government departments report")
        PARTY_BRANCH = "branch", _("Party branch: party members report")
        ALLIANCE = "alliance", _("Party-building alliance: stationed units report")

    request = models.ForeignKey(
        ResidentRequest,
        on_delete=models.CASCADE,
        related_name="whistles",
        verbose_name=_("request"),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level)
    blown_at = models.DateTimeField(_("blown at"), default=timezone.now)
    blown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="whistles_blown",
        null=True,
        blank=True,
        verbose_name=_("blown by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        ordering = ["request", "blown_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level"],
                name="whistle_once_per_level",
                violation_error_message=_("This request has already been escalated at this level."),
            ),
        ]

    def __str__(self):
        return f"{self.request} · {self.get_level_display()}"


class WhistleResponder(models.Model):
    """Who was called to report on a whistle: an alliance member, a party member or a
    department; when they reported and what they did."""

    whistle = models.ForeignKey(
        Whistle, on_delete=models.CASCADE, related_name="responders", verbose_name=_("whistle")
    )
    alliance_member = models.ForeignKey(
        AllianceMember,
        on_delete=models.PROTECT,
        related_name="responses",
        null=True,
        blank=True,
        verbose_name=_("alliance member"),
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="whistle_responses",
        null=True,
        blank=True,
        verbose_name=_("party member"),
    )
    department = models.CharField(
        _("department"),
        max_length=100,
        blank=True,
        help_text=_("A government department that is not an alliance member."),
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    action = models.TextField(_("what they did"), blank=True)

    class Meta:
        verbose_name = _("whistle responder")
        verbose_name_plural = _("whistle responders")
        ordering = ["whistle", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(alliance_member__isnull=False, resident__isnull=True, department="")
                | Q(alliance_member__isnull=True, resident__isnull=False, department="")
                | (Q(alliance_member__isnull=True, resident__isnull=True) & ~Q(department="")),
                name="responder_is_one_party",
                violation_error_message=_(
                    "A responder is one alliance member, one party member or one department."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reported_at__isnull=True) | ~Q(action=""),
                name="responder_report_has_action",
                violation_error_message=_("A report says what the responder did."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        if self.alliance_member_id:
            return self.alliance_member.name
        if self.resident_id:
            return self.resident.name
        return self.department
