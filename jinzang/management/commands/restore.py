from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinzang.backup import restore
from jinzang.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Replace the database and the uploaded files by those of a backup archive.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("An archive written by `manage.py backup`."))
        parser.add_argument("--database", default="default", help=_("Database alias."))
        parser.add_argument(
            "--yes", action="store_true", help=_("Do not ask: everything now stored is replaced.")
        )

    def handle(self, *args, archive, database, yes, **options):
        if not yes:
            answer = input(_("Everything now stored is replaced by the backup. Type 'yes': "))
            if answer.strip() != "yes":
                raise CommandError(_("Restore cancelled."))
        manifest = restore(archive, alias=database)
        self.stdout.write(
            _("Restored the backup of %(created)s from %(archive)s.")
            % {"created": manifest["created"], "archive": archive}
        )
