"""Optimistic versioning: two people editing one record, the second is told, nothing lost.

A versioned model has `version` (a PositiveIntegerField); its edit form carries the version
it showed as a hidden field. The write claims the record with one
`UPDATE ... SET version = version + 1 WHERE pk = ... AND version = shown`: the row stays
locked until the transaction ends, a rival's UPDATE waits for it and then finds the version
moved on (PostgreSQL re-reads the row under READ COMMITTED), so it claims nothing and its
writer is told who changed the record.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jinzang.names import person_name


class EditConflict(ValidationError):
    """Someone else saved the record after the form was opened."""

    def __init__(self, message, *, current_version):
        super().__init__(message, code="conflict")
        self.current_version = current_version


def changed_by(obj) -> tuple[str, str]:
    """Who last changed `obj` and when, from its simple-history rows where it has them."""
    history = getattr(obj, "history", None)
    latest = history.select_related("history_user").first() if history is not None else None
    if latest is None:
        return str(_("Someone else")), ""
    user = latest.history_user
    name = person_name(user) or str(_("Someone else"))
    return name, timezone.localtime(latest.history_date).strftime("%H:%M:%S")


def version_claim(obj, shown: int | None, *, what: str) -> None:
    """Claim `obj` for this transaction if it is still at the version the form `shown`;
    else raise EditConflict naming who changed it. On success `obj.version` is the new one.
    Call inside transaction.atomic, before saving `obj`."""
    model = type(obj)
    claimed = model._default_manager.filter(pk=obj.pk, version=shown).update(
        version=F("version") + 1
    )
    if claimed:
        obj.version = shown + 1
        return
    current = model._default_manager.filter(pk=obj.pk).first()
    if current is None:
        raise ValidationError(_("The %(what)s you opened no longer exists.") % {"what": what})
    name, time = changed_by(current)
    message = (
        _(
            "%(name)s changed this %(what)s at %(time)s, after you opened it. Your input is "
            "kept below: compare it with the record and save again to overwrite."
        )
        if time
        else _(
            "%(name)s changed this %(what)s after you opened it. Your input is kept below: "
            "compare it with the record and save again to overwrite."
        )
    )
    raise EditConflict(
        message % {"name": name, "what": what, "time": time},
        current_version=current.version,
    )


def form_show_conflict(form, error: EditConflict) -> None:
    """Put the conflict on the form, keeping the user's input, and let a deliberate second
    save go through: the hidden version becomes the one now stored."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = error.current_version
    form.add_error(None, error)
