from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JinzangConfig(AppConfig):
    name = "jinzang"
    verbose_name = _("Jinzang")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from jinzang import checks  # noqa: F401 (registers the deploy checks)
        from jinzang.middleware import mark_session_seen

        user_logged_in.connect(mark_session_seen, dispatch_uid="jinzang_mark_session_seen")
