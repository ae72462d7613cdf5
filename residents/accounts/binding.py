"""Binding an access letter's code to a resident's own account (docs/domain.md, "The
residents' own door", "Binding a letter").

A code is bound once: the letter's row is locked while it is checked and marked used, so
of two people binding the same code at the same moment one gets the account and the other
is told the letter has been used. A resident who already has an account and binds a new
letter keeps that account (its requests and ballots stay theirs): the letter replaces its
username and password, and its sign-in phone when one is given.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from residents.accounts.codes import code_digest, code_well_formed
from residents.models import AccessLetter, ResidentAccount
from residents.validators import MOBILE_RE, normalize_phone, validate_mobile

NO_SUCH_CODE = "unknown"
NOT_A_CODE = "malformed"


def letter_by_code(code: str) -> AccessLetter | None:
    """The letter printed with `code` (as typed or read from a link), with its resident,
    door and the resident's account if any; None for a code no letter has."""
    if not code_well_formed(code):
        return None
    return (
        AccessLetter.objects.select_related(
            "resident__account__user", "household__unit__building__compound"
        )
        .filter(code_digest=code_digest(code))
        .first()
    )


def letter_refusal(letter: AccessLetter, now=None) -> str:
    """Why a letter's code can no longer be bound, in plain words; "" while it can."""
    state = letter.state(now)
    if state == AccessLetter.State.USED:
        return _(
            "This letter has already been used. If it was not you who used it, tell your committee."
        )
    if state == AccessLetter.State.EXPIRED:
        day = formats.date_format(timezone.localdate(letter.expires_at), "DATE_FORMAT")
        return _("This letter expired on %(date)s; ask your committee for a new one.") % {
            "date": day
        }
    if state == AccessLetter.State.REVOKED:
        return _("This letter was withdrawn; ask your committee for a new one.")
    return ""


def username_suggested(letter: AccessLetter) -> str:
    """A free username a resident may keep: "jz", the door number's digits and three
    characters that cannot be misread."""
    door = "".join(c for c in letter.household.door_number if c.isdigit())[:6]
    User = get_user_model()
    for _try in range(20):
        name = (
            "jz"
            + door
            + "".join(secrets.choice("23456789abcdefghjkmnpqrstuvwxyz") for _ in range(3))
        )
        if not User.objects.filter(username__iexact=name).exists():
            return name
    return ""


def _check_username(username: str, user) -> list[str]:
    User = get_user_model()
    if not username:
        return [_("Choose a username.")]
    if MOBILE_RE.fullmatch(normalize_phone(username)):
        return [_("A username cannot be a phone number; add your phone number below instead.")]
    field = User._meta.get_field("username")
    try:
        field.run_validators(username)
    except ValidationError as error:
        return error.messages
    if len(username) > field.max_length:
        return [_("A username has at most %(n)s characters.") % {"n": field.max_length}]
    taken = User.objects.filter(username__iexact=username)
    if user.pk:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        return [_("This username is taken; choose another.")]
    return []


def _check_phone(phone: str, account) -> list[str]:
    if not phone:
        return []
    try:
        validate_mobile(phone)
    except ValidationError as error:
        return error.messages
    taken = ResidentAccount.objects.filter(phone=phone)
    if account is not None:
        taken = taken.exclude(pk=account.pk)
    if taken.exists():
        return [_("This phone number already signs in to another account.")]
    return []


def account_bind(*, code: str, username: str, password: str, phone: str = "", now=None):
    """Bind the letter printed with `code` to its resident's own account, made now or (for
    a resident who has one) given the new username, password and phone.

    Refuses with a ValidationError: a code no letter has (code "unknown"), a letter used,
    expired or withdrawn (its state as the code), and bad choices (by field: username,
    password, phone). Returns the account; the letter is marked used."""
    now = now or timezone.now()
    username = (username or "").strip()
    phone = normalize_phone(phone)
    if not code_well_formed(code):
        raise ValidationError(_("This is not the code of a letter."), code=NOT_A_CODE)
    User = get_user_model()
    with transaction.atomic():
        # The letter alone is locked (no join), so FOR UPDATE names only its row.
        letter = (
            AccessLetter.objects.select_for_update().filter(code_digest=code_digest(code)).first()
        )
        if letter is None:
            raise ValidationError(_("No letter has this code."), code=NO_SUCH_CODE)
        if refusal := letter_refusal(letter, now):
            raise ValidationError(refusal, code=letter.state(now))
        resident = letter.resident
        account = ResidentAccount.objects.select_for_update().filter(resident=resident).first()
        if account is not None and not account.user.is_active:
            raise ValidationError(
                _("Your account has been switched off; ask your committee."), code="inactive"
            )
        user = account.user if account is not None else User(first_name=resident.name[:150])
        errors = {}
        if problems := _check_username(username, user):
            errors["username"] = problems
        user.username = username
        try:
            validate_password(password or "", user)
        except ValidationError as error:
            errors["password"] = error.messages
        if problems := _check_phone(phone, account):
            errors["phone"] = problems
        if errors:
            raise ValidationError(errors)
        # A resident's user is never staff, never a superuser and holds no grant.
        user.is_staff = False
        user.is_superuser = False
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
                if account is None:
                    account = ResidentAccount(user=user, resident=resident)
                if phone:
                    account.phone = phone
                account.letter = letter
                account.bound_at = now
                account.save()
        except IntegrityError:
            # Another binding took the username or the phone between the check and the write.
            raise ValidationError(
                _("This username or phone number was taken a moment ago; choose another.")
            ) from None
        letter.used_at = now
        letter.save(update_fields=["used_at"])
    return account
