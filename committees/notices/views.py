"""Notices: public pages (no account needed), the Atom feed, and the staff pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, View

from committees.models import Body, Notice
from committees.notices import services as notice_services
from committees.notices.forms import NoticeForm, PublishForm
from jinzang.forms import SubmitOnceMixin, form_errors_from
from jinzang.links import url_maker
from jinzang.params import int_param
from jinzang.permissions import RegisterAccessMixin, ResidentDoorMixin
from residents.models import Compound


def state_message(notice) -> str:
    """What a notice's state means for its readers, told to staff after they save or publish."""
    state = notice.state
    if state == "draft":
        return _("Saved as a draft: residents do not see it until it is published.")
    places = {"audience": notice.audience_label()}
    if state == "scheduled":
        when = formats.date_format(timezone.localtime(notice.publish_at), "SHORT_DATETIME_FORMAT")
        return _(
            "Scheduled: residents of %(audience)s see it from %(when)s; until then it stays a "
            "draft only your body sees."
        ) % {**places, "when": when}
    if state == "published":
        return _("Published: residents of %(audience)s see it now.") % places
    if state == "expired":
        return _("Saved: the notice has expired and is no longer shown to residents.")
    return _("Saved: the notice is withdrawn and is not shown to residents.")


class NoticeListView(ListView):
    """Published notices, pinned first, newest first; filter by compound and category."""

    template_name = "notices/notice_list.html"
    context_object_name = "notices"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        notices = Notice.objects.public().select_related("body")
        self.compound = None
        compound = int_param(self.request.GET, "compound")
        if compound is not None:
            self.compound = Compound.objects.filter(pk=compound).first()
            if self.compound is not None:
                notices = notices.for_compound(self.compound)
        self.category = self.request.GET.get("category", "")
        if self.category in Notice.Category.values:
            notices = notices.filter(category=self.category)
        return notices.order_by("-pinned", "-publish_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A sub-district has some 90 compounds, listed twice (the filter, the public
        # accounts): their names come as plain values, and each link and label is made
        # here from one reverse() and one translation rather than per compound.
        compounds = list(Compound.objects.order_by("name").values_list("pk", "name"))
        accounts_url = url_maker("funds:public")
        accounts_label = _("Public accounts of %(compound)s")
        shown = [(self.compound.pk, self.compound.name)] if self.compound is not None else compounds
        notice_url = url_maker("notices:notice")
        for notice in context["notices"]:
            notice.url = notice_url(notice.pk)
        return {
            **context,
            "compounds": compounds,
            "accounts": [
                (accounts_url(pk), accounts_label % {"compound": name}) for pk, name in shown
            ],
            "categories": Notice.Category.choices,
            "compound": self.compound,
            "category": self.category,
        }


class MyNoticeListView(ResidentDoorMixin, ListView):
    """A resident's notices (the residents' door): those published for the compounds of the
    households they belong to today, newest first."""

    template_name = "notices/mine.html"
    context_object_name = "notices"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        self.compounds = Compound.objects.filter(
            pk__in=self.account.households().values("unit__building__compound")
        ).order_by("name")
        return (
            Notice.objects.public()
            .for_compounds(self.compounds)
            .select_related("body")
            .order_by("-publish_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice_url = url_maker("notices:notice")
        for notice in context["notices"]:
            notice.url = notice_url(notice.pk)
        return {**context, "compounds": list(self.compounds)}


class NoticeDetailView(DetailView):
    template_name = "notices/notice_detail.html"
    context_object_name = "notice"

    def get_object(self, queryset=None):
        notice = get_object_or_404(Notice.objects.select_related("body"), pk=self.kwargs["pk"])
        if not notice.can_read(self.request.user):
            raise Http404
        return notice

    def get_context_data(self, **kwargs):
        notice = self.object
        return super().get_context_data(
            revisions=list(notice.revisions.all()),
            attachments=list(notice.attachments.all()),
            can_manage=notice.can_manage(self.request.user),
            **kwargs,
        )


class NoticePrintView(NoticeDetailView):
    template_name = "notices/notice_print.html"


class NoticeAttachmentView(View):
    def get(self, request, pk, attachment_pk):
        notice = get_object_or_404(Notice.objects.select_related("body"), pk=pk)
        if not notice.can_read(request.user):
            raise Http404
        attachment = get_object_or_404(notice.attachments, pk=attachment_pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=not attachment.is_image)


class CompoundNoticeFeed(Feed):
    """The notices of one compound, as an Atom feed."""

    feed_type = Atom1Feed

    def get_object(self, request, compound_pk):
        return get_object_or_404(Compound, pk=compound_pk)

    def title(self, compound):
        return _("Notices for %(compound)s") % {"compound": compound.name}

    def link(self, compound):
        return f"{reverse('notices:notice_list')}?compound={compound.pk}"

    def subtitle(self, compound):
        return _("Published notices of the community's bodies for %(compound)s.") % {
            "compound": compound.name
        }

    def items(self, compound):
        return (
            Notice.objects.public()
            .for_compound(compound)
            .select_related("body")
            .order_by("-publish_at", "-pk")[:30]
        )

    def item_title(self, notice):
        return notice.title

    def item_description(self, notice):
        return notice.text

    def item_pubdate(self, notice):
        return notice.publish_at

    def item_updateddate(self, notice):
        return notice.updated_at

    def item_author_name(self, notice):
        return notice.body.name


class NoticeManageMixin(RegisterAccessMixin):
    def fetch_objects(self):
        self.notice = None
        if "pk" in self.kwargs:
            self.notice = get_object_or_404(
                Notice.objects.managed_by(self.request.user).select_related("body"),
                pk=self.kwargs["pk"],
            )

    def check_object_permissions(self):
        if self.notice is None and not Body.objects.manageable_by(self.request.user).exists():
            raise PermissionDenied("no body to publish for")


class NoticeManageListView(NoticeManageMixin, ListView):
    """Every notice of the bodies the user acts for: drafts, scheduled, published, withdrawn."""

    template_name = "notices/manage_list.html"
    context_object_name = "notices"

    def get_paginate_by(self, queryset):
        return settings.PAGE_SIZE

    def get_queryset(self):
        return (
            Notice.objects.managed_by(self.request.user)
            .select_related("body")
            .order_by("-updated_at", "-pk")
        )


class NoticeFormView(SubmitOnceMixin, NoticeManageMixin, FormView):
    template_name = "notices/notice_form.html"
    form_class = NoticeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.notice, "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            notice = notice_services.notice_save(
                notice=form.save(commit=False),
                compounds=data["compounds"],
                courtyards=data["courtyards"],
                buildings=data["buildings"],
                attachments=data["attachments"],
                user=self.request.user,
                reason=data.get("reason", ""),
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, state_message(notice))
        return redirect("notices:manage_list") if notice.state == "draft" else redirect(notice)

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, **kwargs)


class NoticePublishView(NoticeManageMixin, View):
    def post(self, request, pk):
        form = PublishForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Enter a valid date and time."))
            notice_services.notice_publish(notice=self.notice, at=form.cleaned_data["publish_at"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, state_message(self.notice))
        return redirect("notices:manage_list")


class NoticeWithdrawView(NoticeManageMixin, View):
    def post(self, request, pk):
        try:
            notice_services.notice_withdraw(notice=self.notice)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The notice is withdrawn."))
        return redirect("notices:manage_list")
