"""Pages of renovation projects: the project, the consent grid, print views, exports; and
an owner's own ballot in an owners' decision, from the residents' door."""

import json
from collections import defaultdict

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from committees.bodies.forms import CloseEarlyForm
from committees.models import Body
from committees.models.decisions import Stage
from jinzang.charts import line_chart
from jinzang.forms import form_errors_from
from jinzang.history import history_changes
from jinzang.links import url_maker
from jinzang.names import person_name
from jinzang.offline import KeptOfflineMixin, QueuedSendMixin, form_reasons, refused
from jinzang.permissions import ManageMixin, RegisterAccessMixin, ResidentDoorMixin
from jinzang.spreadsheet_views import ImportPreviewView, ImportUploadView
from jinzang.spreadsheets import FORMATS, export_response, sidecar, template_response
from jinzang.templatetags.jinzang import listing
from jinzang.views import StepView
from meetings.models import ConsentRecord, Project
from meetings.projects import ballots, consent, tally
from meetings.projects import imports as consent_imports
from meetings.projects.forms import BallotForm, ConsentForm, GridWorkerForm, ProjectForm
from residents.models import Building, Household, Membership, OwnerRollEntry, Resident
from residents.owners.owners_vote import SPECIAL_MATTERS, Matter, rule_text


class ProjectScopedMixin(ManageMixin):
    """Fetches the project through the user's scope (staff: community; members: own
    compound); its pages show it to all who see it."""

    needs_manage = False

    def fetch_objects(self):
        project = get_object_or_404(
            Project.objects.visible_to(self.request.user).select_related(
                "body__community",
                "body__compound",
                "body__courtyard",
                "roll",
                # the steps of an owners' decision, shown with who took them
                "announced_by",
                "opened_by",
                "closed_by",
                "published_by",
            ),
            pk=self.kwargs["pk"],
        )
        closed = consent.close_due(project)  # its voting period over: the result freezes now
        if closed is not project:
            closed.body = project.body
        self.project = closed

    def managed_object(self):
        return self.project

    @cached_property
    def can_record(self) -> bool:
        """May the user record answers here (asked only by the pages that need it)."""
        return self.project.can_record(self.request.user)

    @cached_property
    def recording_refusal(self) -> str:
        """Why no answer may be recorded now, whoever records it ("" when one may): an
        owners' decision takes answers only while its vote is open."""
        try:
            consent.project_check_recording(self.project)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""


class ProjectManageMixin(ProjectScopedMixin):
    """Changes the project: the sponsoring body's managers (`Project.can_manage`)."""

    needs_manage = True


class ProjectRecordMixin(ProjectScopedMixin):
    """Recording answers: a user who may see the project but not record in it gets 403."""

    def check_object_permissions(self):
        super().check_object_permissions()
        if not self.can_record:
            raise PermissionDenied("may not record answers in this project")


class ProjectListView(RegisterAccessMixin, ListView):
    template_name = "projects/project_list.html"
    context_object_name = "projects"

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).select_related("body")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=Body.objects.manageable_by(self.request.user).exists(), **kwargs
        )


