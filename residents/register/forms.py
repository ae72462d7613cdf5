import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from jinzang.forms import ModelForm
from residents.access import Access
from residents.models import RESIDENT_FIELDS, Household, Membership, PersonalDataReveal, Resident
from residents.privacy.services import ID_NUMBER_REFUSED, id_numbers_refused
from residents.validators import (
    id_birth_date,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
)


class HouseholdForm(ModelForm):
    # The version the form showed: a save from an older one is refused (jinzang/concurrency).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Household
        fields = [
            "door_number",
            "area",
            "occupancy",
            "developer_unsold",
            "not_handed_over",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        if self.instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)
        self.fields["area"].widget.attrs.update(
            {"inputmode": "decimal", "step": "0.01", "min": "0"}
        )

    def clean_door_number(self):
        door = self.cleaned_data["door_number"].strip()
        clash = Household.objects.filter(unit=self.instance.unit, door_number=door)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("This unit already has a household with door number %(door)s."),
                params={"door": door},
                code="duplicate_door",
            )
        return door


class ResidentForm(ModelForm):
    """A resident's record; the personal fields only for those allowed to see them. `user`
    is who saves it, at the page `where`.

    The stored phone and ID numbers are not put in the form (showing them would be a
    showing of full numbers, for no reason given): their fields come empty, an empty field
    keeps the stored number, a number typed replaces it, and removing one takes its own
    checkbox."""

    PERSONAL_FIELDS = ("phone", "id_number", "is_party_member", "care_notes")
    # The numbers kept unless replaced, with the checkbox that removes each.
    KEPT_NUMBERS = {"phone": "clear_phone", "id_number": "clear_id_number"}

    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)
    clear_id_number = forms.BooleanField(label=_("Remove the stored ID number"), required=False)

    class Meta:
        model = Resident
        fields = RESIDENT_FIELDS
        widgets = {"care_notes": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "name",
        "gender",
        "birth_year",
        "phone",
        "clear_phone",
        "id_number",
        "clear_id_number",
        "is_party_member",
        "is_volunteer",
        "care_notes",
    ]

    def __init__(self, *args, show_personal: bool, user, where: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.where = user, where
        if not show_personal:
            for name in (*self.PERSONAL_FIELDS, *self.KEPT_NUMBERS.values()):
                del self.fields[name]
        else:
            # People type spaces, dashes and +86; the length is checked after normalising.
            for name, length in (("phone", 20), ("id_number", 24)):
                field = self.fields[name]
                field.max_length = length
                field.validators = []
                field.widget.attrs.update({"maxlength": length, "autocomplete": "off"})
            self.fields["phone"].widget.attrs["inputmode"] = "tel"
            self._keep_stored_numbers()
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["gender"].choices = [("", _("Not recorded")), *Resident.Gender.choices]

    def _keep_stored_numbers(self):
        """Empty number fields, each with the stored number's mask as its placeholder."""
        stored = {name: getattr(self.instance, name) for name in self.KEPT_NUMBERS}
        for name, clear in self.KEPT_NUMBERS.items():
            if not (self.instance.pk and stored[name]):
                del self.fields[clear]
                continue
            self.initial[name] = ""
            field = self.fields[name]
            masked = mask_phone(stored[name]) if name == "phone" else mask_id_number(stored[name])
            field.widget.attrs["placeholder"] = masked
            field.help_text = _(
                "Stored: %(masked)s. Leave empty to keep the stored number; type a new one "
                "to replace it."
            ) % {"masked": masked}

    def _kept(self, name: str, value: str) -> str:
        """The number to save: the one typed, else the stored one unless it is removed."""
        clear = self.KEPT_NUMBERS[name]
        if clear not in self.fields:
            return value
        if self.cleaned_data.get(clear):
            if value:
                raise forms.ValidationError(
                    _("Either type a new number or remove the stored one, not both."),
                    code="replace_and_remove",
                )
            return ""
        return value or getattr(self.instance, name)

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_id_number(self):
        id_number = normalize_id_number(self.cleaned_data["id_number"])
        if not id_number or id_number == self.instance.id_number:
            return id_number
        holder = Resident.objects.filter(id_number=id_number).first()
        if holder is not None and Access.of(self.user).can_see_personal(holder):
            raise forms.ValidationError(
                _("Another resident is registered with this ID number."), code="duplicate_id"
            )
        # Only what the user may know: a number held elsewhere gets a refusal that names
        # nothing, given alike to any new number once they have met a few (see the service).
        if id_numbers_refused(user=self.user, id_numbers=[id_number], where=self.where):
            raise forms.ValidationError(ID_NUMBER_REFUSED, code="id_number_refused")
        return id_number

    def clean(self):
        data = super().clean()
        # After every field: the checkboxes come after the numbers they remove.
        for name in self.KEPT_NUMBERS:
            if name in data:
                try:
                    data[name] = self._kept(name, data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and year > datetime.date.today().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def _post_clean(self):
        # ModelForm cleans fields, then runs the model validators on the normalised values.
        super()._post_clean()
        id_number = self.cleaned_data.get("id_number")
        year = self.cleaned_data.get("birth_year")
        if id_number and year and not self.has_error("id_number"):
            birth = id_birth_date(id_number)
            if birth and birth.year != year:
                self.add_error(
                    "birth_year",
                    _("The ID number says %(id_year)s; the year of birth says %(year)s.")
                    % {"id_year": birth.year, "year": year},
                )


class NewResidentForm(ResidentForm):
    """A resident added from a household page, with their relation to the household."""

    relation = forms.ChoiceField(label=_("relation to the household"), choices=Membership.Relation)

    field_order = ["name", "relation"]


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["relation"]


class ErasureForm(forms.Form):
    """The erasure of a resident's personal data, on their request: why, and a confirmation."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who asked for the erasure, when and how (e.g. a signed letter of 3 May)."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, phone, ID number and care notes are erased for good."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].replace("\x00", "").strip()
        if not reason:
            raise forms.ValidationError(_("Say who asked for the erasure, when and how."))
        return reason


class RevealForm(forms.Form):
    """A staff member asks to see a resident's full numbers, saying why."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=PersonalDataReveal.Reason,
        error_messages={
            "required": _("Say why you need the full numbers."),
            "invalid_choice": _("Say why you need the full numbers."),
        },
    )
    only = forms.ChoiceField(choices=[("phone", "phone")], required=False, widget=forms.HiddenInput)

    def fields_shown(self) -> tuple[str, ...]:
        return ("phone",) if self.cleaned_data.get("only") == "phone" else ("phone", "id_number")
