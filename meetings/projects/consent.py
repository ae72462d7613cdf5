"""Consent writes: saving a project, the steps of an owners' decision (announce, open,
close, publish: the generic steps are in committees/decisions.py), recording a
household's answer and who gave it, naming and removing grid workers (keyword-only,
each in one transaction); and the checks that recording by hand and the import
(meetings/projects/imports.py) share: who may record, whether answers may be recorded
now, whether an answer fits the project. The counts are in meetings/projects/tally.py.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from committees import decisions as steps
from committees.models.decisions import Stage, sponsor_refusal
from jinzang.names import person_name
from jinzang.uploads import files_discard
from meetings.models import ConsentRecord, GridWorker, Project
from meetings.projects import tally
from residents.accounts.codes import code_grouped
from residents.models import Building, Household, OwnerRollEntry, Unit
from residents.owners.owners_vote import Matter, Result, rule_text
from residents.owners.services import owner_roll_freeze

#: What an announced decision put to the owners: none of it changes afterwards.
ANNOUNCED_FIELDS = ("consent_kind", "matter", "text", "ballot", "opens_at", "closes_at")


#: What the steps record (who and when, the frozen result): only the steps write them.
STEP_FIELDS = (
    "roll_id",
    "vote_opened_at",
    "opened_by_id",
    "announced_at",
    "announced_by_id",
    "announcement_id",
    "closed_at",
    "closed_by_id",
    "close_reason",
    "result",
    "published_at",
    "published_by_id",
    "result_notice_id",
)


class ConsentConflict(ValidationError):
    """Someone else changed the record since the form was opened."""


@transaction.atomic
def project_save(*, project: Project, units) -> Project:
    """Save a project and the units it covers. An owners' decision must have a sponsor
    that may sponsor it (`sponsor_refusal`); once announced, what was put to the owners
    and the units are frozen; while its vote is open its status stays "collecting"."""
    if project.pk:
        # The steps are the database's, not the form's: a stale copy must not undo them.
        stored = Project.objects.select_for_update().get(pk=project.pk)
        for name in STEP_FIELDS:
            setattr(project, name, getattr(stored, name))
        changed = [f for f in ANNOUNCED_FIELDS if getattr(project, f) != getattr(stored, f)]
        if stored.is_decision and stored.announced_at and changed:
            raise ValidationError(
                _(
                    "The decision is announced: what was put to the owners (the matter, its "
                    "text, the ballot and the voting period) can no longer change. A new "
                    "question is a new decision."
                )
            )
        if stored.vote_is_open and project.status != stored.status:
            raise ValidationError(
                {"status": _("The vote is open: its result, at the close, decides the status.")}
            )
    project.full_clean()
    units = list(units)
    if project.is_decision:
        refusal = sponsor_refusal(
            project.body,
            Unit.objects.filter(pk__in=[u.pk for u in units]).select_related("building"),
        )
        if refusal:
            raise ValidationError({"body": refusal})
    if (project.announced_at or project.roll_id) and set(units) != set(project.units.all()):
        raise ValidationError(
            _("The vote is open: the units it covers are frozen with its roll of owners.")
            if project.roll_id
            else _("The decision is announced: the units it covers can no longer change.")
        )
    project.save()
    project.units.set(units)
    return project


def _places(project: Project) -> str:
    """The buildings and units a decision covers, in words."""
    by_building: dict[str, list[str]] = {}
    for building, unit in project.units.order_by("building__number", "number").values_list(
        "building__number", "number"
    ):
        by_building.setdefault(building, []).append(unit)
    return _("; ").join(
        _("building %(building)s, units %(units)s") % {"building": b, "units": _(", ").join(units)}
        for b, units in sorted(by_building.items(), key=lambda i: (len(i[0]), i[0]))
    )


def _audience(project: Project) -> dict:
    return {"buildings": list(Building.objects.filter(units__projects=project).distinct())}


def _when(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def decision_announce(*, project: Project, by, now=None) -> Project:
    """Announce an owners' decision: the notice of the matter, the ballot and the voting
    period goes up on the notice board of the buildings it covers (docs/domain.md,
    "Owners' decisions", step 2)."""
    if not project.is_decision:
        raise ValidationError(_("Only an owners' decision is announced to the owners."))
    if not project.units.exists():
        raise ValidationError(_("Choose the units the decision covers before announcing it."))
    text = "\n\n".join(
        [
            _("%(body)s puts a matter to the owners of %(places)s.")
            % {"body": project.body.name, "places": _places(project)},
            _("Matter: %(matter)s") % {"matter": Matter(project.matter).label},
            project.text.strip(),
            _("The ballot: %(ballot)s") % {"ballot": project.ballot.strip()},
            _(
                "Voting opens at %(opens)s and closes at %(closes)s. Each owner answers "
                "agree, disagree or abstain, in person or through a proxy with written "
                "authority."
            )
            % {
                "opens": _when(project.opens_at) if project.opens_at else "",
                "closes": _when(project.closes_at) if project.closes_at else "",
            },
            rule_text(project.matter),
        ]
    )
    return steps.decision_announce(
        decision=project,
        body=project.body,
        title=_("Owners' decision: %(name)s") % {"name": project.name},
        text=text,
        audience=_audience(project),
        by=by,
        now=now,
    )


@transaction.atomic
def vote_open(*, project: Project, by=None, now=None) -> Project:
    """Open an owners' decision once its notice period is over: freeze its owners and
    areas (the denominator) and who may vote for each household."""
    now = now or timezone.now()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_decision:
        raise ValidationError(_("Only an owners' decision has a vote to open."))
    steps.check_may_open(project, now)
    households = project.covered_households()
    if not households.exists():
        raise ValidationError(_("Choose the units the project covers before opening the vote."))
    project.roll = owner_roll_freeze(households=households, description=project.name[:200])
    project.vote_opened_at, project.opened_by = now, by
    if project.status == Project.Status.SURVEYING:
        project.status = Project.Status.COLLECTING
    project.save(update_fields=["roll", "vote_opened_at", "opened_by", "status"])
    return project


def _after_close(project: Project) -> Project:
    """A closed vote's status says what came of it (unless the project moved on already)."""
    if project.status in (Project.Status.SURVEYING, Project.Status.COLLECTING):
        passed = project.result["participation_reached"] and project.result["approved"]
        project.status = Project.Status.AGREED if passed else Project.Status.ABANDONED
        project.save(update_fields=["status"])
    return project


