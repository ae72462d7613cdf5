"""Access letters written straight to the database, with a code the test knows (the
printing service and its PDF are tested on their own)."""

import datetime

from django.utils import timezone

from residents.accounts.codes import code_digest, code_grouped, code_new
from residents.models import AccessLetter, LetterPrinting
from tests.factories import UserFactory


def letter_issued(*, resident, household, by=None, days=60, state="usable", now=None):
    """(letter, code): a letter for `resident` at `household` valid for `days`, printed by
    `by` (a new user if None); `state` "used", "revoked" or "expired" makes it so."""
    now = now or timezone.now()
    printing = LetterPrinting.objects.create(
        printed_by=by or UserFactory(), place=str(household), letter_count=1
    )
    code = code_new()
    letter = AccessLetter.objects.create(
        resident=resident,
        household=household,
        code_digest=code_digest(code),
        printing=printing,
        expires_at=now + datetime.timedelta(days=days),
        used_at=now if state == "used" else None,
        revoked_at=now if state == "revoked" else None,
    )
    if state == "expired":
        AccessLetter.objects.filter(pk=letter.pk).update(
            expires_at=now - datetime.timedelta(days=1)
        )
        letter.refresh_from_db()
    return letter, code


def join_path(code: str) -> str:
    return f"/join/{code_grouped(code)}/"
