from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from committees.bodies import services
from committees.bodies.forms import (
    BallotForm,
    CandidateForm,
    ChairForm,
    CloseEarlyForm,
    ElectionForm,
    EndSeatForm,
    FilingForm,
    MemberForm,
    RunoffForm,
    TermForm,
)
from committees.models import Body, ChairChoice, Election, ElectionFiling, Member, Term
from committees.models.decisions import Stage
from jinzang.forms import form_errors_from
from jinzang.permissions import ManageMixin, RegisterAccessMixin
from jinzang.templatetags.jinzang import listing
from jinzang.views import ServiceFormView, StepView
from residents.access import with_party_shown
from residents.models import Household, Resident
from residents.owners.owners_vote import Matter, rule_text


class ManageBodyMixin(ManageMixin):
    """The view changes a body: staff of its community or its own current members only."""

    def managed_object(self):
        return self.body

    def get_success_url(self, result):
        return self.body.get_absolute_url()


class BodyListView(RegisterAccessMixin, ListView):
    """The three bodies with their current term and chair."""

    template_name = "committees/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        chairs = Member.objects.current().filter(role=Member.Role.CHAIR).with_people()
        current = (
            Term.objects.current()
            .with_counts()
            .prefetch_related(Prefetch("members", queryset=chairs, to_attr="chairs"))
        )
        return (
            Body.objects.visible_to(self.request.user)
            .select_related("community", "compound", "courtyard")
            .prefetch_related(Prefetch("terms", queryset=current, to_attr="current_terms"))
            .order_by("community__name", "kind", "name")
        )


class BodyDetailView(RegisterAccessMixin, DetailView):
    template_name = "committees/body_detail.html"
    context_object_name = "body"

    def get_queryset(self):
        return Body.objects.visible_to(self.request.user).select_related(
            "community", "compound", "courtyard"
        )

    def get_context_data(self, **kwargs):
        body = self.object
        rounds = Election.objects.order_by("round")
        terms = list(
            body.terms.with_counts()
            .prefetch_related(Prefetch("elections", queryset=rounds, to_attr="rounds"))
            .order_by("-number")
        )
        current = body.terms.current().order_by("-number").first()
        members = []
        if current is not None:
            members = list(
                Member.objects.current()
                .filter(term=current)
                .with_people()
                .order_by("starts_on", "pk")
            )
        role_order = list(Member.Role.values)
        members.sort(key=lambda m: role_order.index(m.role))
        party = sum(1 for m in members if m.party_member)
        place = (body.community_id, body.compound_id, body.courtyard_id)
        return super().get_context_data(
            terms=terms,
            current_term=current,
            members=with_party_shown(members, user=self.request.user, place=place),
            party_count=party,
            party_percent=round(100 * party / len(members)) if members else 0,
            can_manage=body.can_manage(self.request.user),
            **kwargs,
        )


class TermCreateView(ManageBodyMixin, ServiceFormView):
    form_class = TermForm

    def fetch_objects(self):
        self.body = get_object_or_404(
            Body.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        last = self.body.terms.order_by("-number").first()
        return {"number": (last.number + 1) if last else 1}

    def perform(self, form):
        self.success_message = _("The new term has started.")
        return services.term_start(body=self.body, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Start a term"),
            eyebrow=self.body.name,
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )


class TermScopedMixin(ManageBodyMixin):
    def fetch_objects(self):
        self.term = get_object_or_404(
            Term.objects.filter(body__in=Body.objects.visible_to(self.request.user)).select_related(
                "body"
            ),
            pk=self.kwargs["pk"],
        )
        self.body = self.term.body


class MemberCreateView(TermScopedMixin, ServiceFormView):
    form_class = MemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "term": self.term}

    def perform(self, form):
        self.success_message = _("The seat is recorded.")
        return services.member_add(term=self.term, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Add a member"),
            eyebrow=str(self.term),
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )


class MemberEndView(ManageBodyMixin, ServiceFormView):
    form_class = EndSeatForm

    def fetch_objects(self):
        self.member = get_object_or_404(
            Member.objects.filter(
                term__body__in=Body.objects.visible_to(self.request.user)
            ).select_related("term__body", "resident", "user", "access_grant"),
            pk=self.kwargs["pk"],
            ends_on__isnull=True,
        )
        self.body = self.member.term.body

    def perform(self, form):
        self.success_message = _("The seat has ended.")
        return services.member_end(member=self.member, ends_on=form.cleaned_data["ends_on"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("End the seat of %(name)s") % {"name": self.member.display_name},
            eyebrow=str(self.member.term),
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )


class ElectionCreateView(TermScopedMixin, ServiceFormView):
    form_class = ElectionForm

    def perform(self, form):
        self.success_message = _(
            "The election is drafted: name the candidates, then announce it to the owners."
        )
        return services.election_create(term=self.term, **form.cleaned_data)

    def get_success_url(self, result):
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Draft the election"),
            eyebrow=str(self.term),
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )


