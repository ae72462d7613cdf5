"""django-axes under a translated name in the admin.

Kept out of `jinzang.apps`: a second AppConfig there would stop Django from choosing
JinzangConfig as the app's default configuration.
"""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AppConfig):
    """django-axes' own configuration, with a verbose name (it has none)."""

    verbose_name = _("Login lockouts")