class ProjectDetailView(ProjectScopedMixin, DetailView):
    # Its figures are cached under a stamp of the project's records (below).
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return self.project

    # The figures are kept in the cache under their stamp (tally.progress_stamp), so a
    # project of 5,000 households is counted once per change, not once per view; the stamp
    # is in the key, so an answer recorded anywhere shows at once.
    FIGURES_SECONDS = 3600

    def get_context_data(self, **kwargs):
        project = self.project
        stamp = tally.progress_stamp(project)
        key = f"project-figures:{stamp}"
        figures = cache.get(key)
        if figures is None:
            figures = self.figures(project)
            cache.set(key, figures, self.FIGURES_SECONDS)
        context = {
            **figures,
            "stamp": stamp,
            "figures_seconds": self.FIGURES_SECONDS,
            "can_manage": self.can_manage,
            "can_record": self.can_record,
            "meetings": list(project.meetings.select_related("body").order_by("-starts_at")),
            "decisions": list(
                project.decisions.select_related("meeting").order_by("-meeting__starts_at")
            ),
            "special_matters": SPECIAL_MATTERS,
            "stage": project.decision_stage,
            "decision_rule": rule_text(project.matter) if project.is_decision else "",
            "decision": project,
            "steps_urls": {
                name: reverse(f"projects:{url}", args=[project.pk])
                for name, url in (
                    ("announce", "decision_announce"),
                    ("open", "vote_open"),
                    ("close", "vote_close"),
                    ("publish", "result_publish"),
                )
            },
            "may_open_now": project.decision_stage == Stage.ANNOUNCED
            and timezone.now() >= project.may_open_from(),
            "close_form": CloseEarlyForm()
            if self.can_manage and project.decision_stage == Stage.OPEN
            else None,
            "grid_workers": list(project.grid_workers.select_related("user", "added_by")),
            "grid_worker_log": project.grid_worker_log(),
            "grid_worker_form": GridWorkerForm(project=project) if self.can_manage else None,
        }
        return super().get_context_data(**context, **kwargs)

    @staticmethod
    def figures(project) -> dict:
        """Answer counts, conditions, the agreement series and chart, the grid's buildings,
        and the tally (a decision) or the progress of each building and unit."""
        figures = {
            **tally.summary(project),
            "conditions": tally.conditions_raised(project),
            "series": tally.agreement_series(project),
            "grid_buildings": list(
                Building.objects.filter(units__projects=project).distinct().order_by("number")
            ),
        }
        figures["chart"] = line_chart(figures["series"], total=figures["counts"]["total"])
        return figures


class ProjectFormView(ManageMixin, FormView):
    """A new project (whoever manages a body may sponsor one), or a change to one (its
    managers)."""

    template_name = "projects/project_form.html"
    form_class = ProjectForm

    def fetch_objects(self):
        self.project = None
        if "pk" in self.kwargs:
            self.project = get_object_or_404(
                Project.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )

    def managed_object(self):
        return self.project

    def may_create(self):
        return Body.objects.manageable_by(self.request.user).exists()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.project, "user": self.request.user}

    def form_valid(self, form):
        try:
            project = consent.project_save(
                project=form.save(commit=False), units=form.cleaned_data["units"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Project saved."))
        return redirect(project)

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)


class DecisionStepView(ProjectManageMixin, StepView):
    """One step of an owners' decision, posted from the project page by the sponsoring
    body's managers (docs/domain.md, "Owners' decisions")."""

    def step_object(self):
        return self.project


class DecisionAnnounceView(DecisionStepView):
    done = gettext_lazy("Announced: the notice of the matter, the ballot and the period is up.")

    def step(self, request):
        consent.decision_announce(project=self.project, by=request.user)


class VoteOpenView(DecisionStepView):
    done = gettext_lazy("The vote is open: the owners and areas are frozen.")

    def step(self, request):
        consent.vote_open(project=self.project, by=request.user)


class VoteCloseView(DecisionStepView):
    done = gettext_lazy("The vote is closed and its result frozen.")

    def step(self, request):
        form = CloseEarlyForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Say why the vote closes before its closing time."))
        consent.vote_close(
            project=self.project, by=request.user, reason=form.cleaned_data["reason"]
        )


class ResultPublishView(DecisionStepView):
    done = gettext_lazy("The result notice is published.")

    def step(self, request):
        consent.result_publish(project=self.project, by=request.user)


class GridWorkerAddView(ProjectManageMixin, View):
    """Name a grid worker: the sponsoring body's managers, on the project page."""

    def post(self, request, pk):
        form = GridWorkerForm(request.POST, project=self.project)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("user", [])))
            return redirect(self.project)
        try:
            worker = consent.grid_worker_add(
                project=self.project, user=form.cleaned_data["user"], added_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s may now record answers for this project.")
                % {"name": person_name(worker.user)},
            )
        return redirect(self.project)