def _elections():
    return Election.objects.select_related(
        "term__body__compound",
        "term__body__courtyard",
        "term__filing",
        "roll",
        # the steps, shown with who took them
        "announced_by",
        "opened_by",
        "closed_by",
        "published_by",
    )


class ElectionScopedMixin(RegisterAccessMixin):
    def fetch_objects(self):
        election = get_object_or_404(
            _elections().visible_to(self.request.user),
            pk=self.kwargs["pk"],
        )
        # Its voting period over: the result freezes now (docs/domain.md, "Owners' decisions").
        closed = services.election_close_due(election)
        if closed is not election:
            closed = _elections().get(pk=election.pk)
        self.election = closed
        self.body = self.election.term.body


class ElectionDetailView(ElectionScopedMixin, DetailView):
    """The election as it is counted, and the steps it goes through (announced, open,
    closed, published); ballot and candidate forms update it in place (htmx). After the
    close the page reads the result frozen then."""

    template_name = "committees/election_detail.html"
    context_object_name = "election"

    def get_object(self, queryset=None):
        return self.election

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["committees/election_detail.html#count"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        election, term = self.election, self.election.term
        can_manage = self.body.can_manage(self.request.user)
        stage = election.stage()
        is_open = election.status == Election.Status.OPEN
        result = services.election_result(election)
        rounds = list(term.elections.order_by("round").only("pk", "round", "status", "held_on"))
        is_last = rounds[-1].pk == election.pk
        runoff = services.runoff_due(election, result) if is_last else None
        is_over = is_last and not is_open and runoff is None
        filing = getattr(term, "filing", None)
        context = {
            "body": self.body,
            "result": result,
            "ballot_count": services.ballot_count(election),
            "can_manage": can_manage,
            "stage": Stage(stage),
            "decision": election,
            "decision_rule": rule_text(Matter.ELECT_COMMITTEE),
            "steps_urls": {
                "announce": reverse("committees:election_announce", args=[election.pk]),
                "open": reverse("committees:election_vote_open", args=[election.pk]),
                "close": reverse("committees:election_close", args=[election.pk]),
                "publish": reverse("committees:election_publish", args=[election.pk]),
            },
            "close_form": CloseEarlyForm() if can_manage and stage == Stage.OPEN else None,
            "may_open_now": stage == Stage.ANNOUNCED and timezone.now() >= election.may_open_from(),
            "rounds": rounds if len(rounds) > 1 else [],
            "is_last": is_last,
            "runoff": runoff
            and {"names": listing([c.resident.name for c in runoff[0]]), "seats": runoff[1]},
            "is_over": is_over,
            "filing": filing,
            "filing_days": filing.days_left() if filing else None,
            "filing_overdue_days": -filing.days_left() if filing else None,
        }
        if is_over:
            context["chair_choice"] = (
                ChairChoice.objects.filter(term=term)
                .select_related("chair__resident", "vice_chair__resident")
                .order_by("-chosen_on", "-pk")
                .first()
            )
        if can_manage and stage == Stage.OPEN:
            context.setdefault("ballot_form", BallotForm(election=election))
        if can_manage and stage == Stage.DRAFT and not election.is_runoff:
            context.setdefault("candidate_form", CandidateForm(body=self.body))
        context.update(kwargs)
        return super().get_context_data(**context)


class ElectionActionMixin(ElectionScopedMixin, ManageBodyMixin):
    http_method_names = ["post"]

    def render_count(self, **extra):
        view = ElectionDetailView()
        view.setup(self.request, pk=self.election.pk)
        view.election, view.body, view.access = self.election, self.body, self.access
        view.object = self.election
        return view.render_to_response(view.get_context_data(**extra))

    def done(self, message):
        messages.success(self.request, message)
        if self.request.headers.get("HX-Request"):
            return self.render_count()
        return redirect(self.election)


class BallotRecordView(ElectionActionMixin, FormView):
    form_class = BallotForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "election": self.election}

    def form_valid(self, form):
        data = form.cleaned_data
        household = Household.objects.filter(
            pk=data["household"], roll_entries__roll=self.election.roll_id
        ).first()
        voter = Resident.objects.filter(pk=data["voter"]).first()
        try:
            services.ballot_record(
                election=self.election,
                household=household,
                voter=voter,
                candidates=data["choices"],
                recorded_by=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        return self.done(_("Ballot recorded."))

    def form_invalid(self, form):
        return self.render_count(ballot_form=form)


class CandidateAddView(ElectionActionMixin, FormView):
    form_class = CandidateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.body}

    def form_valid(self, form):
        try:
            services.candidate_add(election=self.election, resident=form.cleaned_data["resident"])
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        return self.done(_("Candidate added."))

    def form_invalid(self, form):
        return self.render_count(candidate_form=form)


