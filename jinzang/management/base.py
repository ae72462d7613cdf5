"""The base of Jinzang's management commands."""

from django.core.management.base import BaseCommand


class TranslatedCommand(BaseCommand):
    """A command whose `help` is a lazy translation. argparse needs plain text, so the
    help is made a string, in the active language, when the parser is built; arguments'
    help texts use `gettext` inside `add_arguments`, which runs at that time too."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