class GridWorkerRemoveView(ProjectManageMixin, View):
    def fetch_objects(self):
        super().fetch_objects()
        self.grid_worker = get_object_or_404(
            self.project.grid_workers.select_related("user"), pk=self.kwargs["worker_pk"]
        )

    def post(self, request, pk, worker_pk):
        consent.grid_worker_remove(grid_worker=self.grid_worker, removed_by=request.user)
        messages.success(
            request,
            _("%(name)s may no longer record answers for this project.")
            % {"name": person_name(self.grid_worker.user)},
        )
        return redirect(self.project)


def _floor(door: str) -> int:
    digits = "".join(ch for ch in door if ch.isdigit())
    return int(digits[:-2]) if len(digits) >= 3 else 0


class ConsentGridView(KeptOfflineMixin, ProjectScopedMixin, TemplateView):
    # Not page-cached: whether its answer buttons are offered changes at the closing time.
    """One building at a glance: floors by units, each household a cell showing its answer.
    Kept by the phone for use with no signal: it shows doors and answers, no one's numbers
    (docs/domain.md, "Recording with no signal")."""

    template_name = "projects/consent_grid.html"

    def fetch_objects(self):
        super().fetch_objects()
        self.building = get_object_or_404(
            Building.objects.filter(units__projects=self.project)
            .distinct()
            .select_related("compound"),
            pk=self.kwargs["building_pk"],
        )

    def get_context_data(self, **kwargs):
        households, counts = tally.building_households(self.project, self.building)
        units = sorted({h.unit for h in households}, key=lambda u: (len(u.number), u.number))
        floors = sorted({_floor(h.door_number) for h in households}, reverse=True)
        grid = [
            (
                floor,
                [
                    [h for h in households if h.unit_id == u.pk and _floor(h.door_number) == floor]
                    for u in units
                ],
            )
            for floor in floors
        ]
        _cells(households)
        legend = _legend(self.project, counts)
        to_visit = _to_visit(self.project, households)
        buildings = list(
            Building.objects.filter(units__projects=self.project).distinct().order_by("number")
        )
        # A project may cover a hundred buildings: their tabs' and the doors' links are
        # made from one reverse() each.
        grid_url = url_maker("projects:grid", self.project.pk)
        for b in buildings:
            b.grid_url = grid_url(b.pk)
        offline_form = self.can_record and not self.recording_refusal
        if offline_form:
            _voters(self.project, households, self.request.user)
        return super().get_context_data(
            project=self.project,
            building=self.building,
            buildings=buildings,
            units=units,
            grid=grid,
            legend=legend,
            to_visit=to_visit,
            total=len(households),
            can_record=self.can_record,
            refusal=self.recording_refusal,
            offline_form=offline_form,
            answers=[
                (a, ConsentRecord.Answer(a).label, MARKS.get(a, "·")) for a in self.project.answers
            ],
            place=f"{self.building.compound.name} {self.building}",
            **kwargs,
        )


# The mark of each answer in a grid's cell (besides its colour: never colour alone).
MARKS = {"agree": "✓", "decline": "✗", "disagree": "✗", "undecided": "?", "abstain": "○"}


def _cells(households):
    """Each household's `answer_label`, `mark` and `cell_label` (what a screen reader says
    of its cell), made here once rather than by template tags in each of a building's
    hundreds of cells (they were a third of the grid's time)."""
    labels = {answer.value: str(answer.label) for answer in ConsentRecord.Answer}
    for h in households:
        h.answer_label = labels[h.answer]
        h.mark = MARKS.get(h.answer, "·")
        door = _("Unit %(unit)s, door %(door)s") % {"unit": h.unit.number, "door": h.door_number}
        h.cell_label = _("%(label)s: %(value)s") % {"label": door, "value": h.answer_label}


