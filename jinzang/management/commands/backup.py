from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinzang.backup import backup
from jinzang.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Back up the database and the uploaded files into one .tar.gz archive.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("Where to write the archive, e.g. jinzang.tar.gz."))
        parser.add_argument("--database", default="default", help=_("Database alias."))

    def handle(self, *args, archive, database, **options):
        manifest = backup(archive, alias=database)
        self.stdout.write(
            _("Backed up the %(vendor)s database and %(files)s uploaded files to %(archive)s.")
            % {"vendor": manifest["vendor"], "files": manifest["media_files"], "archive": archive}
        )
