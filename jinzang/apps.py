from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JinzangConfig(AppConfig):
    name = "jinzang"
    verbose_name = _("Jinzang")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from jinzang.dataversions import install_triggers
        from jinzang.middleware import mark_session_seen

        user_logged_in.connect(mark_session_seen, dispatch_uid="jinzang_mark_session_seen")
        # Sent after every migration has run (and after flush): the triggers are made again.
        post_migrate.connect(
            install_triggers, sender=self, dispatch_uid="jinzang_data_version_triggers"
        )