class ElectionStepView(ElectionScopedMixin, ManageBodyMixin, StepView):
    """One step of the election as an owners' decision, posted from its page by the body's
    managers (docs/domain.md, "Owners' decisions")."""

    def step_object(self):
        return self.election


class ElectionAnnounceView(ElectionStepView):
    done = gettext_lazy("Announced: the notice of the seats, the candidates and the period is up.")

    def step(self, request):
        services.election_announce(election=self.election, by=request.user)


class ElectionVoteOpenView(ElectionStepView):
    done = gettext_lazy("The vote is open: the owners and areas are frozen.")

    def step(self, request):
        services.election_vote_open(election=self.election, by=request.user)


class ElectionCloseView(ElectionStepView):
    """Close the vote before its closing time: a manager, with a reason."""

    done = gettext_lazy("The vote is closed and its result frozen; the elected take their seats.")

    def step(self, request):
        form = CloseEarlyForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Say why the vote closes before its closing time."))
        services.election_close(
            election=self.election, by=request.user, reason=form.cleaned_data["reason"]
        )


class ElectionPublishView(ElectionStepView):
    done = gettext_lazy("The result notice is published.")

    def step(self, request):
        services.election_publish(election=self.election, by=request.user)


class ElectionRunoffView(ElectionScopedMixin, ManageBodyMixin, ServiceFormView):
    """Draft a run-off among the candidates tied for the last seats of a closed round."""

    form_class = RunoffForm

    def perform(self, form):
        self.success_message = _(
            "The run-off is drafted among the tied candidates: announce it to the owners."
        )
        return services.election_runoff(election=self.election, **form.cleaned_data)

    def get_success_url(self, result):
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        due = None
        if self.election.status == Election.Status.CLOSED:
            due = services.runoff_due(self.election, services.election_result(self.election))
        if due is None:
            intro = _("This round left no seat unfilled by a tie: there is no run-off to hold.")
        else:
            candidates, seats = due
            intro = _(
                "%(names)s tied for the last seats: they stand again, among themselves only, "
                "for the seats left unfilled (%(seats)s). Those elected before stay elected."
            ) % {"names": listing([c.resident.name for c in candidates]), "seats": seats}
        return super().get_context_data(
            title=_("Hold a run-off"),
            eyebrow=str(self.election),
            intro=intro,
            cancel_url=self.election.get_absolute_url(),
            **kwargs,
        )


class ChairChooseView(TermScopedMixin, ServiceFormView):
    """Record the chair (and vice-chair) the elected members chose among themselves."""

    form_class = ChairForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "term": self.term}

    def perform(self, form):
        self.success_message = _("The chair chosen by the members is recorded.")
        services.chair_choose(term=self.term, recorded_by=self.request.user, **form.cleaned_data)
        return self.body

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record the chair chosen by the members"),
            eyebrow=str(self.term),
            intro=_(
                "After the election, the elected members choose their chair (and a "
                "vice-chair) among themselves; only they can be chosen."
            ),
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )


class FilingRecordView(ManageBodyMixin, ServiceFormView):
    """Record the filing (备案) of the election with the sub-district."""

    form_class = FilingForm

    def fetch_objects(self):
        self.filing = get_object_or_404(
            ElectionFiling.objects.visible_to(self.request.user).select_related("term__body"),
            pk=self.kwargs["pk"],
        )
        self.body = self.filing.term.body

    def perform(self, form):
        self.success_message = _("The filing is recorded.")
        services.filing_record(
            filing=self.filing, recorded_by=self.request.user, **form.cleaned_data
        )
        return self.body

    def get_success_url(self, result):
        first = self.filing.term.elections.order_by("round").first()
        return first.get_absolute_url() if first else self.body.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record the filing of the election"),
            eyebrow=str(self.filing.term),
            intro=_(
                "A new owners' committee files its election with the sub-district within "
                "30 days; due on %(date)s."
            )
            % {"date": date_format(self.filing.due_on, "DATE_FORMAT")},
            cancel_url=self.body.get_absolute_url(),
            **kwargs,
        )
