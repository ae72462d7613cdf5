from django.core.management.base import BaseCommand, CommandError

from jinzang.backup import restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files by those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="an archive written by `manage.py backup`")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask: everything now stored is replaced"
        )

    def handle(self, *args, archive, database, yes, **options):
        if not yes:
            answer = input("Everything now stored is replaced by the backup. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        manifest = restore(archive, alias=database)
        self.stdout.write(f"Restored the backup of {manifest['created']} from {archive}.")
