"""The shared tables: the data versions behind the page cache, the create forms already
sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """How many times a table has been written to, kept by triggers (`jinzang.dataversions`).

    A page cached with the versions of the tables it read is still right as long as
    none of them has moved (`jinzang.pagecache`).
    """

    name = models.CharField(_("table"), max_length=100, primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.name} {self.version}"


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
