"""Consent answers of a project from a spreadsheet (paper forms tallied by hand), and the
exports of consent records and of a meeting's attendance.

The import follows the rules of `consent.consent_record` (the same checks of the answer, of
the vote, of the roll; an owner's answer goes to all of the owner's households), in bulk:
one row per household, identified by building, unit and door number among the households
the project covers. Records whose version changed between the dry run and the confirmation
are refused, as the consent grid refuses a stale form.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from jinzang.bulk import insert_with_history
from jinzang.spreadsheets import (
    CREATE,
    REJECT,
    UNCHANGED,
    UPDATE,
    Report,
    SpreadsheetError,
    map_headers,
    read_rows,
)
from jinzang.templatetags.jinzang import listing
from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.models import OwnerRollEntry

COLUMNS = {
    "compound": ("小区", "小区名称", "compound"),
    "building": ("楼栋", "栋", "楼栋号", "楼号", "栋号", "building"),
    "unit": ("单元", "单元号", "号房", "unit"),
    "door": ("门牌号", "房号", "门牌", "户号", "房间号", "door", "door number"),
    "answer": ("意见", "答复", "表决意见", "是否同意", "answer"),
    "contribution": ("出资金额", "出资", "出资（元）", "contribution"),
    "conditions": ("条件", "提出的条件", "意见建议", "conditions"),
    "channel": ("登记方式", "方式", "channel"),
    # An owners' decision: who voted (an owner on the roll) and the paper ballot's number.
    "voter": ("投票人", "表决人", "voter", "who voted"),
    "ballot": ("选票编号", "票号", "ballot number"),
}
REQUIRED = ("building", "unit", "door", "answer")
ANSWERS = {
    "同意": "agree",
    "agree": "agree",
    "不同意": "decline",
    "拒绝": "decline",
    "decline": "decline",
    "待定": "undecided",
    "考虑中": "undecided",
    "未决定": "undecided",
    "undecided": "undecided",
    "未联系": "not_reached",
    "未联系上": "not_reached",
    "not_reached": "not_reached",
    "not reached": "not_reached",
    "反对": "disagree",
    "disagree": "disagree",
    "弃权": "abstain",
    "abstain": "abstain",
    "未投票": "not_voted",
    "未表决": "not_voted",
    "not_voted": "not_voted",
    "not voted": "not_voted",
}
# In an owners' decision 不同意 is a vote against.
DECISION_WORDS = {"不同意": "disagree"}
CHANNELS = {
    "入户": "visit",
    "上门": "visit",
    "visit": "visit",
    "会议": "meeting",
    "meeting": "meeting",
    "纸质": "paper",
    "书面": "paper",
    "paper": "paper",
    "本人": "in_person",
    "in_person": "in_person",
}
ANSWER_WORD = {
    "agree": "同意",
    "decline": "不同意",
    "undecided": "待定",
    "not_reached": "未联系",
    "disagree": "反对",
    "abstain": "弃权",
    "not_voted": "未投票",
}


def template_rows(project: Project):
    header = [aliases[0] for aliases in COLUMNS.values()]
    example = [
        "",
        "18",
        "2",
        "301",
        "同意",
        "" if project.is_decision else "1200",
        "",
        "纸质",
        "",
        "",
    ]
    return [header, example]


def consent_import(
    *, project: Project, path, user, write: bool = False, versions: dict | None = None
):
    """(Report, versions seen) of importing the sheet at `path` into `project`; with `write`,
    all or nothing, refusing records changed since `versions` (household pk -> version).
    Only a user who may record in the project imports into it (PermissionDenied)."""
    consent.check_may_record(project, user)
    if not write:
        return _plan(project, path, user, versions)[:2]
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        report, seen, plan = _plan(project, path, user, versions, lock=True)
        if report.is_clean:
            _write(project, plan, user)
        return report, seen


def _plan(project, path, user, versions, lock=False):
    try:
        consent.project_check_recording(project)
    except ValidationError as error:
        raise SpreadsheetError(error.messages[0], code="closed") from None
    rows_in = read_rows(path)
    try:
        _n, header = next(rows_in)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty."), code="empty") from None
    cols = map_headers(header, COLUMNS, REQUIRED)
    households = {}
    for pk, compound, building, unit, door in (
        project.covered_households()
        .visible_to(user)
        .values_list(
            "pk", "unit__building__compound__name", "unit__building__number", "unit__number",
            "door_number",
        )
    ):  # fmt: skip
        # A project may cover the same building, unit and door in two compounds.
        households.setdefault((building, unit, door), []).append((pk, compound))
    records = ConsentRecord.objects.filter(project=project)
    if lock:
        records = records.select_for_update()
    stored = {
        r[0]: r[1:]
        for r in records.values_list(
            "household_id", "answer", "contribution", "conditions", "version", "recorded_at"
        )
    }
    owner_of, owned, voters_of, ballots = {}, {}, {}, {}
    if project.is_decision:
        for hid, key in project.roll.entries.values_list("household_id", "owner_key"):
            owner_of[hid] = key
            owned.setdefault(key, []).append(hid)
        # Who may vote for each household: its owners on the roll (consent._who_voted).
        for hid, rid, name in OwnerRollEntry.owners.through.objects.filter(
            ownerrollentry__roll=project.roll_id
        ).values_list("ownerrollentry__household_id", "resident_id", "resident__name"):
            voters_of.setdefault(hid, {})[name] = rid
        ballots = dict(
            ConsentRecord.objects.filter(project=project)
            .exclude(ballot_number="")
            .values_list("ballot_number", "household_id")
        )
    report, seen, plan = Report(), {}, {}
    given = {}  # household pk -> row number
    by_owner = {}  # owner key -> (row number, answer)
    any_row = False
    for number, cells in rows_in:
        any_row = True
        values = {k: cells[i].strip() for k, i in cols.items() if i < len(cells)}
        place = "-".join(values.get(k, "") for k in ("building", "unit", "door"))
        errors, action, detail = [], UNCHANGED, ""
        key = (values.get("building", ""), values.get("unit", ""), values.get("door", ""))
        candidates = [
            h for h in households.get(key, []) if values.get("compound") in ("", None, h[1])
        ]
        found = candidates[0] if len(candidates) == 1 else None
        if not candidates:
            errors.append(_("No household of the project at %(place)s.") % {"place": place})
        elif found is None:
            errors.append(
                _(
                    "%(place)s is in several compounds of the project (%(compounds)s): "
                    "give the compound."
                )
                % {"place": place, "compounds": listing(sorted(h[1] for h in candidates))}
            )
        elif found[0] in given:
            errors.append(
                _("Door number %(door)s already appears in row %(row)s.")
                % {"door": key[2], "row": given[found[0]]}
            )
        word = values.get("answer", "")
        answer = (DECISION_WORDS.get(word) if project.is_decision else None) or ANSWERS.get(
            word.lower()
        )
        if answer is None:
            errors.append(_("Unknown answer “%(value)s”.") % {"value": word})
        contribution = None
        if text := values.get("contribution", "").replace(",", ""):
            try:
                contribution = Decimal(text).quantize(Decimal("0.01"))
            except InvalidOperation:
                errors.append(_("The contribution “%(value)s” is not an amount.") % {"value": text})
        channel = CHANNELS.get(values.get("channel", "").lower() or "paper")
        if channel is None:
            errors.append(_("Unknown way of recording “%(value)s”.") % {"value": values["channel"]})
        conditions = values.get("conditions", "")[:300]
        if not errors:
            try:
                contribution = consent.answer_check(project, answer, contribution)
            except ValidationError as error:
                errors.extend(error.messages)
        if not errors:
            hid = found[0]
            given[hid] = number
            targets = [hid]
            if project.is_decision:
                owner = owner_of.get(hid)
                if owner is None:
                    errors.append(_("This household was not on the roll when the vote opened."))
                elif owner in by_owner and by_owner[owner][1] != answer:
                    errors.append(
                        _("Row %(row)s gives another answer for a household of the same owner.")
                        % {"row": by_owner[owner][0]}
                    )
                else:
                    by_owner[owner] = (number, answer)
                    targets = owned[owner]
        voter, ballot = None, values.get("ballot", "")[:30]
        if not errors and project.is_decision:
            voter, ballot_error = _voter(values, voters_of.get(hid, {}), ballot, ballots, targets)
            if ballot_error:
                errors.append(ballot_error)
            elif ballot:
                ballots[ballot] = hid
        if not errors:
            new = (answer, contribution, conditions)
            changes = [h for h in targets if stored.get(h, (None,) * 3)[:3] != new]
            for h in changes:
                version = stored[h][3] if h in stored else 0
                seen[h] = version
                if versions is not None and versions.get(str(h), versions.get(h)) != version:
                    errors.append(_conflict_text(stored.get(h)))
                    break
                plan[h] = (
                    answer,
                    contribution,
                    conditions,
                    channel,
                    voter,
                    ballot if h == hid else "",
                )
            if changes and not errors:
                action = UPDATE if hid in stored else CREATE
                detail = ANSWER_WORD[answer]
        if errors:
            report.add(number, REJECT, place, "", " ".join(errors))
        else:
            report.add(number, action, place, "", detail)
    if not any_row:
        raise SpreadsheetError(_("The file has no rows under its header."), code="empty")
    return report, seen, plan


def _voter(values, owners: dict, ballot: str, ballots: dict, targets) -> tuple:
    """(the voter's key, an error or "") of a decision's row: the owner named in the row,
    who must be on the roll for the household, or its only owner there; the ballot number,
    unique in the decision (the rules of `consent._who_voted`)."""
    name = values.get("voter", "")
    voter = None
    if name:
        voter = owners.get(name)
        if voter is None:
            return None, _(
                "%(name)s is not an owner of this household on the roll: only an owner votes "
                "(a proxy is recorded on the household's page, with the written authority)."
            ) % {"name": name}
    elif len(owners) == 1:
        voter = next(iter(owners.values()))
    elif owners:
        return None, _("Give who voted: one of %(names)s.") % {"names": listing(sorted(owners))}
    if ballot and ballots.get(ballot) not in (None, *targets):
        return voter, _("Ballot number %(number)s is already recorded in the decision.") % {
            "number": ballot
        }
    return voter, ""


def _conflict_text(stored):
    if stored is None:
        return _("This household's record was removed after the preview.")
    return _(
        "This household's record was changed at %(time)s, after the preview: check it and "
        "upload the sheet again."
    ) % {"time": timezone.localtime(stored[4]).strftime("%H:%M:%S")}


def _write(project, plan, user):
    now = timezone.now()
    reason = _("Imported from a spreadsheet")
    existing = {
        r.household_id: r
        for r in ConsentRecord.objects.filter(project=project, household_id__in=list(plan))
    }
    new_rows, changed = [], []
    for hid, (answer, contribution, conditions, channel, voter, ballot) in plan.items():
        fields = {
            "answer": answer,
            "contribution": contribution,
            "conditions": conditions,
            "channel": channel,
            "recorded_by_id": user.pk,
            "recorded_at": now,
            # an owner's own vote: no proxy (docs/domain.md, "Owners' decisions")
            "voter_id": voter,
            "ballot_number": ballot,
            "receipt_code": "",  # no longer the owner's online ballot
            "proxy_name": "",
            "proxy_relation": "",
        }
        record = existing.get(hid)
        if record is None:
            new_rows.append({"project_id": project.pk, "household_id": hid, **fields})
        else:
            for name, value in fields.items():
                setattr(record, name, value)
            record.version += 1
            changed.append(record)
    insert_with_history(ConsentRecord, new_rows, user=user, reason=reason, date=now)
    bulk_update_with_history(
        changed,
        ConsentRecord,
        ["answer", "contribution", "conditions", "channel", "recorded_by", "recorded_at"]
        + ["voter", "ballot_number", "receipt_code", "proxy_name", "proxy_relation", "version"],
        default_user=user,
        default_change_reason=reason,
        default_date=now,
    )


def attendance_rows(meeting, access, shown: set):
    """A meeting's attendance: residents, staff and outside parties. A resident's phone
    number is written as the register's rule says (Disclosure): in full where the user may
    see it (their ids are added to `shown`, for the log), masked within the user's part,
    not at all outside it, where a resident appears by name only."""
    attendees = list(meeting.attendees.select_related("resident", "user"))
    disclosure = access.disclosure(a.resident_id for a in attendees)
    yield [_("Name"), _("Attended as"), _("Organisation"), _("Mobile phone")]
    for a in attendees:
        if a.resident_id:
            phone = ""
            if disclosure.full(a.resident_id):
                phone = a.resident.phone
                if phone:
                    shown.add(a.resident_id)
            elif disclosure.details(a.resident_id):
                phone = a.resident.masked_phone
            yield [a.resident.name, _("Resident"), "", phone]
        else:
            yield [a.display_name, _("Staff"), "", ""]
    for p in meeting.outside_parties.all():
        yield [p.name, p.get_kind_display(), p.organisation, ""]
