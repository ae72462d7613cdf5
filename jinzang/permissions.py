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


class ManageMixin(RegisterAccessMixin):
    """The view shows or changes one managed thing, the manage rule asked in one place.

    `managed_object()` names the thing, fetched through the user's scope in
    `fetch_objects` (out of scope: 404). Its `can_manage(user)` is asked once, into
    `self.can_manage` for the page's buttons; with `needs_manage` (the default) anyone
    else gets 403. A page that only shows the thing sets `needs_manage = False`.

    A form that makes a new thing or changes one returns None from `managed_object()` for
    a new thing; `may_create()` then says whether the user may make one, asked the same way.
    """

    needs_manage = True

    def managed_object(self):
        raise NotImplementedError

    def may_create(self) -> bool:
        """Whether the user may make a new thing (`managed_object()` is None)."""
        raise NotImplementedError

    def check_object_permissions(self):
        super().check_object_permissions()
        managed = self.managed_object()
        if managed is None:
            self.can_manage = self.may_create()
        else:
            self.can_manage = managed.can_manage(self.request.user)
        if self.needs_manage and not self.can_manage:
            raise PermissionDenied("may not manage this")


class ResidentDoorMixin(AccessMixin):
    """The view is a resident's own page (the residents' door): it needs a resident
    account (`access.account`), and sees only what that account reaches. Staff, committee
    members and administrators hold none and get 403, as a resident gets on theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = access_of(request.user)
        self.account = self.access.account
        if self.account is None:
            raise PermissionDenied("no resident account")
        self.resident = self.account.resident
        self.fetch_objects()
        return super().dispatch(request, *args, **kwargs)

    def fetch_objects(self):
        """Fetch, through the account's reach, the objects the view works on."""
