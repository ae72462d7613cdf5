"""Static files under names carrying a hash of their content, compressed once, so that a
browser keeps them for good and a page it has seen costs one request, the page itself.

`collectstatic` writes them to STATIC_ROOT (whitenoise's storage adds a gzip copy of each);
whitenoise serves a hashed name with `Cache-Control: max-age=315360000, public, immutable`
and the gzip copy to a browser that accepts it (README, "Light pages").
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

HASHED = "jinzang.staticfiles.HashedStaticFilesStorage"


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Django's storage names files without their hash while DEBUG is on; this one names
    them with it whenever `collectstatic` has written its manifest, so that the demo (DEBUG
    on, `manage.py demo`) is served as production is."""

    def url(self, name, force=False):
        return super().url(name, force=force or bool(self.hashed_files))


@contextmanager
def hashed_static_files():
    """Inside: the static files collected under hashed names and served so, whatever the
    settings say (the demo; the browser test of what a page costs)."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": HASHED}}
    # override_settings tells Django's storages and whitenoise of the change, which setting
    # STORAGES by hand would not.
    with override_settings(STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield
