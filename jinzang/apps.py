from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JinzangConfig(AppConfig):
    name = "jinzang"
    verbose_name = _("Jinzang")
