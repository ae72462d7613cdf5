from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jinzang.forms import DateField, DateInput
from jinzang.templatetags.jinzang import listing
from residents.access import Access
from residents.models import Compound, Resident
from residents.validators import normalize_phone


class ActivityForm(forms.Form):
    """An activity and, for each current member of the team, the hours they gave (empty:
    did not take part)."""

    date = DateField(label=_("date"), widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=200)
    description = forms.CharField(label=_("what was done"), max_length=300)
    compound = forms.ModelChoiceField(
        label=_("compound"), queryset=Compound.objects.none(), required=False
    )

    def __init__(self, *args, team, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteers = list(volunteers)
        self.fields["compound"].queryset = Compound.objects.filter(community=team.community_id)
        for volunteer in self.volunteers:
            self.fields[f"hours_{volunteer.pk}"] = forms.DecimalField(
                label=volunteer.name,
                required=False,
                min_value=Decimal("0.1"),
                max_value=Decimal("24"),
                max_digits=3,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )

    def hour_fields(self):
        return [self[f"hours_{v.pk}"] for v in self.volunteers]

    def clean(self):
        data = super().clean()
        given = {v: data.pop(f"hours_{v.pk}", None) for v in self.volunteers}
        data["hours"] = {v: h for v, h in given.items() if h is not None}
        if not data["hours"] and not self.errors:
            raise forms.ValidationError(_("Enter the hours of at least one participant."))
        return data


class VolunteerForm(forms.Form):
    """A resident found by mobile phone among those whose phone the user may see (staff of
    their community: the form must not tell anyone else whose a number is), or a name typed
    in. Residents sharing a number (an old parent registered with a child's mobile) are
    told apart by the name, never chosen for the user."""

    phone = forms.CharField(
        label=_("resident's mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Finds the resident on the register."),
    )
    name = forms.CharField(
        label=_("name"),
        max_length=50,
        required=False,
        help_text=_(
            "For someone not on the register; with a phone number several residents share, "
            "the name of the one joining."
        ),
    )
    is_party_member = forms.BooleanField(
        label=_("party member"),
        required=False,
        help_text=_("Only for someone not on the register."),
    )
    joined = DateField(label=_("joined"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        # As people write it: 139 8765 4321, +86 139-8765-4321.
        phone = normalize_phone(data.pop("phone", ""))
        data["resident"] = None
        if phone:
            personal = Access.of(self.user).personal_households()
            found = []
            if personal is not None:
                found = list(
                    Resident.objects.filter(phone=phone, memberships__household__in=personal)
                    .distinct()
                    .order_by("name", "pk")
                )
            if len(found) > 1 and data.get("name"):
                found = [r for r in found if r.name == data["name"].strip()] or found
            if not found:
                self.add_error("phone", _("No resident with this phone number in your part."))
            elif len(found) > 1:
                self.add_error(
                    "name",
                    _(
                        "Several residents have this phone number (%(names)s): type the name "
                        "of the one joining."
                    )
                    % {"names": listing(sorted(r.name for r in found))},
                )
            else:
                data["resident"] = found[0]
        elif not data.get("name"):
            raise forms.ValidationError(_("Enter the resident's phone number or a name."))
        return data
