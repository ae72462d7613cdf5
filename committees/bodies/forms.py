from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.bodies.services import body_households
from committees.models import Body, Candidate, Member, Term
from committees.models.bodies import validate_committee_size
from jinzang.forms import (
    DateField,
    DateInput,
    DateTimeField,
    DateTimeInput,
    ModelMultipleChoiceField,
)
from jinzang.names import NAME_ORDER, person_name
from jinzang.templatetags.jinzang import listing
from residents.models import Household, Membership, Resident


class TermForm(forms.Form):
    number = forms.IntegerField(label=_("term number"), min_value=1, max_value=999)
    starts_on = DateField(label=_("starts on"), widget=DateInput())
    ends_on = DateField(
        label=_("ends on"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Leave empty while the term runs. A running term ends the day before this one starts."
        ),
    )
    formed_by = forms.ChoiceField(label=_("formed by"), choices=Term.FormedBy)
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A term cannot end before it starts."))
        return data


def _place_residents(body: Body):
    households = body_households(body)
    return Resident.objects.filter(
        pk__in=Membership.objects.filter(household__in=households).values("resident")
    ).order_by("name", "pk")


class MemberForm(forms.Form):
    """A seat: a resident of the body's place, or (neighbourhood committee) a staff person."""

    resident = forms.ModelChoiceField(
        label=_("resident"), queryset=Resident.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("login account"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_(
            "Gives this person access to the register of the body's place while the seat lasts."
        ),
    )
    name = forms.CharField(
        label=_("name"),
        max_length=50,
        required=False,
        help_text=_("For neighbourhood-committee staff who are not on the register."),
    )
    is_party_member = forms.BooleanField(
        label=_("party member"),
        required=False,
        help_text=_(
            "Only for someone not on the register; a resident's is read from the resident."
        ),
    )
    role = forms.ChoiceField(label=_("role"), choices=Member.Role, initial=Member.Role.MEMBER)
    starts_on = DateField(label=_("starts on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        body = term.body
        users = get_user_model().objects.filter(is_active=True).order_by(*NAME_ORDER)
        self.fields["user"].queryset = users
        # The username beside the name: two accounts may carry the same name.
        self.fields["user"].label_from_instance = lambda u: (
            _("%(name)s (%(detail)s)") % {"name": person_name(u), "detail": u.username}
            if u.first_name or u.last_name
            else u.username
        )
        if body.kind == Body.Kind.NEIGHBOURHOOD:
            self.fields["resident"].queryset = (
                Resident.objects.filter(
                    memberships__household__unit__building__compound__community=body.community_id
                )
                .distinct()
                .order_by("name", "pk")
            )
        else:
            self.fields["resident"].queryset = _place_residents(body)
            self.fields["resident"].required = True
            del self.fields["name"]
            del self.fields["is_party_member"]
        self.fields["starts_on"].initial = max(term.starts_on, timezone.localdate())

    def clean(self):
        data = super().clean()
        if not (data.get("resident") or data.get("user") or data.get("name")):
            raise forms.ValidationError(_("Choose a resident, a login account or enter a name."))
        return data


class ElectionForm(forms.Form):
    seats = forms.IntegerField(
        label=_("seats"),
        min_value=1,
        max_value=99,
        initial=7,
        help_text=_("The committee's size: 5 to 11 members, an odd number."),
    )
    held_on = DateField(
        label=_("held on"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("The day of the count; the filing is due 30 days after the final round."),
    )
    text = forms.CharField(
        label=_("text put to the owners"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The election as the owners will read it in the announcement: where and how "
            "ballots are cast, who counts them. The seats, the candidates and the period "
            "are added to it."
        ),
    )
    opens_at = DateTimeField(
        label=_("voting opens at"),
        widget=DateTimeInput(),
        help_text=_("At least the notice period (15 days) after the announcement."),
    )
    closes_at = DateTimeField(label=_("voting closes at"), widget=DateTimeInput())

    def clean_seats(self):
        seats = self.cleaned_data["seats"]
        validate_committee_size(seats)
        return seats

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return data


class RunoffForm(forms.Form):
    held_on = DateField(label=_("held on"), widget=DateInput(), initial=timezone.localdate)
    opens_at = DateTimeField(
        label=_("voting opens at"),
        widget=DateTimeInput(),
        help_text=_("At least the notice period (15 days) after the announcement."),
    )
    closes_at = DateTimeField(label=_("voting closes at"), widget=DateTimeInput())

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("Voting must close after it opens."))
        return data


class CloseEarlyForm(forms.Form):
    """The reason a manager gives for closing an owners' decision's vote (a project's or an
    election's) before its closing time."""

    reason = forms.CharField(
        label=_("reason for closing early"),
        max_length=300,
        help_text=_("Kept with the result and printed on the result notice."),
    )


class ChairForm(forms.Form):
    """The chair and vice-chair the elected members chose: elected members of the term only."""

    chair = forms.ModelChoiceField(label=_("chair"), queryset=Member.objects.none())
    vice_chair = forms.ModelChoiceField(
        label=_("vice-chair"), queryset=Member.objects.none(), required=False
    )
    chosen_on = DateField(label=_("chosen on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, term: Term, **kwargs):
        super().__init__(*args, **kwargs)
        elected = (
            term.members.filter(ends_on__isnull=True, elected_in__isnull=False)
            .select_related("resident")
            .order_by("resident__name", "pk")
        )
        for name in ("chair", "vice_chair"):
            self.fields[name].queryset = elected
            self.fields[name].label_from_instance = lambda m: m.display_name

    def clean(self):
        data = super().clean()
        chair, vice_chair = data.get("chair"), data.get("vice_chair")
        if chair and vice_chair and chair == vice_chair:
            self.add_error("vice_chair", _("The chair and the vice-chair are two members."))
        return data


class FilingForm(forms.Form):
    filed_on = DateField(label=_("filed on"), widget=DateInput(), initial=timezone.localdate)
    filed_with = forms.CharField(
        label=_("filed with"),
        max_length=100,
        help_text=_("The office that received the filing: the sub-district, the district."),
    )
    reference = forms.CharField(
        label=_("reference number"),
        max_length=50,
        required=False,
        help_text=_("The number the office gave the filing, if any."),
    )


class CandidateForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("resident"), queryset=Resident.objects.none())

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Membership.objects.filter(
            household__in=body_households(body),
            relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
        )
        self.fields["resident"].queryset = Resident.objects.filter(
            pk__in=owners.values("resident")
        ).order_by("name", "pk")


class BallotForm(forms.Form):
    """One owner's ballot, as written on the paper form."""

    household = forms.TypedChoiceField(label=_("household"), coerce=int)
    voter = forms.TypedChoiceField(
        label=_("voter"), coerce=int, help_text=_("The owner or co-owner who signed the ballot.")
    )
    choices = ModelMultipleChoiceField(
        label=_("votes for"),
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A blank ballot still counts towards participation."),
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        candidates = election.candidates.select_related("resident")
        self.fields["choices"].queryset = candidates
        self.fields["choices"].label_from_instance = lambda c: c.resident.name
        # Choices built from two flat queries: a household's label names its place and owners.
        rows = (
            Household.objects.filter(roll_entries__roll=election.roll_id)
            .order_by("unit__building__number", "unit__number", "door_number")
            .values_list("pk", "unit__building__number", "unit__number", "door_number")
        )
        owners = (
            Membership.objects.filter(
                household__roll_entries__roll=election.roll_id,
                relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
            )
            .order_by("resident__name")
            .values_list("household_id", "resident_id", "resident__name")
        )
        names: dict[int, list[str]] = {}
        voters: dict[int, str] = {}
        for household_id, resident_id, name in owners:
            names.setdefault(household_id, []).append(name)
            voters[resident_id] = name
        self.fields["household"].choices = [("", "")] + [
            (pk, f"{b}-{u}-{d} {listing(names.get(pk, []))}") for pk, b, u, d in rows
        ]
        self.fields["voter"].choices = [("", "")] + sorted(
            ((pk, name) for pk, name in voters.items()), key=lambda c: c[1]
        )

    def clean_choices(self):
        choices = self.cleaned_data["choices"]
        if len(choices) > self.election.seats:
            raise forms.ValidationError(
                _("A ballot may name at most %(seats)s candidates.")
                % {"seats": self.election.seats}
            )
        return choices


class EndSeatForm(forms.Form):
    ends_on = DateField(label=_("ends on"), widget=DateInput(), initial=timezone.localdate)