def close_due(project: Project, now=None) -> Project:
    """Close an owners' decision whose voting period is over, freezing its result: what
    a page view (or `manage.py close_decisions`) does the first time it finds one. No
    button needs pressing; returns the project as it now stands."""
    now = now or timezone.now()
    if not (project.is_decision and project.vote_opened_at and not project.closed_at):
        return project
    if project.stage(now) != Stage.CLOSED:
        return project
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.closed_at:
            return locked
        closed = steps.decision_close(
            decision=locked, result=tally.result_snapshot(locked), now=now
        )
        return _after_close(closed)


@transaction.atomic
def vote_close(*, project: Project, by, reason: str, now=None) -> Project:
    """Close an open vote before its closing time: a manager, with a reason. It never
    reopens."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    closed = steps.decision_close(
        decision=locked, result=tally.result_snapshot(locked), by=by, reason=reason, now=now
    )
    return _after_close(closed)


def result_text(project: Project) -> str:
    """The result notice (公示) of a closed decision, from its frozen result: figures by
    owner, area and building, never a name."""
    r = Result.from_snapshot(project.result)
    answers = dict(ConsentRecord.Answer.choices)
    lines = [
        _("%(body)s publishes the result of the owners' decision on: %(matter)s.")
        % {"body": project.body.name, "matter": Matter(project.matter).label},
        _("Voting ran from %(opens)s to %(closes)s over %(places)s.")
        % {
            "opens": _when(project.vote_opened_at),
            "closes": _when(project.closed_at),
            "places": _places(project),
        },
    ]
    if project.closed_by_id:
        lines.append(_("The vote was closed early: %(reason)s") % {"reason": project.close_reason})
    rows = [
        _("- Owners on the roll: %(owners)d, holding %(area)s m²")
        % {"owners": r.electorate.owners, "area": r.electorate.area}
    ]
    for name in ("agree", "disagree", "abstain"):
        heads = getattr(r, name)
        rows.append(
            _("- %(answer)s: %(owners)d owners, %(area)s m²")
            % {"answer": answers[name], "owners": heads.owners, "area": heads.area}
        )
    rows.append(_("- Did not vote: %(owners)d owners") % {"owners": r.not_answered})
    lines.append("\n".join(rows))
    lines.append(
        "\n".join(
            _(
                "- Building %(building)s: %(agree)d agree, %(disagree)d disagree, %(abstain)d abstain, %(not_voted)d did not vote, of %(total)d households"
            )
            % b
            for b in project.result["buildings"]
        )
    )
    receipts = [b for b in project.result["buildings"] if b.get("receipts")]
    if receipts:
        # No names: an owner who voted online finds the code of their receipt.
        lines.append(
            "\n".join(
                [
                    _(
                        "Verification codes of the online ballots counted, by building (each "
                        "owner who voted online finds the code on their receipt):"
                    )
                ]
                + [
                    _("- Building %(building)s: %(codes)s")
                    % {
                        "building": b["building"],
                        "codes": _(", ").join(code_grouped(c) for c in b["receipts"]),
                    }
                    for b in receipts
                ]
            )
        )
    verdict = _("The matter is decided: it passed.") if r.passed else _("The matter did not pass.")
    lines += [verdict, project.result["rule"]]
    return "\n\n".join(lines)


def result_publish(*, project: Project, by, now=None) -> Project:
    """Publish the result notice of a closed decision (docs/domain.md, step 6)."""
    # As the database has it: a copy read before the close has no result to publish.
    project = close_due(Project.objects.select_related("body").get(pk=project.pk), now)
    if project.result is None:  # open, never opened, or co-funding: nothing to publish yet
        raise ValidationError(_("Only a closed vote's result can be published."))
    return steps.decision_publish(
        decision=project,
        body=project.body,
        title=_("Result of the owners' decision: %(name)s") % {"name": project.name},
        text=result_text(project),
        audience=_audience(project),
        by=by,
        now=now,
    )


def _conflict(record: ConsentRecord) -> ConsentConflict:
    who = record.recorded_by
    name = person_name(who) or _("someone")
    return ConsentConflict(
        _(
            "%(name)s changed this household's record at %(time)s, after you opened it. "
            "Check the answer now shown and record again if needed."
        )
        % {"name": name, "time": timezone.localtime(record.recorded_at).strftime("%H:%M:%S")},
        code="conflict",
    )


def conflict_both(*, project: Project, household: Household, queued: str) -> dict:
    """Both answers of a conflict, for the person who chooses (docs/domain.md, "Recording
    with no signal"): the one recorded now (its answer, who recorded it, when, and its
    version, which the queued one is sent again against if chosen) and the queued one."""
    labels = dict(ConsentRecord.Answer.choices)
    record = (
        ConsentRecord.objects.filter(project=project, household=household)
        .select_related("recorded_by")
        .first()
    )
    recorded = None
    if record is not None:
        recorded = {
            "answer": record.answer,
            "answer_label": str(labels[record.answer]),
            "by": person_name(record.recorded_by) or _("someone"),
            "at": formats.date_format(
                timezone.localtime(record.recorded_at), "SHORT_DATETIME_FORMAT"
            ),
            "version": record.version,
        }
    return {
        "recorded": recorded,
        "queued": {"answer": queued, "answer_label": str(labels.get(queued, queued or ""))},
        "version": record.version if record is not None else 0,
    }


def check_may_record(project: Project, user) -> None:
    """Refuse (PermissionDenied) a user without the right to record in the project."""
    if user is None or not project.can_record(user):
        raise PermissionDenied("may not record answers in this project")


def project_check_recording(project: Project, now=None) -> None:
    """Whether answers may be recorded for the project now (by hand, on paper, imported,
    in the admin): an owners' decision takes answers only while its vote is open, from
    its opening to its closing time (`DecisionSteps.check_accepts_answers`)."""
    if project.is_decision:
        project.check_accepts_answers(now)


def answer_check(project: Project, answer: str, contribution: Decimal | None) -> Decimal | None:
    """The answer must fit the kind of consent; the contribution kept only for a co-funding
    agreement, and never below zero. Returns the contribution to record."""
    if answer not in project.answers:
        raise ValidationError(
            {"answer": _("This answer does not fit the project's kind of consent.")}
        )
    if contribution is not None and contribution < 0:
        raise ValidationError({"contribution": _("A contribution cannot be below zero.")})
    if project.is_decision or answer != ConsentRecord.Answer.AGREE:
        contribution = None
    return contribution


def _who_voted(
    project: Project,
    entry: OwnerRollEntry,
    voter,
    proxy_name: str,
    proxy_relation: str,
    proxy_authority,
    ballot_number: str,
    households: list,
) -> dict:
    """Who gave an owners' decision's answer (docs/domain.md, "Owners' decisions": who
    voted): an owner or co-owner of the household on the frozen roll (the only one, when
    it has one), personally or through a proxy whose written authority is attached; and
    the paper ballot's number, unique in the decision."""
    owners = list(entry.owners.all())
    errors = {}
    if voter is None and len(owners) == 1:
        voter = owners[0]
    if voter is not None and voter not in owners:
        errors["voter"] = _(
            "Only an owner or co-owner on the roll votes for this household: a family member "
            "or tenant may vote only as a proxy with written authority."
        )
    elif voter is None and len(owners) > 1:
        errors["voter"] = _("Choose which owner voted.")
    proxy_name, proxy_relation = proxy_name.strip(), proxy_relation.strip()
    if proxy_name or proxy_relation or proxy_authority:
        if not proxy_name:
            errors["proxy_name"] = _("Give the proxy's name.")
        if not proxy_relation:
            errors["proxy_relation"] = _("Say how the proxy is related to the owner.")
        if not proxy_authority:
            errors["proxy_authority"] = _(
                "A proxy votes only with the owner's written authority (授权委托书): attach its scan."
            )
    ballot_number = ballot_number.strip()
    if ballot_number and (
        ConsentRecord.objects.filter(project=project, ballot_number=ballot_number)
        .exclude(household__in=households)
        .exists()
    ):
        errors["ballot_number"] = _("This ballot number is already recorded in the decision.")
    if errors:
        raise ValidationError(errors)
    return {
        "voter": voter,
        "proxy_name": proxy_name,
        "proxy_relation": proxy_relation,
        "ballot_number": ballot_number,
    }


