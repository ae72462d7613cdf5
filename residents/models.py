"""Places and people: the register every other part of Jinzang stands on.

Community > compound > courtyard (optional) > building > unit > household,
and the residents who belong to households. Who may see which part of the
register is decided here, by access grants kept as data (AccessGrant) and
the `visible_to(user)` QuerySet methods built on them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from residents.register.search import name_q, parse
from residents.validators import mask_id_number, mask_phone, validate_id_number, validate_mobile


class Access:
    """What one user may see, read once per request from their active grants."""

    def __init__(self, user):
        self.user = user
        self.is_admin = bool(user.is_authenticated and user.is_active and user.is_superuser)
        self.staff_community_ids: set[int] = set()
        self.compound_ids: set[int] = set()
        self.courtyard_ids: set[int] = set()
        self.community_ids: set[int] = set()
        if user.is_authenticated and user.is_active and not self.is_admin:
            for role, community_id, compound_id, courtyard_id in (
                AccessGrant.objects.active()
                .filter(user=user)
                .values_list("role", "community_id", "compound_id", "courtyard_id")
            ):
                self.community_ids.add(community_id)
                if role == AccessGrant.Role.NEIGHBOURHOOD_STAFF:
                    self.staff_community_ids.add(community_id)
                elif courtyard_id:
                    self.courtyard_ids.add(courtyard_id)
                else:
                    self.compound_ids.add(compound_id)

    @classmethod
    def of(cls, user):
        """The user's access, computed once and kept on the user object for the request."""
        access = getattr(user, "_jinzang_access", None)
        if access is None:
            access = cls(user)
            if user.is_authenticated:
                user._jinzang_access = access
        return access

    @property
    def has_role(self) -> bool:
        """May use the register's pages at all."""
        return self.is_admin or bool(
            self.staff_community_ids or self.compound_ids or self.courtyard_ids
        )

    @property
    def is_staff_role(self) -> bool:
        """Neighbourhood-committee staff (or an administrator): may see personal information."""
        return self.is_admin or bool(self.staff_community_ids)

    def building_q(self, prefix: str = "") -> Q:
        """A filter on buildings (reached through `prefix`) this user may see."""
        if self.is_admin:
            return Q()
        q = Q(pk__in=[])
        if self.staff_community_ids:
            q |= Q(**{f"{prefix}compound__community_id__in": self.staff_community_ids})
        if self.compound_ids:
            q |= Q(**{f"{prefix}compound_id__in": self.compound_ids})
        if self.courtyard_ids:
            q |= Q(**{f"{prefix}courtyard_id__in": self.courtyard_ids})
        return q

    def personal_households(self):
        """Households whose residents' personal data this user may see (None: none)."""
        if self.is_admin:
            return Household.objects.all()
        if not self.staff_community_ids:
            return None
        return Household.objects.filter(
            unit__building__compound__community_id__in=self.staff_community_ids
        )

    def can_see_personal_in(self, community_id: int) -> bool:
        return self.is_admin or community_id in self.staff_community_ids

    def disclosure(self, residents) -> "Disclosure":
        """What this user may be shown of `residents` (ids, or a queryset of ids)."""
        return Disclosure(self, residents)

    def can_see_personal(self, resident) -> bool:
        """Full phone, ID number and care notes of this resident: administrators, and
        neighbourhood-committee staff of a community where the resident has a household."""
        if self.is_admin:
            return True
        if not self.staff_community_ids:
            return False
        return resident.memberships.filter(
            household__unit__building__compound__community_id__in=self.staff_community_ids
        ).exists()


