"""How a view declares who may use it, checked in one place.

Anonymous visitors are sent to log in; a logged-in user without any role in
the register gets 403; objects are always fetched through the user's scope
(`visible_to`), so an object out of scope reads as 404.

Who may see what is not decided here: the project names its access rule in
`settings.ACCESS_RULE` (`residents.access.Access`), and the shared code asks it
through `access_of(user)` without importing an app.
"""

import functools

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string


@functools.cache
def access_rule():
    """The class named by `settings.ACCESS_RULE`, imported once."""
    return import_string(settings.ACCESS_RULE)


def access_of(user):
    """What `user` may see (`has_role`, `is_staff_role`, ...), read once per request."""
    return access_rule().of(user)


class RegisterAccessMixin(AccessMixin):
    """The view needs a role in the register; `needs_personal_data` narrows it to staff."""

    needs_personal_data = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = access_of(request.user)
        if not self.access.has_role:
            raise PermissionDenied("no role")
        if self.needs_personal_data and not self.access.is_staff_role:
            raise PermissionDenied("personal data")
        self.fetch_objects()
        self.check_object_permissions()
        return super().dispatch(request, *args, **kwargs)

    def fetch_objects(self):
        """Fetch, through the user's scope, the objects the view works on (after the checks)."""

    def check_object_permissions(self):
        """Raise PermissionDenied when the user may see the objects but not do this to them."""