def consent_record(
    *,
    project: Project,
    household: Household,
    answer: str,
    recorded_by,
    channel: str = ConsentRecord.Channel.VISIT,
    contribution: Decimal | None = None,
    conditions: str = "",
    scan=None,
    expected_version: int = 0,
    recorded_at: datetime.datetime | None = None,
    voter=None,
    proxy_name: str = "",
    proxy_relation: str = "",
    proxy_authority=None,
    ballot_number: str = "",
) -> ConsentRecord:
    """Record a household's answer. `expected_version` is the version the form showed
    (0: no record yet); if the record changed meanwhile, ConsentConflict is raised and
    nothing is written. For an owners' decision the answer is the owner's, given while
    the vote is open: it says who voted (`_who_voted`) and every household of the same
    owner on the roll gets it; a later answer of the owner replaces it, the history
    keeping both (an online ballot's verification code is cleared: the answer is no
    longer the online one). `recorded_by` must have the right to record in the project
    (`Project.can_record`), else PermissionDenied."""
    check_may_record(project, recorded_by)
    return answer_write(
        project=project,
        household=household,
        answer=answer,
        recorded_by=recorded_by,
        channel=channel,
        contribution=contribution,
        conditions=conditions,
        scan=scan,
        expected_version=expected_version,
        recorded_at=recorded_at,
        voter=voter,
        proxy_name=proxy_name,
        proxy_relation=proxy_relation,
        proxy_authority=proxy_authority,
        ballot_number=ballot_number,
    )


