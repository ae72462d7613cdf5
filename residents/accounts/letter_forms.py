from django import forms
from django.utils.translation import gettext_lazy as _

from residents.accounts.letters import VALID_DAYS
from residents.models import AccessLetter, LetterPrinting


class LetterPrintForm(forms.Form):
    """What a printing of access letters is for, on which paper, and for how long."""

    purpose = forms.ChoiceField(
        label=_("Letters for"),
        choices=AccessLetter.Purpose.choices,
        initial=AccessLetter.Purpose.RESIDENT,
    )
    paper = forms.ChoiceField(
        label=_("Paper"),
        choices=LetterPrinting.Paper.choices,
        initial=LetterPrinting.Paper.A4,
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=365,
        initial=VALID_DAYS,
        help_text=_("After this many days the code no longer works; 60 gives time to deliver."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    skip_bound = forms.BooleanField(
        label=_("Leave out residents who have an account already"),
        required=False,
        initial=True,
        help_text=_("A new letter would let its holder set the account's password anew."),
    )
