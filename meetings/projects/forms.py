"""The forms of renovation projects: the project itself, naming a grid worker, a
household's answer, and an owner's own ballot."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Body
from jinzang.forms import DateInput, DateTimeInput, ModelForm, ModelMultipleChoiceField
from jinzang.names import person_name
from meetings.models import ConsentRecord, Project
from meetings.projects import ballots
from meetings.projects.consent import ANNOUNCED_FIELDS
from residents.models import Resident, Unit


class ProjectForm(ModelForm):
    units = ModelMultipleChoiceField(
        label=gettext_lazy("units covered"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "description",
            "body",
            "consent_kind",
            "matter",
            "threshold",
            "status",
            "starts_on",
            "ends_on",
            "contractor",
            "text",
            "ballot",
            "opens_at",
            "closes_at",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 6}),
            "ballot": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The neighbourhood committee sponsors owners' decisions where no owners'
        # committee serves (docs/domain.md, "Owners' decisions": who may sponsor).
        bodies = Body.objects.manageable_by(user).active()
        if self.instance.pk:
            bodies = bodies | Body.objects.filter(pk=self.instance.body_id)
        self.fields["body"].queryset = bodies
        self.fields["body"].empty_label = None
        units = (
            Unit.objects.visible_to(user)
            .select_related("building__compound")
            .order_by("building__compound__name", "building__number", "number")
        )
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: (
            f"{u.building.compound.name} {u.building.number}-{u.number}"
        )
        if self.instance.pk:
            self.fields["units"].initial = list(self.instance.units.values_list("pk", flat=True))
        if self.instance.announced_at or self.instance.roll_id:
            for name in ("units", "body", *ANNOUNCED_FIELDS):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Frozen since the decision was announced.")

    def clean(self):
        data = super().clean()
        body, units = data.get("body"), data.get("units") or []
        for unit in units:
            outside = body and (
                unit.building.compound.community_id != body.community_id
                if body.kind == Body.Kind.NEIGHBOURHOOD
                else unit.building.compound_id != body.compound_id
                or (body.courtyard_id and unit.building.courtyard_id != body.courtyard_id)
            )
            if outside:
                self.add_error("units", _("Choose units of the sponsoring body's own place."))
                break
        if data.get("consent_kind") == Project.ConsentKind.OWNERS_DECISION and not data.get(
            "matter"
        ):
            self.add_error("matter", _("An owners' decision needs its matter."))
        return data


class GridWorkerForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("grid worker"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy(
            "Committee members of the project's place who have no seat on the sponsoring "
            "body. Once named, they may record answers for this project."
        ),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = project.grid_worker_candidates()
        self.fields["user"].label_from_instance = person_name


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(label=gettext_lazy("answer"), choices=ConsentRecord.Answer)
    contribution = forms.DecimalField(
        label=gettext_lazy("contribution (yuan)"), required=False, max_digits=10, decimal_places=2
    )
    conditions = forms.CharField(
        label=gettext_lazy("conditions raised"), max_length=300, required=False
    )
    # Online ballots are the owners' own (meetings/projects/ballots.py), never recorded here.
    channel = forms.ChoiceField(
        label=gettext_lazy("recorded through"),
        choices=[c for c in ConsentRecord.Channel.choices if c[0] != ConsentRecord.Channel.ONLINE],
        initial="visit",
    )
    scan = forms.FileField(label=gettext_lazy("scan of the signed form"), required=False)
    # An owners' decision: who voted (docs/domain.md, "Owners' decisions": who voted).
    voter = forms.ModelChoiceField(
        label=gettext_lazy("who voted"),
        queryset=Resident.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "The owners of the household on the roll frozen when the vote opened."
        ),
    )
    proxy_name = forms.CharField(
        label=gettext_lazy("proxy"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Only when someone voted for the owner with written authority."),
    )
    proxy_relation = forms.CharField(
        label=gettext_lazy("proxy's relation to the owner"), max_length=50, required=False
    )
    proxy_authority = forms.FileField(
        label=gettext_lazy("written authority (授权委托书)"), required=False
    )
    ballot_number = forms.CharField(
        label=gettext_lazy("ballot number"), max_length=30, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    DECISION_FIELDS = ("voter", "proxy_name", "proxy_relation", "proxy_authority", "ballot_number")

    def __init__(self, *args, project, voters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [
            (a, ConsentRecord.Answer(a).label) for a in project.answers
        ]
        self.fields["contribution"].widget.attrs.update(
            {"inputmode": "decimal", "min": "0", "step": "0.01"}
        )
        if project.is_decision:
            del self.fields["contribution"]
            voter = self.fields["voter"]
            voter.queryset = voters if voters is not None else Resident.objects.none()
            voter.label_from_instance = lambda r: r.name
        else:
            for name in self.DECISION_FIELDS:
                del self.fields[name]

    def clean_contribution(self):
        value = self.cleaned_data.get("contribution")
        if value is not None and value < 0:
            raise forms.ValidationError(_("A contribution cannot be below zero."))
        return value


class BallotForm(forms.Form):
    """An owner's own ballot (meetings/projects/ballots.py): the answer, then a second
    press to confirm it."""

    answer = forms.ChoiceField(
        label=gettext_lazy("your answer"),
        choices=[(a, ConsentRecord.Answer(a).label) for a in ballots.CHOICES],
        error_messages={
            "required": gettext_lazy("Choose agree, disagree or abstain."),
            "invalid_choice": gettext_lazy("Choose agree, disagree or abstain."),
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
