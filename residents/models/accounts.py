"""Residents' own accounts, and the printed access letters that bind them.

A committee delivers a letter to the door; the resident opens its QR link (or types its
code) and binds the code, once, to an account of their own. The account reaches only the
resident's record and the households they belong to on the register (docs/domain.md,
"The residents' own door").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from residents.models.people import Resident
from residents.models.places import Household
from residents.validators import validate_mobile


class LetterPrinting(models.Model):
    """One printing of access letters: who printed which letters, when, for which place."""

    class Paper(models.TextChoices):
        A4 = "A4", "A4"
        A5 = "A5", "A5"

    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="letter_printings",
        verbose_name=_("printed by"),
    )
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now, db_index=True)
    place = models.CharField(
        _("for"), max_length=200, help_text=_("The household, unit, building or compound.")
    )
    paper = models.CharField(_("paper"), max_length=2, choices=Paper, default=Paper.A4)
    letter_count = models.PositiveIntegerField(_("letters"), default=0)

    class Meta:
        verbose_name = _("printing of access letters")
        verbose_name_plural = _("printings of access letters")
        ordering = ["-printed_at", "-pk"]

    def __str__(self):
        return f"{self.place} · {self.letter_count}"


class AccessLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Letters delivered to households the user may see (who may print or revoke them
        is the views' rule: the community's staff)."""
        return self.filter(household__in=Household.objects.visible_to(user))

    def usable(self, now=None):
        """Letters whose code may still be bound: not used, not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class AccessLetter(models.Model):
    """A printed letter with a one-time code that lets one resident bind an account.

    Only a digest of the code is kept (`residents.accounts.codes`): the code itself is
    printed once and never stored, so the database cannot be read for usable codes."""

    class Purpose(models.TextChoices):
        RESIDENT = "resident", _("Resident aged 18 or over")
        OWNER = "owner", _("Owner, for owners' decisions")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="access_letters",
        verbose_name=_("resident"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="access_letters",
        verbose_name=_("household"),
        help_text=_("The door the letter is delivered to."),
    )
    purpose = models.CharField(_("for"), max_length=10, choices=Purpose, default=Purpose.RESIDENT)
    code_digest = models.CharField(_("code digest"), max_length=64, unique=True, editable=False)
    printing = models.ForeignKey(
        LetterPrinting,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("printing"),
    )
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revoked by"),
        help_text=_("Empty when a newer letter for the same resident revoked it."),
    )

    objects = AccessLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("access letter")
        verbose_name_plural = _("access letters")
        ordering = ["-printing__printed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["resident", "used_at", "revoked_at"], name="accessletter_resident_state"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="accessletter_used_or_revoked_not_both",
            ),
        ]

    def __str__(self):
        return f"{self.resident} · {self.household}"

    class State(models.TextChoices):
        USABLE = "usable", _("Not used yet")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    def state(self, now=None) -> str:
        if self.used_at:
            return self.State.USED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.USABLE


class ResidentAccount(models.Model):
    """A resident's own sign-in, bound to their record on the register by an access letter.

    Its user is never staff and holds no access grant: it reaches only its resident's own
    record and the households the register says they belong to today."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_account",
        verbose_name=_("user"),
    )
    resident = models.OneToOneField(
        Resident,
        on_delete=models.CASCADE,
        related_name="account",
        verbose_name=_("resident"),
    )
    phone = models.CharField(
        _("sign-in phone"),
        max_length=11,
        blank=True,
        validators=[validate_mobile],
        help_text=_("The resident may sign in with this number instead of the username."),
    )
    letter = models.ForeignKey(
        AccessLetter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bound by letter"),
    )
    bound_at = models.DateTimeField(_("bound at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resident account")
        verbose_name_plural = _("resident accounts")
        ordering = ["-bound_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="residentaccount_unique_phone"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.resident}"

    def households(self):
        """The households the resident belongs to on the register today: moving out (the
        membership ended) ends the account's reach into the household."""
        return Household.objects.filter(memberships__resident=self.resident_id)


class SmsSignInCode(models.Model):
    """The one-time sign-in code last sent by SMS to an account's sign-in phone (only when
    an SMS backend is set: `residents.accounts.sms`). Kept hashed; one per account, replaced
    by the next; void after its time, its tries or its use."""

    account = models.OneToOneField(
        ResidentAccount,
        on_delete=models.CASCADE,
        related_name="sms_code",
        verbose_name=_("resident account"),
    )
    digest = models.CharField(_("code digest"), max_length=64, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    tries = models.PositiveSmallIntegerField(
        _("wrong tries"), default=0, help_text=_("The code is void after five wrong tries.")
    )

    class Meta:
        verbose_name = _("SMS sign-in code")
        verbose_name_plural = _("SMS sign-in codes")

    def __str__(self):
        return str(self.account)