@transaction.atomic
def answer_write(
    *,
    project: Project,
    household: Household,
    answer: str,
    recorded_by,
    channel: str,
    contribution: Decimal | None = None,
    conditions: str = "",
    scan=None,
    expected_version: int | None = 0,
    recorded_at: datetime.datetime | None = None,
    voter=None,
    proxy_name: str = "",
    proxy_relation: str = "",
    proxy_authority=None,
    ballot_number: str = "",
    receipt_code: str = "",
) -> ConsentRecord:
    """`consent_record` without the check of who records: the one write of an answer,
    shared by those who record for a household and by the owner's own online ballot
    (meetings/projects/ballots.py), which checks instead that the owner is on the roll.
    `expected_version` None: no check of a stale form (the last answer counts)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.units.filter(pk=household.unit_id).exists():
        raise ValidationError({"household": _("This household is not covered by the project.")})
    contribution = answer_check(project, answer, contribution)
    households = [household]
    fields = {
        "answer": answer,
        "contribution": contribution,
        "conditions": conditions,
        "channel": channel,
        "recorded_by": recorded_by,
        "recorded_at": recorded_at or timezone.now(),
    }
    if project.is_decision:
        # Checked at the moment the answer was given: now, or the demo's past answers.
        project_check_recording(project, fields["recorded_at"])
        entry = project.roll.entries.filter(household=household).first()
        if entry is None:
            raise ValidationError(
                {"household": _("This household was not on the roll when the vote opened.")}
            )
        households = list(
            Household.objects.filter(
                roll_entries__roll=project.roll_id, roll_entries__owner_key=entry.owner_key
            ).order_by("pk")
        )
        fields |= _who_voted(
            project,
            entry,
            voter,
            proxy_name,
            proxy_relation,
            proxy_authority,
            ballot_number,
            households,
        )
        fields["receipt_code"] = receipt_code
    main = None
    for h in households:
        mine = h == household
        record = _write(
            project,
            h,
            fields if mine else {**fields, "ballot_number": "", "receipt_code": ""},
            scan if mine else None,
            expected_version if mine else None,
            proxy_authority if mine else None,
        )
        if mine:
            main = record
    return main


def _write(project, household, fields, scan, expected_version, authority=None):
    existing = (
        # Lock the record alone: joined rows would be read as they were before the wait.
        ConsentRecord.objects.select_for_update()
        .filter(project=project, household=household)
        .first()
    )
    if existing is None:
        if expected_version not in (None, 0):
            raise ValidationError(_("The record you opened no longer exists."))
        record = ConsentRecord(project=project, household=household, **fields)
        if scan:
            record.scan = scan
        if authority:
            record.proxy_authority = authority
        # The one-record-per-household rule is left to the insert below, so that a
        # concurrent creation reads as a conflict rather than as a form error.
        record.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # Someone created it between our read and our write; or, though the project's
            # lock makes it unlikely, gave the same ballot number meanwhile.
            stored = (
                ConsentRecord.objects.select_related("recorded_by")
                .filter(project=project, household=household)
                .first()
            )
            if stored is None:
                raise ValidationError(
                    {"ballot_number": _("This ballot number is already recorded in the decision.")}
                ) from None
            raise _conflict(stored) from None
        return record
    if expected_version is not None and existing.version != expected_version:
        raise _conflict(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    replaced = []
    if scan:
        replaced = [existing.scan]  # kept as it was: the assignment makes a new FieldFile
        existing.scan = scan
    if authority:  # the earlier authority stays: the history's earlier vote points at it
        existing.proxy_authority = authority
    elif not fields.get("proxy_name"):
        existing.proxy_authority = ""  # an owner's own vote replaces a proxy's
    existing.version += 1
    # The verification code is made unique under the project's lock (ballots.py); the
    # database's constraint stands behind it without a query of its own here.
    existing.full_clean(exclude=["receipt_code"])
    existing.save()
    files_discard(replaced)  # the earlier scan, once this commits
    return existing


@transaction.atomic
def grid_worker_add(*, project: Project, user, added_by) -> GridWorker:
    """Name `user` a grid worker of the project: from then on they may record its answers.
    Only the project's managers name; only a candidate (`Project.grid_worker_candidates`)
    is named. The naming is kept in the history, with who named and when."""
    if not project.can_manage(added_by):
        raise PermissionDenied("not a manager of the sponsoring body")
    if not project.grid_worker_candidates().filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": _(
                    "Choose someone who may see the project's place and does not record in it yet."
                )
            }
        )
    worker = GridWorker(project=project, user=user, added_by=added_by)
    worker._history_user = added_by
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise ValidationError({"user": _("This person is already a grid worker.")}) from None
    return worker


@transaction.atomic
def grid_worker_remove(*, grid_worker: GridWorker, removed_by) -> None:
    """Take the right to record away from a grid worker; the history keeps who removed
    them and when."""
    if not grid_worker.project.can_manage(removed_by):
        raise PermissionDenied("not a manager of the sponsoring body")
    grid_worker._history_user = removed_by
    grid_worker.delete()