class Disclosure:
    """What one user may be shown of some residents, read in one query for a whole page
    (the README's "Who sees what"):

    - their masked phone and ID number, where a household of theirs lies in the user's
      part of the register: a committee member's compound or courtyard, a staff member's
      community;
    - their full numbers (shown on request, each showing logged) and their party
      membership, where one lies in a community the user is neighbourhood-committee staff
      of: personal information, which a committee member's scope does not include;
    - elsewhere, at most their name, on the community-wide pages that list people
      (volunteer teams, meeting attendees, a body's seats).

    Someone not on the register (a volunteer or a seat typed by name) belongs to the place
    they serve: `party(None, place=...)`.
    """

    def __init__(self, access: Access, residents):
        self.access = access
        self.in_part: set[int] = set()
        self.in_full: set[int] = set()
        if access.is_admin or not access.has_role:
            return
        if not isinstance(residents, models.QuerySet):
            residents = {pk for pk in residents if pk}
            if not residents:
                return
        self._add_places(
            Membership.objects.filter(resident_id__in=residents)
            .filter(access.building_q("household__unit__building__"))
            .values_list("resident_id", "household__unit__building__compound__community_id")
        )

    @classmethod
    def of_places(cls, access: Access, places) -> "Disclosure":
        """The same, from (resident_id, community_id) pairs of households in the user's part
        that a page has read already: no query of its own."""
        disclosure = cls(access, ())
        if access.has_role and not access.is_admin:
            disclosure._add_places(places)
        return disclosure

    def _add_places(self, places):
        for resident_id, community_id in places:
            self.in_part.add(resident_id)
            if community_id in self.access.staff_community_ids:
                self.in_full.add(resident_id)

    def details(self, resident_id) -> bool:
        """Masked phone and ID number of a resident."""
        return self.access.is_admin or resident_id in self.in_part

    def full(self, resident_id) -> bool:
        """Full phone and ID number, to be logged when shown."""
        return self.access.is_admin or resident_id in self.in_full

    def party(self, resident_id, place: tuple = ()) -> bool:
        """Party membership of a resident, or of someone not on the register (`resident_id`
        None) serving `place`: (community_id[, compound_id[, courtyard_id]]). Those who
        may see personal information only: a committee member is not shown it even within
        their own part."""
        if self.access.is_admin:
            return True
        if resident_id is None:
            return bool(place) and self.access.can_see_personal_in(place[0])
        return resident_id in self.in_full


def with_party_shown(people, *, user, place: tuple) -> list:
    """`people` (volunteers of one team, seats on one body: anything with `resident_id` and
    `party_member`) as a list, each with `party_shown`: their party membership where
    `user` may be shown it. `place` is what they serve, for those not on the register."""
    people = list(people)
    disclosure = Access.of(user).disclosure(p.resident_id for p in people if p.party_member)
    for person in people:
        person.party_shown = person.party_member and disclosure.party(
            person.resident_id, place=place
        )
    return people


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


class BuildingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(Access.of(user).building_q())

    def with_counts(self):
        return self.annotate(
            n_units=Count("units", distinct=True),
            n_households=Count("units__households", distinct=True),
            n_residents=Count("units__households__memberships__resident", distinct=True),
        )


class Building(models.Model):
    """A building (栋) of a compound, optionally inside one of its courtyards."""

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

    def clean(self):
        if (
            self.courtyard_id
            and self.compound_id
            and self.courtyard.compound_id != self.compound_id
        ):
            raise ValidationError(
                {"courtyard": _("The courtyard must belong to the building's compound.")}
            )


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


class PhoneTail(models.Func):
    """The last four digits of a phone number, as an expression both databases index
    (right() on PostgreSQL, substr() on SQLite). The literal is part of the template, not
    a parameter, so that a query's expression is the indexed one."""

    template = "right(%(expressions)s, 4)"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, -4)")


class ResidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Residents of households the user may see (a resident of several households
        shows once)."""
        access = Access.of(user)
        if access.is_admin:
            return self
        households = Household.objects.visible_to(user)
        return self.filter(
            pk__in=Membership.objects.filter(household__in=households).values("resident")
        )

    def search(self, text: str, households=None, phone_households=None, tail_households=None):
        """Residents matching `text` as the pages display it (residents.register.search.parse): by
        name; by a household's place (18-2-301, 18栋2单元301, a door number), among
        `households`, so that a door outside the user's part does not match; by phone.

        A phone number, whole or its last four digits or more, is searched among the
        residents of `phone_households` (those whose full numbers the user may see). Its
        last four digits alone, or a masked number (138****5678), are also searched among
        `tail_households`: those whose masked numbers the user sees, which show these
        digits already. More digits are not: adding them one by one would uncover the
        masked middle of a number."""
        query = parse(text)
        if not query:
            return self
        matches = None
        places = query.places_q("household__")
        if places is not None:
            doors = Membership.objects.filter(places)
            # An unfiltered queryset of households (an administrator's) restricts nothing:
            # leaving it out spares the database a subquery over every household.
            if households is not None and households.query.has_filters():
                doors = doors.filter(household__in=households)
            matches = doors.values("resident")
        phones = self._phone_matches(query.phone, phone_households, tail_households)
        if phones is not None:
            # A UNION with the doors, not an OR: PostgreSQL cannot use the index on the
            # phone's tail beside the doors' subquery within one OR (measured 21 ms, a scan
            # of every resident, against 1 ms).
            matches = phones if matches is None else matches.union(phones)
        if query.name:
            q = name_q(query.name, "name")
            return self.filter(q | Q(pk__in=matches) if matches is not None else q)
        # Digits, a phone number or a place: never a name, so no name is scanned.
        return self.filter(pk__in=matches) if matches is not None else self.none()

    @staticmethod
    def _phone_matches(phone, phone_households, tail_households):
        """Keys of residents whose phone matches `phone`, within the households allowed
        for what it shows (see `search`); None when it may not be searched."""
        if phone is None:
            return None
        scope = phone_households
        if phone.shows_no_more_than_a_mask and tail_households is not None:
            scope = tail_households
        if scope is None:
            return None
        # The index on the last four digits finds the candidates; the rest is compared.
        phones = Resident.objects.alias(phone_tail=PhoneTail("phone")).filter(
            phone_tail=phone.tail[-4:]
        )
        if len(phone.tail) > 4:
            phones = phones.filter(phone__endswith=phone.tail)
        if phone.head:
            phones = phones.filter(phone__startswith=phone.head)
        if scope.query.has_filters():
            phones = phones.filter(
                pk__in=Membership.objects.filter(household__in=scope).values("resident")
            )
        return phones.values("pk")


class Resident(models.Model):
    """A person living in or owning a household of the community."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    phone = models.CharField(
        _("mobile phone"), max_length=11, blank=True, db_index=True, validators=[validate_mobile]
    )
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text=_("18-character resident identity card number."),
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    care_notes = models.TextField(
        _("care notes"),
        blank=True,
        help_text=_(
            "Difficulties and care needs. Personal information: "
            "only neighbourhood-committee staff see it."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="resident_unique_id_number"
            ),
        ]
        # The register lists residents by name, a page after a given resident (keyset).
        indexes = [
            models.Index(fields=["name", "id"], name="resident_name_id"),
            models.Index(PhoneTail("phone"), name="resident_phone_tail"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("residents:resident", args=[self.pk])

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def needs_care(self):
        return bool(self.care_notes)

    def history_changes(self, limit: int = 20):
        """The latest changes to this record, newest first: who, when, which fields."""
        from jinzang.history import history_changes

        return history_changes(self.history.all(), limit)


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        if Access.of(user).is_admin:
            return self
        return self.filter(household__in=Household.objects.visible_to(user))

    def with_place(self):
        return self.select_related(
            "household__unit__building__compound", "household__unit__building__courtyard"
        )


class Membership(models.Model):
    """A resident's tie to a household: owner, co-owner, tenant or family member."""

    class Relation(models.TextChoices):
        OWNER = "owner", _("Owner")
        CO_OWNER = "co_owner", _("Co-owner")
        TENANT = "tenant", _("Tenant")
        FAMILY = "family", _("Family member")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("resident")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("household")
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["household", "relation", "resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "household"], name="membership_unique_resident_household"
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.get_relation_display()}"


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
        from django.core.exceptions import ValidationError

        if (
            self.compound_id
            and self.community_id
            and self.compound.community_id != self.community_id
        ):
            raise ValidationError({"compound": _("The compound must belong to the community.")})
        if self.courtyard_id and self.courtyard.compound_id != self.compound_id:
            raise ValidationError({"courtyard": _("The courtyard must belong to the compound.")})


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


class PersonalDataReveal(models.Model):
    """One showing of full phone or ID numbers to a user: one resident's on a page or form,
    or every resident's of an export, who saw them and where."""

    class Field(models.TextChoices):
        PHONE = "phone", _("mobile phone")
        ID_NUMBER = "id_number", _("ID number")

    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        EXPORT = "export", _("export")

    class Reason(models.TextChoices):
        """Why a staff member asks to see a resident's full numbers on a page (PIPL's
        minimum necessary: they are masked until asked for, with one of these)."""

        CONTACT = "contact", _("To contact the resident")
        IDENTITY = "identity", _("To verify their identity")
        FOLLOW_UP = "follow_up", _("To follow up a request or whistle")
        CARE = "care", _("For a care visit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="personal_data_reveals",
        verbose_name=_("user"),
    )
    kind = models.CharField(
        _("shown in"), max_length=10, choices=Kind, default=Kind.PAGE, db_index=True
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="reveals",
        null=True,
        blank=True,
        verbose_name=_("resident"),
        help_text=_("The resident shown on a page; empty for an export, which counts them."),
    )
    resident_count = models.PositiveIntegerField(
        _("residents"),
        default=1,
        help_text=_("How many residents' full numbers were shown: one on a page."),
    )
    fields = models.CharField(
        _("fields shown"), max_length=50, help_text=_("Comma-separated: phone, id_number.")
    )
    path = models.CharField(_("page"), max_length=300)
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=Reason,
        blank=True,
        help_text=_(
            "Why the full numbers were asked for on a page. Empty for an export, the "
            "admin's pages, and showings logged before a reason was asked."
        ),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data shown")
        verbose_name_plural = _("personal data shown")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["resident", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="export") | Q(resident__isnull=False, resident_count=1),
                name="personaldatareveal_page_shows_one_resident",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.EXPORT:
            return f"{self.user} · {self.path} · {self.resident_count} · {self.fields}"
        return f"{self.user} · {self.resident_id} · {self.fields}"

    def field_labels(self):
        labels = dict(self.Field.choices)
        return [str(labels.get(f, f)) for f in self.fields.split(",") if f]


class ErasureRecord(models.Model):
    """A resident's personal data erased on request (PIPL Art. 47): who, when and why."""

    resident = models.OneToOneField(
        Resident,
        on_delete=models.PROTECT,
        related_name="erasure",
        verbose_name=_("resident"),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasures",
        verbose_name=_("erased by"),
    )
    reason = models.TextField(
        _("reason"), help_text=_("The request, as made: who asked, when and how.")
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    history_rows = models.PositiveIntegerField(
        _("history rows anonymised"), default=0, editable=False
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.resident} · {self.erased_at:%Y-%m-%d}"


class CareRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Care records are personal information: administrators, and neighbourhood-committee
        staff of the community the record belongs to; nobody else sees any."""
        access = Access.of(user)
        if access.is_admin:
            return self
        return self.filter(community_id__in=access.staff_community_ids)

    def active(self):
        return self.filter(ended_on__isnull=True)


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


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Facilities of the compounds and courtyards the user may see, as for buildings."""
        return self.filter(Access.of(user).building_q())

    def with_place(self):
        return self.select_related("compound", "courtyard")


class Facility(models.Model):
    """A shared facility of a compound: a leisure area, fitness equipment, a fire station..."""

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

    def can_manage(self, user) -> bool:
        """Inspect the facility, report it broken: staff of the community, and members of
        the committee serving its compound or courtyard."""
        # Goes with the model to committees/models/facilities.py (issue 18), where this
        # import of the higher app's rule moves to the top of the module.
        from committees.models import manages_place

        return manages_place(
            user,
            community_id=self.compound.community_id,
            compound_id=self.compound_id,
            courtyard_id=self.courtyard_id,
        )

    @property
    def place(self):
        return self.courtyard or self.compound

    @property
    def needs_repair(self) -> bool:
        return self.condition in (self.Condition.BROKEN, self.Condition.OUT_OF_SERVICE)

    def clean(self):
        if (
            self.courtyard_id
            and self.compound_id
            and self.courtyard.compound_id != self.compound_id
        ):
            raise ValidationError(
                {"courtyard": _("The courtyard must belong to the facility's compound.")}
            )


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


class SubmittedForm(models.Model):
    """A create form already sent: its one-time token, so a second send (a double tap, a
    reload after a slow answer, a retry) is told and creates nothing."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    path = models.CharField(_("page"), max_length=300)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")

    def __str__(self):
        return self.path
