"""Consent writes: saving a project, opening its vote, recording a household's answer,
naming and removing grid workers (keyword-only, each in one transaction); and the checks
that recording by hand and the import (meetings/projects/imports.py) share: who may
record, whether answers may be recorded yet, whether an answer fits the project. The
counts are in meetings/projects/tally.py.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinzang.names import person_name
from jinzang.uploads import files_discard
from meetings.models import ConsentRecord, GridWorker, Project
from residents.models import Household
from residents.owners.services import owner_roll_freeze


class ConsentConflict(ValidationError):
    """Someone else changed the record since the form was opened."""


@transaction.atomic
def project_save(*, project: Project, units) -> Project:
    if project.pk:
        # The roll is the database's, not the form's: a stale copy must not undo an opened vote.
        stored = Project.objects.select_for_update().get(pk=project.pk)
        project.roll_id, project.vote_opened_at = stored.roll_id, stored.vote_opened_at
        changed_question = (project.matter, project.consent_kind) != (
            stored.matter,
            stored.consent_kind,
        )
        if stored.roll_id and changed_question:
            raise ValidationError(
                _("The vote is open: the question put to the owners can no longer change.")
            )
    project.full_clean()
    if project.roll_id and set(units) != set(project.units.all()):
        raise ValidationError(
            _("The vote is open: the units it covers are frozen with its roll of owners.")
        )
    project.save()
    project.units.set(units)
    return project


@transaction.atomic
def vote_open(*, project: Project) -> Project:
    """Open an owners' decision: freeze its owners and areas (the denominator)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_decision:
        raise ValidationError(_("Only an owners' decision has a vote to open."))
    if project.roll_id:
        raise ValidationError(_("The vote is already open."))
    households = project.covered_households()
    if not households.exists():
        raise ValidationError(_("Choose the units the project covers before opening the vote."))
    project.roll = owner_roll_freeze(households=households, description=project.name[:200])
    project.vote_opened_at = timezone.now()
    if project.status == Project.Status.SURVEYING:
        project.status = Project.Status.COLLECTING
    project.save(update_fields=["roll", "vote_opened_at", "status"])
    return project


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


def check_may_record(project: Project, user) -> None:
    """Refuse (PermissionDenied) a user without the right to record in the project."""
    if user is None or not project.can_record(user):
        raise PermissionDenied("may not record answers in this project")


def project_check_recording(project: Project) -> None:
    """Whether answers may be recorded for the project at all (by hand or imported)."""
    if project.is_decision and not project.roll_id:
        raise ValidationError(_("The vote has not been opened yet."))


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


@transaction.atomic
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
) -> ConsentRecord:
    """Record a household's answer. `expected_version` is the version the form showed
    (0: no record yet); if the record changed meanwhile, ConsentConflict is raised and
    nothing is written. For an owners' decision the answer is the owner's: every
    household of the same owner on the roll gets it. `recorded_by` must have the right
    to record in the project (`Project.can_record`), else PermissionDenied."""
    check_may_record(project, recorded_by)
    if not project.units.filter(pk=household.unit_id).exists():
        raise ValidationError({"household": _("This household is not covered by the project.")})
    contribution = answer_check(project, answer, contribution)
    households = [household]
    if project.is_decision:
        project_check_recording(project)
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
    fields = {
        "answer": answer,
        "contribution": contribution,
        "conditions": conditions,
        "channel": channel,
        "recorded_by": recorded_by,
        "recorded_at": recorded_at or timezone.now(),
    }
    main = None
    for h in households:
        record = _write(
            project,
            h,
            fields,
            scan if h == household else None,
            expected_version if h == household else None,
        )
        if h == household:
            main = record
    return main


def _write(project, household, fields, scan, expected_version):
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
        # The one-record-per-household rule is left to the insert below, so that a
        # concurrent creation reads as a conflict rather than as a form error.
        record.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # Someone created it between our read and our write.
            raise _conflict(
                ConsentRecord.objects.select_related("recorded_by").get(
                    project=project, household=household
                )
            ) from None
        return record
    if expected_version is not None and existing.version != expected_version:
        raise _conflict(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    replaced = []
    if scan:
        replaced = [existing.scan]  # kept as it was: the assignment makes a new FieldFile
        existing.scan = scan
    existing.version += 1
    existing.full_clean()
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
