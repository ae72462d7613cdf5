"""The shared tables: the create forms already sent, and the sends from a phone's offline
queue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        db_table = "residents_submittedform"  # its name from when it lived in residents
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")

    def __str__(self):
        return self.path


class QueuedSend(models.Model):
    """An answer or a visit sent from a phone's offline queue: its key, kept once, so that a
    second send of the same key changes nothing (docs/domain.md, "Recording with no
    signal")."""

    key = models.UUIDField(
        _("key"), unique=True, help_text=_("Made on the phone when the answer was queued.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    path = models.CharField(_("page"), max_length=300)
    made = models.JSONField(
        _("what it made"),
        default=dict,
        blank=True,
        help_text=_("What the first send recorded (the answer and its version, or the visit)."),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("send from the offline queue")
        verbose_name_plural = _("sends from the offline queue")

    def __str__(self):
        return self.path
