"""Strings of Django itself that its own zh_Hans catalogue does not translate yet.

Listed here so that `makemessages` puts them in our catalogue, which Django
consults before its own (LOCALE_PATHS comes first).
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
]
