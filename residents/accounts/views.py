"""The pages a resident signs in through: typing or opening a letter's code and choosing a
password (docs/domain.md, "Binding a letter"), the sign-in page, and codes by SMS.

Every page here is open to anyone. A visitor already signed in sees the page with a note:
binding a letter, or signing in by SMS, signs them in to that account instead (a family
sharing one phone binds each member's letter in turn).
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from jinzang.forms import form_errors_from
from jinzang.views import LETTER_CODE_CREDENTIALS, locked_out
from residents.accounts.binding import (
    NO_SUCH_CODE,
    NOT_A_CODE,
    account_bind,
    letter_by_code,
    letter_refusal,
    username_suggested,
)
from residents.accounts.codes import code_grouped, code_normalised, code_well_formed
from residents.accounts.forms import BindForm, CodeForm, SignInForm, SmsCodeForm, SmsPhoneForm
from residents.accounts.sms import sms_code_send, sms_enabled
from residents.models import AccessLetter
from residents.validators import mask_name, mask_phone

# Why account_bind refuses a letter itself (not the choices made for it): said alone.
LETTER_REFUSALS = {NO_SUCH_CODE, NOT_A_CODE, "inactive", *AccessLetter.State.values}

# Where a resident goes once signed in by a letter or an SMS code: their own pages.
DOOR_URL = "door:home"

# The session key holding the phone a code was asked for, between the two SMS pages.
SMS_PHONE = "sms_sign_in_phone"

# A resident's user authenticated without a backend (binding a letter) is the username's.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(auth_views.LoginView):
    """Django's login page, where residents sign in with their phone number too."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(sms_enabled=sms_enabled(), **kwargs)


class LetterCodeMixin:
    """A page that checks letters' codes: refused with the lockout page, checking nothing,
    once too many wrong codes came from the visitor's address; a wrong code counts."""

    def dispatch(self, request, *args, **kwargs):
        if not AxesProxyHandler.is_allowed(request, LETTER_CODE_CREDENTIALS):
            return locked_out(request, credentials=LETTER_CODE_CREDENTIALS)
        return super().dispatch(request, *args, **kwargs)

    def code_failed(self):
        """Count a wrong code; at the limit django-axes' middleware answers with the
        lockout page."""
        user_login_failed.send(
            sender=__name__, credentials=LETTER_CODE_CREDENTIALS, request=self.request
        )


class JoinView(LetterCodeMixin, FormView):
    """/join/: type the code of a letter."""

    form_class = CodeForm
    template_name = "accounts/join.html"

    def form_valid(self, form):
        code = form.cleaned_data["code"]
        if letter_by_code(code) is None:
            self.code_failed()
            form.add_error("code", _("No letter has this code. Check it against your letter."))
            return self.form_invalid(form)
        return redirect("join_code", code=code_grouped(code))


@method_decorator(never_cache, name="dispatch")  # its address holds a code
class JoinCodeView(LetterCodeMixin, FormView):
    """/join/<code>/: the letter's masked name and door, then the choice of a username and
    a password (and a phone); a letter that can no longer be bound says so and nothing else."""

    form_class = BindForm
    template_name = "accounts/join_code.html"

    def dispatch(self, request, *args, **kwargs):
        self.code = code_normalised(kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.checked() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.checked() or super().post(request, *args, **kwargs)

    def checked(self):
        """The answer for a code that cannot be bound, or None for a usable letter (then in
        `self.letter`)."""
        if not code_well_formed(self.code):
            return self.refuse(_("This is not the code of a letter."), status=404, retry=True)
        if self.kwargs["code"] != code_grouped(self.code):
            return redirect("join_code", code=code_grouped(self.code))
        self.letter = letter_by_code(self.code)
        if self.letter is None:
            self.code_failed()
            return self.refuse(
                _("No letter has this code. Check it against your letter."), status=404, retry=True
            )
        if refusal := letter_refusal(self.letter):
            return self.refuse(refusal, status=410)
        return None

    def refuse(self, message, *, status, retry=False):
        return render(
            self.request,
            "accounts/join_refused.html",
            {"message": message, "retry": retry},
            status=status,
        )

    def get_initial(self):
        account = getattr(self.letter.resident, "account", None)
        if account is not None:
            return {"username": account.user.username}
        return {"username": username_suggested(self.letter)}

    def get_context_data(self, **kwargs):
        letter = self.letter
        return super().get_context_data(
            masked_name=mask_name(letter.resident.name),
            household=letter.household,
            rebinding=hasattr(letter.resident, "account"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            account = account_bind(
                code=self.code,
                username=data["username"],
                password=data["password"],
                phone=data["phone"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) in LETTER_REFUSALS:
                # Used or withdrawn since the page was shown: said as for any such letter.
                return self.refuse(" ".join(error.messages), status=410)
            form_errors_from(form, error)
            return self.form_invalid(form)
        login(self.request, account.user, backend=MODEL_BACKEND)
        messages.success(self.request, _("Your account is ready. You are signed in."))
        return redirect(DOOR_URL)


class SmsMixin:
    """The SMS pages exist only when SMS is set up (settings.SMS_BACKEND)."""

    def dispatch(self, request, *args, **kwargs):
        if not sms_enabled():
            raise Http404("SMS is off")
        return super().dispatch(request, *args, **kwargs)


class SmsSendView(SmsMixin, FormView):
    """/accounts/login/sms/: ask for a code by SMS."""

    form_class = SmsPhoneForm
    template_name = "accounts/sms_send.html"

    def form_valid(self, form):
        phone = form.cleaned_data["phone"]
        sms_code_send(phone=phone)
        self.request.session[SMS_PHONE] = phone
        # The same words whether the number is bound or not.
        messages.info(
            self.request,
            _(
                "If this number signs in to an account, a code is on its way by SMS. It is "
                "valid for 10 minutes."
            ),
        )
        return redirect("login_sms_code")


class SmsCodeView(SmsMixin, FormView):
    """/accounts/login/sms/code/: type the code that came by SMS."""

    form_class = SmsCodeForm
    template_name = "accounts/sms_code.html"

    def dispatch(self, request, *args, **kwargs):
        self.phone = request.session.get(SMS_PHONE, "")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.phone:
            return redirect("login_sms")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.phone:
            return redirect("login_sms")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(masked_phone=mask_phone(self.phone), **kwargs)

    def form_valid(self, form):
        code = form.cleaned_data["sms_code"].strip()
        user = authenticate(self.request, username=self.phone, sms_code=code)
        if user is None:
            form.add_error(
                "sms_code",
                _(
                    "This code is wrong or no longer valid. Ask for a new one if it is older than 10 minutes."
                ),
            )
            return self.form_invalid(form)
        login(self.request, user)
        self.request.session.pop(SMS_PHONE, None)
        return redirect(DOOR_URL)


def join_url(code: str) -> str:
    """The link printed on a letter (as a QR code): /join/K7MQ-3XPA-9TRD/."""
    return reverse("join_code", kwargs={"code": code_grouped(code_normalised(code))})
