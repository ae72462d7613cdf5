"""The forms of the notices' staff pages: a notice with its audience and attachments, and
the time to publish it."""

from django import forms
from django.utils.translation import gettext_lazy

from committees.models import Body, Notice
from committees.models.notices import audience_compounds
from jinzang.forms import DateTimeField, DateTimeInput, ModelForm
from residents.models import Building, Courtyard


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class NoticeForm(ModelForm):
    attachments = MultipleFileField(
        label=gettext_lazy("attachments"),
        required=False,
        help_text=gettext_lazy("Photos or PDFs, at most 5 MB each."),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason for the correction"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed to correct a published notice; readers see it."),
    )

    class Meta:
        model = Notice
        fields = [
            "body",
            "title",
            "text",
            "category",
            "for_whole_community",
            "compounds",
            "courtyards",
            "buildings",
            "expires_at",
            "pinned",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "expires_at": DateTimeInput(),
            "compounds": forms.CheckboxSelectMultiple,
            "courtyards": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.manageable_by(user).active()
        self.fields["body"].queryset = bodies
        self.fields["body"].empty_label = None
        # The places the user's bodies may address; the service checks the chosen body's.
        compounds = audience_compounds(bodies)
        self.fields["compounds"].queryset = compounds
        self.fields["courtyards"].queryset = Courtyard.objects.filter(
            compound__in=compounds
        ).select_related("compound")
        self.fields["buildings"].queryset = Building.objects.filter(
            compound__in=compounds
        ).select_related("compound")
        self.fields["buildings"].label_from_instance = lambda b: f"{b.compound.name} {b}"
        if not bodies.filter(kind=Body.Kind.NEIGHBOURHOOD).exists():
            # Only a neighbourhood committee addresses its whole community.
            del self.fields["for_whole_community"]
            self.instance.for_whole_community = False
        if not (self.instance.pk and self.instance.state != "draft"):
            del self.fields["reason"]


class PublishForm(forms.Form):
    publish_at = DateTimeField(
        label=gettext_lazy("publish at"),
        required=False,
        widget=DateTimeInput(),
        help_text=gettext_lazy("Empty: now."),
    )
