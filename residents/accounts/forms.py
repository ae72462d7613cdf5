from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from residents.accounts.codes import code_normalised, code_well_formed
from residents.accounts.sms import CODE_DIGITS
from residents.validators import normalize_phone, validate_mobile

PHONE_ATTRS = {"inputmode": "tel", "autocomplete": "tel"}


class SignInForm(AuthenticationForm):
    """Django's login form, whose first field takes a resident's sign-in phone too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Phone number or username")


class CodeForm(forms.Form):
    """The code as a resident types it from the letter."""

    code = forms.CharField(
        label=_("The code on your letter"),
        max_length=40,
        help_text=_(
            "12 letters and digits, e.g. K7MQ-3XPA-9TRD. Dashes and small letters are fine."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not code_well_formed(code):
            raise ValidationError(
                _(
                    "A code has 12 letters and digits, like K7MQ-3XPA-9TRD. Check it against your letter."
                ),
                code="malformed",
            )
        return code_normalised(code)


class BindForm(forms.Form):
    """What a resident chooses when binding a letter; `account_bind` checks the choices."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "Letters, digits and @ . + - _ only. You sign in with it, or with your phone number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone for signing in (optional)"),
        required=False,
        max_length=20,
        help_text=_("Then you can sign in with the number instead of the username."),
        widget=forms.TextInput(attrs=PHONE_ATTRS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validators_help_texts())

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone:
            validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") not in (None, data["password"]):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class SmsPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, widget=forms.TextInput(attrs=PHONE_ATTRS)
    )

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone


class SmsCodeForm(forms.Form):
    sms_code = forms.RegexField(
        label=_("The code from the SMS"),
        regex=rf"^\s*\d{{{CODE_DIGITS}}}\s*$",
        max_length=20,
        error_messages={"invalid": _("The code has 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