def _voters(project, households, user):
    """An owners' decision's answer says which owner voted, where the frozen roll gives a
    household several (with one, the server knows; `consent._who_voted`): each household's
    `voters` as JSON [[pk, name], ...] for the answer form the grid makes with no signal,
    "" where there is nothing to choose. The owners of the roll, as the household's panel
    lists them (`ConsentRecordView.voters`), and only for households the user may see, as
    the panel is. One query."""
    for h in households:
        h.voters = ""
    if not (project.is_decision and project.roll_id):
        return
    owners = defaultdict(list)
    for household, pk, name in (
        OwnerRollEntry.owners.through.objects.filter(
            ownerrollentry__roll=project.roll_id,
            ownerrollentry__household__in=Household.objects.visible_to(user).filter(
                pk__in=[h.pk for h in households]
            ),
        )
        .order_by("resident_id")
        .values_list("ownerrollentry__household", "resident_id", "resident__name")
    ):
        owners[household].append([pk, name])
    for h in households:
        if len(owners[h.pk]) > 1:
            h.voters = json.dumps(owners[h.pk], ensure_ascii=False)


def _legend(project, counts):
    """(answer, label, households) for the grid's legend, in the kind's order."""
    return [(a, ConsentRecord.Answer(a).label, counts.get(a, 0)) for a in project.answers]


def _to_visit(project, households):
    """The grid's "left to visit" list: `households` (with their answers, from
    `tally.building_households`) whose answer sends someone back to the door, each with
    its `record_url` (the household's page). Every household gets its `record_url`: the
    grid's cells open the same page in the panel."""
    record_url = url_maker("projects:record", project.pk)
    for h in households:
        h.record_url = record_url(h.pk)
    return [h for h in households if h.answer in ConsentRecord.TO_VISIT]


