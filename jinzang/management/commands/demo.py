"""`manage.py demo`: migrate, load the demo community and its bodies, and serve the site
(its static files collected under hashed names, as in production).

It lives at the project level because the demo fills every app; the demo itself
(the story, its loaders and their order) is the package `jinzang.demo`.
"""

import time

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinzang.demo import summary
from jinzang.demo.loaders import load_all
from jinzang.management.base import TranslatedCommand
from jinzang.staticfiles import hashed_static_files


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Migrate the database, load the demo community (Jincang Community) and serve the site. "
        "Safe to run again: existing data is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Load the demo data and exit instead of starting the development server."),
        )
        parser.add_argument(
            "--addrport",
            default="127.0.0.1:8000",
            help=_("Address and port to serve on (default: 127.0.0.1:8000)."),
        )

    def handle(self, *args, no_serve, addrport, verbosity, **options):
        self.stdout.write(_("Migrating the database..."))
        call_command("migrate", interactive=False, verbosity=1 if verbosity > 1 else 0)

        self.stdout.write(_("Loading the demo community..."))
        started = time.monotonic()
        created = load_all(stdout=self.stdout if verbosity > 1 else None)
        summary.write_created(self.stdout, self.style, created, time.monotonic() - started)
        summary.write_accounts(self.stdout, self.style, addrport)

        if no_serve:
            return
        self.stdout.write(
            _("Starting the site at http://%(addrport)s/ (Ctrl+C to stop).")
            % {"addrport": addrport}
        )
        # Served as in production: static files under hashed names, kept by the browser.
        with hashed_static_files():
            call_command("runserver", addrport, use_reloader=False)
