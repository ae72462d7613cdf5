"""An owner's own ballot, cast online from the residents' door (docs/domain.md, "The
residents' own door": voting online).

The ballot is an answer like any other (meetings/projects/consent.py writes it): one per
owner, the owner being an owner key of the roll frozen when the vote opened, so an owner
of several units votes once for all of them and a paper or door answer of the same owner
is the same ballot. What the online way adds: the account's resident must be an owner or
co-owner on that roll; of co-owners, the first to vote casts the unit's ballot and the
others see it cast; the owner may change it until the close; each online ballot gets a
verification code, listed by building in the result notice.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.accounts.codes import ALPHABET, code_grouped
from residents.models import Membership, OwnerRollEntry

#: What an owner may answer online: a missing answer is "has not voted".
CHOICES = (
    ConsentRecord.Answer.AGREE,
    ConsentRecord.Answer.DISAGREE,
    ConsentRecord.Answer.ABSTAIN,
)
#: The verification code's length: 8 characters of ALPHABET (about 40 bits).
RECEIPT_LENGTH = 8


def receipt_code_new(project: Project) -> str:
    """A verification code not yet used in the decision (normalised: no separator)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_LENGTH))
        if not ConsentRecord.objects.filter(project=project, receipt_code=code).exists():
            return code


def receipt_shown(code: str) -> str:
    """A verification code as the receipt and the result notice print it: "K7MQ-3XPA"."""
    return code_grouped(code)


@dataclass
class OwnerBallot:
    """One owner of the roll the resident votes as (alone, or with co-owners): the
    households the ballot counts for, the record holding it, and the co-owners."""

    key: str
    households: list = field(default_factory=list)
    owners: list = field(default_factory=list)
    record: ConsentRecord | None = None

    @property
    def voted(self) -> bool:
        return self.record is not None and self.record.answer in CHOICES

    def cast_by_other(self, resident) -> bool:
        """A co-owner cast the unit's ballot: the resident may not override it."""
        return self.voted and self.record.voter_id not in (None, resident.pk)

    def cast_by(self, resident) -> bool:
        return self.voted and self.record.voter_id == resident.pk

    @property
    def co_owned(self) -> bool:
        return len(self.owners) > 1


def ballot_owners(project: Project, resident) -> list[OwnerBallot]:
    """The owners of `project`'s frozen roll that `resident` is, or is one of, each with
    its households (unit and building loaded), its owners and the record of its ballot.
    Three queries, whatever the number of households."""
    if not project.roll_id:
        return []
    keys = OwnerRollEntry.objects.filter(roll=project.roll_id, owners=resident).values("owner_key")
    entries = list(
        OwnerRollEntry.objects.filter(roll=project.roll_id, owner_key__in=keys)
        .select_related("household__unit__building")
        .order_by("owner_key", "household_id")
    )
    Through = OwnerRollEntry.owners.through
    owners: dict[int, list] = {}
    for link in (
        Through.objects.filter(ownerrollentry__in=[e.pk for e in entries])
        .select_related("resident")
        .order_by("resident_id")
    ):
        owners.setdefault(link.ownerrollentry_id, []).append(link.resident)
    records = {
        r.household_id: r
        for r in ConsentRecord.objects.filter(
            project=project, household__in=[e.household_id for e in entries]
        ).select_related("voter")
    }
    ballots: dict[str, OwnerBallot] = {}
    for e in entries:
        ballot = ballots.setdefault(e.owner_key, OwnerBallot(key=e.owner_key))
        ballot.households.append(e.household)
        for person in owners.get(e.pk, []):
            if person not in ballot.owners:
                ballot.owners.append(person)
        record = records.get(e.household_id)
        # The owner's answer is on each household; the verification code on one of them.
        if record is not None and (ballot.record is None or record.receipt_code):
            ballot.record = record
    return list(ballots.values())


def not_an_owner_reason(project: Project, resident) -> str:
    """Why a resident who is on no owner's entry of the roll does not vote."""
    relations = set(
        Membership.objects.filter(resident=resident, household__unit__projects=project).values_list(
            "relation", flat=True
        )
    )
    if relations & {Membership.Relation.FAMILY, Membership.Relation.TENANT}:
        return _(
            "Only the owners on the roll vote. The register lists you in this home as a "
            "family member or tenant: an owner may give you written authority to vote for "
            "them on paper, at the committee."
        )
    return _(
        "You are not on the roll of owners frozen when this vote opened: ask the committee "
        "if you think this is wrong."
    )


def ballot_refusal(project: Project, resident, ballots: list[OwnerBallot], now=None) -> str:
    """Why the resident cannot cast or change a ballot now, in plain words ("" when they
    may): the vote is not open, they are not an owner on the roll, or their co-owners
    cast every ballot they could."""
    try:
        project.check_accepts_answers(now)
    except ValidationError as error:
        return " ".join(error.messages)
    if not ballots:
        return not_an_owner_reason(project, resident)
    taken = [b for b in ballots if b.cast_by_other(resident)]
    if len(taken) == len(ballots):
        b = taken[0]
        return _(
            "%(name)s, your co-owner, already cast this home's ballot at %(time)s: one "
            "ballot counts for the home, and only the co-owner who cast it may change it."
        ) % {
            "name": b.record.voter.name,
            "time": f"{timezone.localtime(b.record.recorded_at):%Y-%m-%d %H:%M}",
        }
    return ""


@transaction.atomic
def ballot_cast_online(
    *, project: Project, account, answer: str, now: datetime.datetime | None = None
) -> list[ConsentRecord]:
    """Cast (or change) the account's resident's ballot in an open owners' decision:
    `answer` is agree, disagree or abstain. The ballot counts for every household of each
    owner of the roll the resident is (`ballot_owners`), except those whose ballot a
    co-owner cast; each gets a new verification code. Returns the records holding the
    ballots; refused (ValidationError, nothing written) with the reason otherwise.

    The project's row is locked first, so two co-owners voting at the same moment are
    served one after the other: the second finds the first one's ballot."""
    now = now or timezone.now()
    project = Project.objects.select_for_update().get(pk=project.pk)
    resident = account.resident
    if not project.is_decision:
        raise ValidationError(_("Only an owners' decision is voted on."))
    if answer not in CHOICES:
        raise ValidationError({"answer": _("Choose agree, disagree or abstain.")})
    ballots = ballot_owners(project, resident)
    refusal = ballot_refusal(project, resident, ballots, now)
    if refusal:
        raise ValidationError(refusal, code="refused")
    cast = []
    for ballot in ballots:
        if ballot.cast_by_other(resident):
            continue
        # The code sits with the record that held it, else on the owner's first household.
        household = ballot.households[0]
        if ballot.record:
            household = next(h for h in ballot.households if h.pk == ballot.record.household_id)
        cast.append(
            consent.answer_write(
                project=project,
                household=household,
                answer=answer,
                recorded_by=account.user,
                channel=ConsentRecord.Channel.ONLINE,
                expected_version=None,
                recorded_at=now,
                voter=resident,
                receipt_code=receipt_code_new(project),
            )
        )
    return cast