class ConsentRecordView(QueuedSendMixin, ProjectScopedMixin, TemplateView):
    """A household's answer, in two places: the panel under the grid (htmx), and the
    household's own page (a link from the grid's "left to visit" list, or any other) with
    the project, the household and the way back to the building's grid. Either records an
    answer with or without htmx; and an answer recorded on the grid with no signal comes
    here from the phone's queue (jinzang/offline.py), answered in JSON."""

    template_name = "projects/consent_record.html"
    with_history = True
    #: The answer form's marker of the household's own page (the grid's panel has none).
    FROM_PAGE = "household"

    def fetch_objects(self):
        super().fetch_objects()
        self.household = get_object_or_404(
            Household.objects.filter(unit__projects=self.project)
            .visible_to(self.request.user)
            .with_place(),
            pk=self.kwargs["household_pk"],
        )
        self.record = (
            ConsentRecord.objects.filter(project=self.project, household=self.household)
            .select_related("recorded_by", "voter")
            .first()
        )

    def check_object_permissions(self):
        super().check_object_permissions()
        # Reading the panel needs only the scope; writing an answer needs the right.
        if self.request.method == "POST" and not self.can_record:
            raise PermissionDenied("may not record answers in this project")

    @cached_property
    def htmx(self) -> bool:
        return bool(self.request.headers.get("HX-Request"))

    @cached_property
    def posted_from_page(self) -> bool:
        return self.request.method == "POST" and self.request.POST.get("from") == self.FROM_PAGE

    @cached_property
    def on_page(self) -> bool:
        """Is this the household's own page (else the grid's panel)? A page asked for
        without htmx, or an answer posted from the page's form, with or without htmx."""
        return self.posted_from_page or not self.htmx

    def get_template_names(self):
        if not self.htmx:
            return [self.template_name]
        # htmx: the page's form swaps the page's own answer and history, the grid's
        # panel only the panel.
        part = "household" if self.on_page else "panel"
        return [f"{self.template_name}#{part}"]

    def initial(self):
        r = self.record
        if r is None:
            return {"version": 0, "channel": "visit"}
        return {
            "version": r.version,
            "answer": r.answer,
            "contribution": r.contribution,
            "conditions": r.conditions,
            "channel": r.channel,
            "voter": r.voter_id,
            "proxy_name": r.proxy_name,
            "proxy_relation": r.proxy_relation,
            "ballot_number": r.ballot_number,
        }

    @property
    def accepts_answers(self) -> bool:
        """Whether answers may be recorded now: an owners' decision only while its vote is
        open (the form is not offered otherwise; a post is refused all the same)."""
        return not self.recording_refusal

    def voters(self):
        """Who may vote for the household: its owners on the decision's frozen roll."""
        if not self.project.is_decision or not self.project.roll_id:
            return None
        return Resident.objects.filter(
            pk__in=OwnerRollEntry.owners.through.objects.filter(
                ownerrollentry__roll=self.project.roll_id,
                ownerrollentry__household=self.household,
            ).values("resident_id")
        ).order_by("pk")

    def get_context_data(self, **kwargs):
        owners = Membership.objects.filter(
            household=self.household,
            relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER],
        ).select_related("resident")
        context = {
            "project": self.project,
            "household": self.household,
            "building": self.household.unit.building,
            "record": self.record,
            "owners": owners,
            "can_manage": self.can_manage,
            "can_record": self.can_record,
            "form": ConsentForm(project=self.project, voters=self.voters(), initial=self.initial())
            if self.can_record and self.accepts_answers
            else None,
            "accepts_answers": self.accepts_answers,
            "on_page": self.on_page,
            "from_page": self.FROM_PAGE,
            "grid_url": reverse(
                "projects:grid", args=[self.project.pk, self.household.unit.building_id]
            ),
            "refusal": self.recording_refusal,
            "history": None,
        }
        if (
            self.with_history
            and self.on_page
            and self.record is not None
            and self.access.can_see_personal_in(self.project.body.community_id)
        ):
            context["history"] = history_changes(self.record.history.all())
        context.update(kwargs)
        return super().get_context_data(**context)

    def record_answer(self, data):
        """Record the answer of a valid ConsentForm."""
        return consent.consent_record(
            project=self.project,
            household=self.household,
            answer=data["answer"],
            contribution=data.get("contribution"),
            conditions=data["conditions"],
            channel=data["channel"],
            scan=data.get("scan"),
            recorded_by=self.request.user,
            expected_version=data["version"],
            voter=data.get("voter"),
            proxy_name=data.get("proxy_name", ""),
            proxy_relation=data.get("proxy_relation", ""),
            proxy_authority=data.get("proxy_authority"),
            ballot_number=data.get("ballot_number", ""),
        )

    def post(self, request, *args, **kwargs):
        if self.queued:
            return self.queued_response()
        form = ConsentForm(request.POST, request.FILES, project=self.project, voters=self.voters())
        conflict = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = self.record_answer(data)
            except consent.ConsentConflict as error:
                self.record = (
                    ConsentRecord.objects.filter(project=self.project, household=self.household)
                    .select_related("recorded_by", "voter")
                    .first()
                )
                # Show what is recorded now, with its new version, and say why.
                form = ConsentForm(
                    project=self.project, voters=self.voters(), initial=self.initial()
                )
                conflict = error.messages
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                return self.recorded(record)
        response = self.render_to_response(self.get_context_data(form=form, conflict=conflict))
        if self.htmx and not self.on_page:
            # The grid's form swaps its door's cell: the errors go to the panel instead.
            response["HX-Retarget"] = "#panel"
            response["HX-Reswap"] = "innerHTML"
        return response

    def queued_write(self) -> dict:
        """An answer from the offline queue: the form's fields as the grid sent them (no
        scan: the form offline has none)."""
        form = ConsentForm(self.request.POST, project=self.project, voters=self.voters())
        if not form.is_valid():
            raise ValidationError(form_reasons(form))
        record = self.record_answer(form.cleaned_data)
        return {"household": self.household.pk, "answer": record.answer, "version": record.version}

    def queued_refusal(self, error):
        if not isinstance(error, consent.ConsentConflict):
            return refused(error)
        both = consent.conflict_both(
            project=self.project, household=self.household, queued=self.request.POST.get("answer")
        )
        return JsonResponse(
            {"status": "conflict", "reasons": error.messages, "version_field": "version", **both},
            status=409,
        )

    def queued_made(self, made: dict) -> dict:
        """What the grid shows of an answer sent from the queue: its cell."""
        if made.get("answer") not in ConsentRecord.Answer.values:
            return made
        self.household.answer = made["answer"]
        _cells([self.household])
        h = self.household
        return {**made, "answer_label": h.answer_label, "mark": h.mark, "cell_label": h.cell_label}

    def recorded(self, record):
        # A building has a 101 in each unit: the unit says which one was recorded.
        message = _("Unit %(unit)s, %(door)s: %(answer)s.") % {
            "unit": self.household.unit.number,
            "door": self.household.door_number,
            "answer": record.get_answer_display(),
        }
        if not self.htmx:
            messages.success(self.request, message)
            if self.posted_from_page:
                return redirect(self.request.path)
            return redirect(
                "projects:grid", pk=self.project.pk, building_pk=self.household.unit.building_id
            )
        if self.on_page:
            # The page again, showing the answer now recorded (and its new version).
            self.record = record
            return self.render_to_response(self.get_context_data(message=message))
        self.household.answer = record.answer
        self.household.record_version = record.version
        self.household.record_url = self.request.path
        _cells([self.household])
        _voters(self.project, [self.household], self.request.user)
        # The building's households again (one query): the legend's counts and the list
        # of households left to visit, both swapped out of band.
        households, counts = tally.building_households(
            self.project, self.household.unit.building_id
        )
        return self.response_class(
            request=self.request,
            template="projects/consent_grid.html#recorded",
            context={
                "h": self.household,
                "project": self.project,
                "message": message,
                "legend": _legend(self.project, counts),
                "to_visit": _to_visit(self.project, households),
            },
        )


