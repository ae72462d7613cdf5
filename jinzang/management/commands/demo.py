"""`manage.py demo`: migrate, load the demo community and its bodies, and serve the site.

It lives at the project level because it loads every app's demo data: the
register (jinzang.demo.register), then the three bodies on it (jinzang.demo.bodies), then
their meetings (jinzang.demo.meetings), then the renovation projects and the consent
collected for them (jinzang.demo.projects), the notices, and the volunteer teams,
funds and facilities (jinzang.demo.volunteers, fund_demo, facility_demo).
"""

import time

from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinzang.demo import bodies as committees_demo
from jinzang.demo import facilities as facility_demo
from jinzang.demo import funds as fund_demo
from jinzang.demo import meetings as meetings_demo
from jinzang.demo import notices as notices_demo
from jinzang.demo import projects as projects_demo
from jinzang.demo import register as residents_demo
from jinzang.demo import requests as request_demo
from jinzang.demo import visits as visits_demo
from jinzang.demo import volunteers as volunteer_demo
from jinzang.demo.register import BAILAJING, COMMUNITY, DEMO_PASSWORD, QINGFENG_1
from jinzang.management.base import TranslatedCommand


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
        stdout = self.stdout if verbosity > 1 else None
        created: dict[str, int] = {}
        with transaction.atomic():
            for loader in (
                residents_demo.load_demo,
                committees_demo.load_demo,
                request_demo.load_demo,
                meetings_demo.load_demo,
                projects_demo.load_demo,
                notices_demo.load_demo,
                visits_demo.load_demo,
                volunteer_demo.load_demo,
                fund_demo.load_demo,
                facility_demo.load_demo,
            ):
                for key, count in loader(stdout=stdout).items():
                    created[key] = created.get(key, 0) + count
        elapsed = time.monotonic() - started

        labels = {
            "communities": _("communities"),
            "compounds": _("compounds"),
            "courtyards": _("courtyards"),
            "buildings": _("buildings"),
            "units": _("units"),
            "households": _("households"),
            "residents": _("residents"),
            "memberships": _("household memberships"),
            "users": _("users"),
            "bodies": _("bodies"),
            "terms": _("terms"),
            "members": _("members"),
            "access_grants": _("access grants"),
            "elections": _("elections"),
            "candidates": _("candidates"),
            "ballots": _("ballots"),
            "meetings": _("meetings"),
            "attendees": _("attendees"),
            "outside_parties": _("outside parties"),
            "agenda_items": _("agenda items"),
            "decisions": _("decisions"),
            "actions": _("actions"),
            "projects": _("projects"),
            "consent_records": _("consent records"),
            "notices": _("notices"),
            "notice_revisions": _("notice revisions"),
            "categories": _("request categories"),
            "alliance_members": _("alliance members"),
            "requests": _("residents' requests"),
            "campaigns": _("visit campaigns"),
            "visits": _("visits"),
            "care_records": _("care records"),
            "volunteer_teams": _("volunteer teams"),
            "volunteers": _("volunteers"),
            "service_activities": _("service activities"),
            "funds": _("funds"),
            "fund_entries": _("fund entries"),
            "facilities": _("facilities"),
            "inspections": _("facility inspections"),
        }
        if any(created.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo data loaded in %(seconds).1f s. Created:") % {"seconds": elapsed}
                )
            )
            width = max(_display_width(label) for label in labels.values())
            for key, label in labels.items():
                padding = " " * (width - _display_width(label))
                self.stdout.write(f"  {label}{padding}  {created.get(key, 0):>5}")
        else:
            self.stdout.write(
                self.style.SUCCESS(_("The demo data was already loaded; nothing was created."))
            )

        self._credentials(addrport)

        if no_serve:
            return
        self.stdout.write(
            _("Starting the site at http://%(addrport)s/ (Ctrl+C to stop).")
            % {"addrport": addrport}
        )
        call_command("runserver", addrport, use_reloader=False)

    def _credentials(self, addrport):
        rows = [
            (_("Role"), _("Username"), _("Password"), _("Can see")),
            (
                _("Administrator"),
                "admin",
                DEMO_PASSWORD,
                _("everything, including the Django admin (/admin/)"),
            ),
            (
                _("Neighbourhood-committee staff"),
                "liaoshuying",
                DEMO_PASSWORD,
                _("the whole of %(community)s, with personal information")
                % {"community": COMMUNITY["name"]},
            ),
            (
                _("Owners' committee chair"),
                "zhaoxiangqian",
                DEMO_PASSWORD,
                _("%(place)s, without personal information") % {"place": BAILAJING},
            ),
            (
                _("Owners' committee chair"),
                "lihuayu",
                DEMO_PASSWORD,
                _("%(place)s only, without personal information") % {"place": QINGFENG_1},
            ),
        ]
        widths = [max(_display_width(row[i]) for row in rows) for i in range(len(rows[0]))]

        def line(row):
            cells = [
                cell + " " * (w - _display_width(cell)) for cell, w in zip(row, widths, strict=True)
            ]
            return "  " + "  ".join(cells).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo accounts")))
        self.stdout.write(line(rows[0]))
        self.stdout.write("  " + "  ".join("-" * w for w in widths))
        for row in rows[1:]:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(_("Log in at http://%(addrport)s/") % {"addrport": addrport})


def _display_width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
