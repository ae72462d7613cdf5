"""Signing in as a resident: with the sign-in phone instead of a username, or with a code
sent by SMS to it (`residents.accounts.sms`). Both come after django-axes' backend, which
refuses a locked-out phone number first, as it refuses a locked-out username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from residents.accounts.sms import sms_code_check, sms_enabled
from residents.models import ResidentAccount
from residents.validators import MOBILE_RE, normalize_phone


def _phone(text: str | None) -> str:
    """The mobile number `text` is, as accounts keep it; "" when it is none."""
    phone = normalize_phone(text or "")
    return phone if MOBILE_RE.fullmatch(phone) else ""


class PhoneBackend(ModelBackend):
    """The sign-in phone of a resident's account and its password. Anything that is not a
    mobile number is left to the username backend (usernames cannot be phone numbers:
    `residents.accounts.binding`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        phone = _phone(username)
        if not phone or password is None:
            return None
        account = ResidentAccount.objects.select_related("user").filter(phone=phone).first()
        if account is None:
            # As long as a wrong password takes: the time tells nothing of who is bound.
            get_user_model()().set_password(password)
            return None
        user = account.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class SmsCodeBackend(ModelBackend):
    """The sign-in phone and the code last sent to it by SMS (when SMS is set up)."""

    def authenticate(self, request, username=None, sms_code=None, **kwargs):
        phone = _phone(username)
        if not sms_enabled() or not phone or sms_code is None:
            return None
        user = sms_code_check(phone=phone, code=sms_code)
        if user is not None and self.user_can_authenticate(user):
            return user
        return None