class ConsentFormPrintView(ConsentRecordView):
    """The paper consent form of one household (A4), to be signed at the door."""

    template_name = "projects/consent_form_print.html"
    with_history = False

    def get_template_names(self):
        return [self.template_name]

    def get_context_data(self, **kwargs):
        # The paper lists the answers to tick, whoever prints it.
        return super().get_context_data(form=ConsentForm(project=self.project), **kwargs)

    def post(self, request, *args, **kwargs):
        raise Http404


class ProjectSummaryView(DetailView):
    """The notice-board summary: totals only, no names, readable without an account."""

    template_name = "projects/project_summary.html"
    context_object_name = "project"
    queryset = Project.objects.select_related("body")

    def get_context_data(self, **kwargs):
        # A vote past its closing time closes here too: the summary shows the frozen result.
        project = self.object = consent.close_due(self.object)
        context = {
            **tally.summary(project),
            "today": timezone.localdate(),
            "special_matters": SPECIAL_MATTERS,
        }
        return super().get_context_data(**context, **kwargs)


class ProjectExportView(ProjectManageMixin, View):
    """The consent records for the committee, as CSV or XLSX (cells neutralised there)."""

    def rows(self):
        households = (
            self.project.covered_households()
            .select_related("unit__building__compound")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(
                        relation__in=[Membership.Relation.OWNER, Membership.Relation.CO_OWNER]
                    ).select_related("resident"),
                    to_attr="owners",
                )
            )
            .order_by("unit__building__number", "unit__number", "door_number")
        )
        records = {
            r.household_id: r for r in self.project.consents.select_related("recorded_by", "voter")
        }
        decision = self.project.is_decision
        labels = dict(ConsentRecord.Answer.choices)
        channels = dict(ConsentRecord.Channel.choices)
        missing = self.project.missing_answer
        yield [
            _("Compound"),
            _("Building"),
            _("Unit"),
            _("Door"),
            _("Area (m²)"),
            _("Owners"),
            _("Answer"),
            _("Contribution (yuan)"),
            _("Conditions raised"),
            _("Recorded through"),
            _("Recorded by"),
            _("Recorded at"),
            *(
                [_("Who voted"), _("Proxy"), _("Ballot number"), _("Verification code")]
                if decision
                else []
            ),
        ]
        for h in households:
            rec = records.get(h.pk)
            yield [
                h.unit.building.compound.name,
                h.unit.building.number,
                h.unit.number,
                h.door_number,
                str(h.area),
                listing(m.resident.name for m in h.owners),
                str(labels[rec.answer if rec else missing]),
                str(rec.contribution) if rec and rec.contribution is not None else "",
                rec.conditions if rec else "",
                str(channels[rec.channel]) if rec else "",
                person_name(rec.recorded_by) if rec else "",
                timezone.localtime(rec.recorded_at).strftime("%Y-%m-%d %H:%M") if rec else "",
                *(
                    [
                        rec.voter.name if rec and rec.voter else "",
                        f"{rec.proxy_name} ({rec.proxy_relation})"
                        if rec and rec.proxy_name
                        else "",
                        rec.ballot_number if rec else "",
                        ballots.receipt_shown(rec.receipt_code) if rec and rec.receipt_code else "",
                    ]
                    if decision
                    else []
                ),
            ]

    def get(self, request, pk, fmt):
        return export_response(
            self.rows(), fmt=fmt, name=f"consent-{self.project.pk}", sheet=_("Consent")
        )


