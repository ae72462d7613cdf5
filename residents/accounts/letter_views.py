"""Staff print and revoke access letters (docs/domain.md, "The residents' own door").

Only the neighbourhood-committee staff of the place's community (and administrators) may:
a letter opens a resident's record. A committee member, a resident or a user without a
role gets 403; a place out of the user's part of the register, 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, View

from jinzang.permissions import RegisterAccessMixin
from residents.accounts.letter_forms import LetterPrintForm
from residents.accounts.letters import (
    letter_revoke,
    letters_counts,
    letters_print,
    letters_revoke_household,
)
from residents.models import AccessLetter, Building, Compound, Household, Unit


class LettersStaffMixin(RegisterAccessMixin):
    """Staff of the community of the place the view works on (`community_id()`)."""

    needs_personal_data = True

    def community_id(self) -> int:
        raise NotImplementedError

    def check_object_permissions(self):
        if not self.access.is_staff_of(self.community_id()):
            raise PermissionDenied("not staff of this community")


class LettersPrintView(LettersStaffMixin, FormView):
    """The print form for a place (GET), and its letters as one PDF (POST)."""

    template_name = "residents/letters_print.html"
    form_class = LetterPrintForm
    model = None
    related = ()
    # The place's households, from the place's key.
    households_lookup = ""

    def fetch_objects(self):
        self.place = get_object_or_404(
            self.model.objects.visible_to(self.request.user).select_related(*self.related),
            pk=self.kwargs["pk"],
        )

    def households(self):
        return Household.objects.filter(**{self.households_lookup: self.place.pk})

    def place_label(self) -> str:
        return str(self.place)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            printing, pdf = letters_print(
                households=self.households(),
                by=self.request.user,
                purpose=data["purpose"],
                paper=data["paper"],
                valid_days=data["valid_days"],
                place=self.place_label(),
                skip_bound=data["skip_bound"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letters-{printing.pk}.pdf"'
        # The codes are in this file only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            place=self.place,
            place_label=self.place_label(),
            counts=letters_counts(self.households()),
            **kwargs,
        )


class CompoundLettersView(LettersPrintView):
    model = Compound
    related = ("community",)
    households_lookup = "unit__building__compound"

    def community_id(self):
        return self.place.community_id

    def place_label(self):
        return self.place.name

    def get_context_data(self, **kwargs):
        return super().get_context_data(compound=self.place, **kwargs)


class BuildingLettersView(LettersPrintView):
    model = Building
    related = ("compound", "courtyard")
    households_lookup = "unit__building"

    def community_id(self):
        return self.place.compound.community_id

    def place_label(self):
        return f"{self.place.compound.name} {self.place}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(compound=self.place.compound, building=self.place, **kwargs)


class UnitLettersView(LettersPrintView):
    model = Unit
    related = ("building__compound",)
    households_lookup = "unit"

    def community_id(self):
        return self.place.building.compound.community_id

    def place_label(self):
        return f"{self.place.building.compound.name} {self.place.building} {self.place}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            compound=self.place.building.compound,
            building=self.place.building,
            unit=self.place,
            **kwargs,
        )


class HouseholdLettersView(LettersPrintView):
    """A household's print form, and its letters: each one's state, who printed it and
    when, with a button to revoke it (and one for all that are still usable)."""

    model = Household
    related = ("unit__building__compound", "unit__building__courtyard")
    households_lookup = "pk"

    def community_id(self):
        return self.place.unit.building.compound.community_id

    def get_context_data(self, **kwargs):
        letters = list(
            AccessLetter.objects.filter(household=self.place).select_related(
                "resident", "printing__printed_by", "revoked_by"
            )
        )
        for letter in letters:
            letter.current_state = letter.state()
        unit = self.place.unit
        return super().get_context_data(
            compound=unit.building.compound,
            building=unit.building,
            unit=unit,
            household=self.place,
            letters=letters,
            any_revocable=any(
                letter.current_state in (AccessLetter.State.USABLE, AccessLetter.State.EXPIRED)
                for letter in letters
            ),
            **kwargs,
        )


class LetterRevokeView(LettersStaffMixin, View):
    """Revoke one letter (POST only); back to its household's letters."""

    http_method_names = ["post"]

    def fetch_objects(self):
        self.letter = get_object_or_404(
            AccessLetter.objects.visible_to(self.request.user).select_related(
                "household__unit__building__compound", "resident"
            ),
            pk=self.kwargs["pk"],
        )

    def community_id(self):
        return self.letter.household.unit.building.compound.community_id

    def post(self, request, *args, **kwargs):
        try:
            letter_revoke(letter=self.letter, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The letter for %(name)s is revoked: its code no longer works.")
                % {"name": self.letter.resident.name},
            )
        return redirect("residents:letters_household", pk=self.letter.household_id)


class HouseholdLettersRevokeView(LettersStaffMixin, View):
    """Revoke every letter of a household not used yet (POST only)."""

    http_method_names = ["post"]

    def fetch_objects(self):
        self.household = get_object_or_404(
            Household.objects.visible_to(self.request.user).with_place(), pk=self.kwargs["pk"]
        )

    def community_id(self):
        return self.household.unit.building.compound.community_id

    def post(self, request, *args, **kwargs):
        count = letters_revoke_household(household=self.household, by=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s letter revoked: its code no longer works.",
                    "%(count)s letters revoked: their codes no longer work.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("No letter of this household was left to revoke."))
        return redirect("residents:letters_household", pk=self.household.pk)
