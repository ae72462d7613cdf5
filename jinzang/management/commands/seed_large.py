"""`manage.py seed_large`: a whole sub-district of generated data, for the benchmark.

It lives at the project level because, like `demo`, it fills every app; the
generator is `jinzang.demo.large`.
"""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinzang.demo.large import generate
from jinzang.management.base import TranslatedCommand
from residents.models import Community, Resident


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Fill an empty database with a large generated sub-district (households, residents, "
        "bodies, meetings, notices, projects and consent) for the benchmark in bench/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=40_000, help=_("Households."))
        parser.add_argument("--residents", type=int, default=100_000, help=_("Residents."))
        parser.add_argument("--years", type=int, default=5, help=_("Years of meetings."))
        parser.add_argument("--projects", type=int, default=200, help=_("Projects."))
        parser.add_argument(
            "--large-project",
            type=int,
            default=5_000,
            help=_("Households of the largest project (and of the largest compound)."),
        )
        parser.add_argument("--communities", type=int, default=20, help=_("Communities."))
        parser.add_argument("--seed", type=int, default=9, help=_("Random seed (default 9)."))

    def handle(self, *args, **options):
        if Resident.objects.exists() or Community.objects.exists():
            raise CommandError(
                _("seed_large fills an empty database; this one already holds a register.")
            )
        n = options["households"]
        if n < 100 or options["residents"] < n or options["large_project"] > n // 2:
            raise CommandError(
                _(
                    "Give at least 100 households, at least one resident per household and a "
                    "largest project of at most half the households."
                )
            )
        started = time.monotonic()
        counts = generate(options, log=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(
            _("Seeded in %(seconds)s s: %(summary)s")
            % {
                "seconds": round(time.monotonic() - started, 1),
                "summary": ", ".join(f"{v:,} {k}" for k, v in counts.items()),
            }
        )
