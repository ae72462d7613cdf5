from django.core.management.base import BaseCommand

from jinzang.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="where to write the archive, e.g. jinzang.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, database, **options):
        manifest = backup(archive, alias=database)
        self.stdout.write(
            f"Backed up the {manifest['vendor']} database and "
            f"{manifest['media_files']} uploaded files to {archive}."
        )
