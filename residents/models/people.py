"""People: the residents on the register and their ties to households."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from residents.access import Access
from residents.models.places import Household
from residents.register.search import name_q, parse
from residents.validators import mask_id_number, mask_phone, validate_id_number, validate_mobile

# A resident's own fields on the register: what the resident form edits, the import reads
# and compares, and the large seed writes.
RESIDENT_FIELDS = (
    "name",
    "gender",
    "birth_year",
    "phone",
    "id_number",
    "is_party_member",
    "is_volunteer",
    "care_notes",
)


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
