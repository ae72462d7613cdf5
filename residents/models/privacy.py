"""The personal-data logs (PIPL): each showing of full numbers, each erasure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.models.people import Resident


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