class ConsentImportFlow:
    """Answers from paper forms, by those who may record in the project (as on the grid)."""

    @property
    def kind(self):
        # An upload belongs to one project: its token does not open another's preview.
        return f"consent{self.project.pk}"

    @property
    def title(self):
        return _("Import consent answers")

    def run(self, path, *, write):
        versions_file = sidecar(path, ".json")
        versions = json.loads(versions_file.read_text()) if write else None
        report, seen = consent_imports.consent_import(
            project=self.project, path=path, user=self.request.user, write=write, versions=versions
        )
        if not write:
            versions_file.write_text(json.dumps(seen))
        return report

    def upload_url(self):
        return reverse("projects:import", args=[self.project.pk])

    def preview_url(self, token):
        return reverse("projects:import_preview", args=[self.project.pk, token])

    def done_url(self):
        return self.project.get_absolute_url()

    def flow_context(self):
        return {
            **super().flow_context(),
            "eyebrow": self.project.name,
            "template_urls": [
                (fmt.upper(), reverse("projects:import_template", args=[self.project.pk, fmt]))
                for fmt in FORMATS
            ],
            "columns": list(consent_imports.COLUMNS.values()),
            "help": _(
                "One row per household: building, unit and door number, and the answer "
                "(agree, decline, undecided, not reached; for an owners' decision agree, "
                "disagree, abstain, not voted). An owner's answer counts for all of the "
                "owner's households."
            ),
        }


class ProjectImportView(ProjectRecordMixin, ConsentImportFlow, ImportUploadView):
    pass


class ProjectImportPreviewView(ProjectRecordMixin, ConsentImportFlow, ImportPreviewView):
    pass


class ProjectImportTemplateView(ProjectRecordMixin, View):
    def get(self, request, pk, fmt):
        rows = consent_imports.template_rows(self.project)
        return template_response(rows[0], rows[1:], fmt=fmt, name=f"consent-{self.project.pk}")


class ConsentScanView(ProjectManageMixin, View):
    """The signed form on file: served only to those who manage the project."""

    def get(self, request, pk, household_pk):
        record = get_object_or_404(
            ConsentRecord.objects.exclude(scan=""), project=self.project, household=household_pk
        )
        return FileResponse(record.scan.open("rb"), as_attachment=False)


# An owner's own ballot, from the residents' door (meetings/projects/ballots.py).


class BallotScopedMixin(ResidentDoorMixin):
    """A decision the resident's account reaches (`ProjectQuerySet.ballots_of`), else 404;
    a vote past its closing time is closed first, so the page shows it closed."""

    def fetch_objects(self):
        project = get_object_or_404(
            Project.objects.ballots_of(self.resident).select_related("body", "announcement"),
            pk=self.kwargs["pk"],
        )
        closed = consent.close_due(project)
        if closed is not project:
            closed.body, closed.announcement = project.body, project.announcement
        self.project = closed
        self.ballots = ballots.ballot_owners(self.project, self.resident)


