from django.db import models
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
