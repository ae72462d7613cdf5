"""Signing in with a one-time code sent by SMS to an account's sign-in phone.

Optional: `settings.SMS_BACKEND` names the class that sends a message ("" turns it off, the
default: no SMS provider is needed to run Jinzang). `ConsoleBackend` prints the message
for development, as Django's console e-mail backend does; `LocmemBackend` keeps it in
`outbox` for tests. A real provider is a class with the same `send(phone, message)`.

A code has six digits, is kept only as a digest, is valid for ten minutes and five wrong
tries, and at most one is sent a minute to a phone. Whether a phone is bound to an account
is never told: asking for a code answers the same either way.
"""

import hashlib
import hmac
import logging
import secrets
import sys
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from residents.models import ResidentAccount, SmsSignInCode

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=10)
CODE_TRIES = 5
RESEND_AFTER = timedelta(minutes=1)

log = logging.getLogger(__name__)

# What LocmemBackend sent: (phone, message), oldest first.
outbox: list[tuple[str, str]] = []


class ConsoleBackend:
    """Prints each message (and logs it) instead of sending it: for development."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, message: str) -> None:
        self.stream.write(f"SMS to {phone}: {message}\n")
        self.stream.flush()
        log.info("SMS to %s: %s", phone, message)


class LocmemBackend:
    """Keeps each message in `residents.accounts.sms.outbox`: for tests."""

    def send(self, phone: str, message: str) -> None:
        outbox.append((phone, message))


def sms_enabled() -> bool:
    return bool(settings.SMS_BACKEND)


def sms_backend():
    return import_string(settings.SMS_BACKEND)()


def _digest(account_id: int, code: str) -> str:
    key = ("jinzang.sms-sign-in:" + settings.SECRET_KEY).encode()
    return hmac.new(key, f"{account_id}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_code_send(*, phone: str, now=None) -> None:
    """Send a new sign-in code to `phone` if it is the sign-in phone of an active account
    and no code went to it in the last minute; otherwise do nothing. Returns nothing, so
    that no caller can tell the cases apart."""
    if not sms_enabled():
        return
    now = now or timezone.now()
    with transaction.atomic():
        account = (
            ResidentAccount.objects.select_for_update(of=("self",))
            .filter(phone=phone, user__is_active=True)
            .first()
        )
        if account is None:
            return
        last = SmsSignInCode.objects.filter(account=account).first()
        if last is not None and last.sent_at > now - RESEND_AFTER:
            return
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        SmsSignInCode.objects.update_or_create(
            account=account,
            defaults={
                "digest": _digest(account.pk, code),
                "sent_at": now,
                "expires_at": now + CODE_VALID,
                "tries": 0,
            },
        )
        message = _(
            "Your Jinzang sign-in code is %(code)s. It is valid for 10 minutes. Nobody from "
            "the committee will ever ask you for it."
        ) % {"code": code}
        backend = sms_backend()
        transaction.on_commit(lambda: backend.send(phone, message))


def sms_code_check(*, phone: str, code: str, now=None):
    """The user whose sign-in phone is `phone` if `code` is the code last sent to it, still
    valid; the code is then used up. A wrong code counts one try; None when refused."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        sent = (
            SmsSignInCode.objects.select_for_update(of=("self",))
            .select_related("account__user")
            .filter(account__phone=phone)
            .first()
        )
        if sent is None or sent.expires_at <= now or sent.tries >= CODE_TRIES:
            return None
        if not hmac.compare_digest(sent.digest, _digest(sent.account_id, code)):
            sent.tries += 1
            sent.save(update_fields=["tries"])
            return None
        sent.delete()
        return sent.account.user