class BallotListView(ResidentDoorMixin, TemplateView):
    """The owners' decisions open to the resident, and the closed ones they could vote in,
    each with their ballot as recorded."""

    template_name = "projects/ballot_list.html"

    def get_context_data(self, **kwargs):
        projects = list(
            Project.objects.ballots_of(self.resident)
            .select_related("body")
            .order_by("-closes_at", "-pk")
        )
        # The ballots of the resident's owners (cast by them or a co-owner): one query.
        mine = {}
        for record in (
            ConsentRecord.objects.filter(
                project__in=projects,
                answer__in=ballots.CHOICES,
                household__roll_entries__roll=F("project__roll"),
                household__roll_entries__owners=self.resident,
            )
            .select_related("voter")
            .order_by("-recorded_at")
        ):
            mine.setdefault(record.project_id, record)
        now = timezone.now()
        for p in projects:
            p.ballot_stage = p.stage(now)
            p.my_ballot = mine.get(p.pk)
        return super().get_context_data(
            open_projects=[p for p in projects if p.ballot_stage == Stage.OPEN],
            closed_projects=[
                p for p in projects if p.ballot_stage in (Stage.CLOSED, Stage.PUBLISHED)
            ],
            resident=self.resident,
            **kwargs,
        )


class BallotView(BallotScopedMixin, TemplateView):
    """The matter in full, its documents, the period and the rule, then the ballot: agree,
    disagree or abstain, confirmed by a second press. The ballot as recorded is shown,
    and may be changed until the close."""

    template_name = "projects/ballot.html"

    def get_context_data(self, **kwargs):
        project = self.project
        stage = project.stage()
        refusal = ballots.ballot_refusal(project, self.resident, self.ballots)
        attachments = list(project.announcement.attachments.all()) if project.announcement else []
        for b in self.ballots:
            b.mine = b.cast_by(self.resident)
            b.by_other = b.cast_by_other(self.resident)
        context = {
            "project": project,
            "stage": stage,
            "closed": stage in (Stage.CLOSED, Stage.PUBLISHED),
            "closed_at": project.closed_at or project.closes_at,
            "matter": Matter(project.matter).label,
            "rule": rule_text(project.matter),
            "attachments": attachments,
            "owner_ballots": self.ballots,
            "voted": any(b.mine for b in self.ballots),
            "cast_by_co_owners": bool(self.ballots) and all(b.by_other for b in self.ballots),
            "refusal": refusal,
            "form": kwargs.pop("form", None) or (BallotForm() if not refusal else None),
            "labels": dict(ConsentRecord.Answer.choices),
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, pk):
        form = BallotForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        answer = form.cleaned_data["answer"]
        if not form.cleaned_data["confirm"]:
            # First press: say what will be recorded and for which homes, and ask again.
            return self.render_to_response(
                self.get_context_data(
                    form=BallotForm(initial={"answer": answer, "confirm": True}),
                    confirming=answer,
                    confirming_label=ConsentRecord.Answer(answer).label,
                )
            )
        try:
            ballots.ballot_cast_online(project=self.project, account=self.account, answer=answer)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Your ballot is recorded."))
        return redirect("projects:ballot_receipt", pk=self.project.pk)


class BallotReceiptView(BallotScopedMixin, TemplateView):
    """The receipt of the resident's online ballot: the verification code, what was
    recorded and when, and where to check it once the result is published."""

    template_name = "projects/ballot_receipt.html"

    def get_context_data(self, **kwargs):
        receipts = [
            (b, ballots.receipt_shown(b.record.receipt_code))
            for b in self.ballots
            if b.cast_by(self.resident)
            and b.record.channel == ConsentRecord.Channel.ONLINE
            and b.record.receipt_code
        ]
        stage = self.project.stage()
        return super().get_context_data(
            project=self.project,
            receipts=receipts,
            others=[b for b in self.ballots if b.cast_by_other(self.resident)],
            closed=stage in (Stage.CLOSED, Stage.PUBLISHED),
            result_notice_id=self.project.result_notice_id if self.project.published_at else None,
            **kwargs,
        )
