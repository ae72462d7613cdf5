"""Checks of the settings a production deployment needs (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@register(deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Printed notices, consent forms, summaries, minutes and access letters carry links
    and QR codes to SITE_URL: left at its development default, every printed page leads
    to the phone's own address."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOCAL_HOSTS or not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: printed pages' QR codes and access "
                "letters would lead there.",
                hint="Set SITE_URL to the site's public https:// address.",
                id="jinzang.W001",
            )
        ]
    return []
