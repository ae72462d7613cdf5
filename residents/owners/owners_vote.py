"""Owners' votes under the PRC Civil Code, Article 278: who counts, and how the count goes.

The pure rule: no database access, it counts what it is given. Two users: the owners'
committee elections (`tally_election`, called by the committees' election services)
and the formal owners' decisions of renovation projects (`decide`, called by
meetings/projects/tally.py, which counts the answers in the database over the frozen
roll). `owners_from_register` groups the register's households into owners, one per
distinct buyer; `owner_roll_freeze` (residents/owners/services.py) keeps that grouping
as the roll of a vote. It lives in `residents`, the lowest app, because it counts the
owners and exclusive areas of the register.

The rules (docs/domain.md, "Owners' decisions"):

- Participation, every matter: owners holding two thirds or more of the exclusive
  area AND two thirds or more of the owners by number take part.
- Raising the maintenance fund, renovating or rebuilding, changing the use of
  common parts: three quarters or more of the participating area AND of the
  participating owners agree.
- Every other matter, using the maintenance fund included: more than half of the
  participating area AND of the participating owners agree.
- "以上" includes the number itself (Art. 1259): exactly 2/3 and exactly 3/4 pass;
  "过半数" is strictly more than half: exactly 1/2 fails.
- Each exclusive unit counts as one owner, but the same buyer of several units
  counts once, with all their area: the same person, or the same set of co-owners.
  Different sets of co-owners are different owners even when they share a person
  (H alone, W and M together, H and W together: three owners). The developer's
  unsold units and the units sold but not yet handed over count as one owner
  together. A unit with no owner on record counts as its own owner.
- The denominator is fixed when the vote opens (`Electorate` is a frozen value).

Every count is made twice, by head and by area (`Heads`). Comparisons are done on
integers and Decimals by cross-multiplication, never floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Matter(models.TextChoices):
    """The matters owners decide together (Civil Code Art. 278)."""

    RULES_OF_PROCEDURE = "rules", _("Rules of procedure of the owners' assembly")
    COVENANT = "covenant", _("Management covenant")
    ELECT_COMMITTEE = "elect", _("Electing or replacing the owners' committee")
    PROPERTY_MANAGER = "manager", _("Hiring or dismissing the property manager")
    USE_FUND = "use_fund", _("Using the maintenance fund")
    RAISE_FUND = "raise_fund", _("Raising the maintenance fund")
    RENOVATE = "renovate", _("Renovating or rebuilding buildings and their facilities")
    CHANGE_USE = "change_use", _("Changing the use of common parts or running a business on them")
    OTHER = "other", _("Other major matter")


#: Matters that need three quarters of the participants; every other needs more than half.
SPECIAL_MATTERS = frozenset({Matter.RAISE_FUND, Matter.RENOVATE, Matter.CHANGE_USE})

PARTICIPATION = Fraction(2, 3)  # 以上: at least
SPECIAL_MAJORITY = Fraction(3, 4)  # 以上: at least
SIMPLE_MAJORITY = Fraction(1, 2)  # 过半数: strictly more than


def approval_threshold(matter: str) -> tuple[Fraction, bool]:
    """(share, strict) needed for approval: strict means strictly more than the share."""
    if matter in SPECIAL_MATTERS:
        return SPECIAL_MAJORITY, False
    return SIMPLE_MAJORITY, True


def _reaches(part: Decimal | int, whole: Decimal | int, share: Fraction, *, strict: bool) -> bool:
    """part / whole >= share (or > share when strict), exactly, without floats."""
    if whole <= 0:
        return False
    left = Decimal(part) * share.denominator
    right = Decimal(whole) * share.numerator
    return left > right if strict else left >= right


@dataclass(frozen=True)
class Owner:
    """One owner as the count sees them: one head, with the area of all their units."""

    key: str
    household_ids: frozenset[int]
    area: Decimal


@dataclass(frozen=True)
class Electorate:
    """All owners and all exclusive area in scope, frozen when the vote opens."""

    owners: tuple[Owner, ...]

    @property
    def total_owners(self) -> int:
        return len(self.owners)

    @property
    def total_area(self) -> Decimal:
        return sum((o.area for o in self.owners), Decimal(0))

    def owner_of_household(self) -> dict[int, Owner]:
        return {hid: owner for owner in self.owners for hid in owner.household_ids}


class Answer(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


@dataclass(frozen=True)
class Heads:
    """One group of owners counted both ways Art. 278 counts: by head and by area."""

    owners: int = 0
    area: Decimal = Decimal(0)

    def __add__(self, other: Heads) -> Heads:
        return Heads(self.owners + other.owners, self.area + other.area)


@dataclass(frozen=True)
class Result:
    """The outcome of one question put to the owners, by head and by area at once."""

    matter: str
    electorate: Heads
    participating: Heads
    agree: Heads
    disagree: Heads
    abstain: Heads
    participation_reached: bool
    approved: bool

    @property
    def participation_share(self) -> tuple[Fraction, Fraction]:
        return (
            _share(self.participating.owners, self.electorate.owners),
            _share(self.participating.area, self.electorate.area),
        )

    @property
    def agree_share(self) -> tuple[Fraction, Fraction]:
        return (
            _share(self.agree.owners, self.participating.owners),
            _share(self.agree.area, self.participating.area),
        )

    @property
    def passed(self) -> bool:
        return self.participation_reached and self.approved

    @property
    def not_answered(self) -> int:
        """Owners on the roll who have not answered yet."""
        return self.electorate.owners - self.participating.owners

    def as_snapshot(self) -> dict:
        """The result as stored when the vote closes (JSON: areas as text, exact)."""
        heads = {
            name: [getattr(self, name).owners, str(getattr(self, name).area)]
            for name in ("electorate", "participating", "agree", "disagree", "abstain")
        }
        return {
            "matter": str(self.matter),
            **heads,
            "participation_reached": self.participation_reached,
            "approved": self.approved,
            "rule": rule_text(self.matter),
        }

    @classmethod
    def from_snapshot(cls, data: dict) -> Result:
        """The result as it was frozen: the verdict stored, not counted again."""
        heads = {
            name: Heads(data[name][0], Decimal(data[name][1]))
            for name in ("electorate", "participating", "agree", "disagree", "abstain")
        }
        return cls(
            matter=data["matter"],
            participation_reached=data["participation_reached"],
            approved=data["approved"],
            **heads,
        )


def rule_text(matter: str) -> str:
    """The rule applied to a matter, in words (Civil Code Art. 278)."""
    if matter in SPECIAL_MATTERS:
        return gettext(
            "Art. 278: owners holding at least two thirds of the area and at least two "
            "thirds of the owners take part; at least three quarters of the participating "
            "area and of the participating owners agree."
        )
    return gettext(
        "Art. 278: owners holding at least two thirds of the area and at least two thirds "
        "of the owners take part; more than half of the participating area and of the "
        "participating owners agree."
    )


def _share(part, whole) -> Fraction:
    return Fraction(Decimal(part)) / Fraction(Decimal(whole)) if whole else Fraction(0)


def tally(*, electorate: Electorate, answers: Mapping[str, str], matter: str) -> Result:
    """Count answers given per owner key (agree, disagree or abstain; absent = did not vote).

    Every owner who answered, abstaining included, takes part. Keys not in the
    electorate are an error: a ballot from a non-owner must be refused upstream.
    """
    by_key = {o.key: o for o in electorate.owners}
    unknown = set(answers) - set(by_key)
    if unknown:
        raise ValueError(f"answers from owners outside the electorate: {sorted(unknown)}")
    groups = {a: Heads() for a in Answer.values}
    for key, answer in answers.items():
        if answer not in groups:
            raise ValueError(f"unknown answer {answer!r}")
        groups[answer] += Heads(1, by_key[key].area)
    return decide(
        matter=matter,
        electorate=Heads(electorate.total_owners, electorate.total_area),
        agree=groups[Answer.AGREE],
        disagree=groups[Answer.DISAGREE],
        abstain=groups[Answer.ABSTAIN],
    )


def decide(
    *, matter: str, electorate: Heads, agree: Heads, disagree: Heads, abstain: Heads
) -> Result:
    """The verdict from counts already made (e.g. aggregated by the database).

    Each Heads is the (owners, area) of one answer; every owner counted once.
    """
    whole = electorate
    participating = agree + disagree + abstain
    share, strict = approval_threshold(matter)
    return Result(
        matter=matter,
        electorate=whole,
        participating=participating,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        participation_reached=(
            _reaches(participating.owners, whole.owners, PARTICIPATION, strict=False)
            and _reaches(participating.area, whole.area, PARTICIPATION, strict=False)
        ),
        approved=(
            _reaches(agree.owners, participating.owners, share, strict=strict)
            and _reaches(agree.area, participating.area, share, strict=strict)
        ),
    )


@dataclass(frozen=True)
class CandidateResult:
    candidate: object
    votes: Heads
    majority: bool
    elected: bool = False


@dataclass(frozen=True)
class ElectionResult:
    electorate: Heads
    participating: Heads
    participation_reached: bool
    candidates: tuple[CandidateResult, ...] = field(default_factory=tuple)
    #: Candidates with a majority tied for the last seats: none of them takes one (a run-off).
    tied: tuple[object, ...] = field(default_factory=tuple)

    @property
    def elected(self) -> list[object]:
        return [c.candidate for c in self.candidates if c.elected]

    @property
    def participation_share(self) -> tuple[Fraction, Fraction]:
        """(by head, by area) of the electorate taking part."""
        return (
            _share(self.participating.owners, self.electorate.owners),
            _share(self.participating.area, self.electorate.area),
        )


def tally_election(
    *,
    electorate: Electorate,
    ballots: Mapping[str, Iterable[object]],
    candidates: Iterable[object],
    seats: int,
) -> ElectionResult:
    """Count an owners' committee election: one ballot per owner naming up to `seats` candidates.

    Candidates are compared by equality (model instances by primary key). Each
    ballot cast counts towards participation (a blank ballot too). A candidate
    needs the votes of more than half of the participating owners and of the
    participating area (electing the committee is an ordinary matter); when more
    candidates than seats have such a majority, those named on the most ballots
    take the seats (得票多的当选: a ballot is an owner's). Candidates named on as
    many ballots for the last seats do not take them: they are `tied`, for a
    run-off. Nothing else breaks a tie, the area no more than anything else
    (docs/domain.md, "The three bodies").
    """
    by_key = {o.key: o for o in electorate.owners}
    unknown = set(ballots) - set(by_key)
    if unknown:
        raise ValueError(f"ballots from owners outside the electorate: {sorted(unknown)}")
    unique: list[object] = []
    for c in candidates:
        if c not in unique:
            unique.append(c)
    candidates = unique
    # Looked up by equality (a list, not a dict: candidates need not be hashable).
    tallies = [Heads() for _c in candidates]
    participating = Heads()
    for key, chosen in ballots.items():
        owner = by_key[key]
        named: list[int] = []
        for c in chosen:
            if c not in candidates:
                raise ValueError("a ballot names someone who is not a candidate")
            index = candidates.index(c)
            if index not in named:
                named.append(index)
        if len(named) > seats:
            raise ValueError(f"a ballot names {len(named)} candidates for {seats} seats")
        participating += Heads(1, owner.area)
        for index in named:
            tallies[index] += Heads(1, owner.area)
    votes = dict(enumerate(tallies))
    whole = Heads(electorate.total_owners, electorate.total_area)
    share, strict = approval_threshold(Matter.ELECT_COMMITTEE)
    participation_reached = _reaches(
        participating.owners, whole.owners, PARTICIPATION, strict=False
    ) and _reaches(participating.area, whole.area, PARTICIPATION, strict=False)

    def rank(i):
        return votes[i].owners

    def has_majority(i):
        v = votes[i]
        return _reaches(v.owners, participating.owners, share, strict=strict) and _reaches(
            v.area, participating.area, share, strict=strict
        )

    ordered = sorted(range(len(candidates)), key=rank, reverse=True)
    with_majority = [c for c in ordered if has_majority(c)]
    winners, tied = [], []
    if participation_reached and with_majority:
        if len(with_majority) <= seats:
            winners = with_majority
        else:
            cut = rank(with_majority[seats - 1])
            winners = [c for c in with_majority[:seats] if rank(c) != cut]
            if rank(with_majority[seats]) != cut:
                winners = with_majority[:seats]
            else:
                tied = [c for c in with_majority if rank(c) == cut]
    return ElectionResult(
        electorate=whole,
        participating=participating,
        participation_reached=participation_reached,
        candidates=tuple(
            CandidateResult(
                candidate=candidates[i],
                votes=votes[i],
                majority=has_majority(i),
                elected=i in winners,
            )
            for i in ordered
        ),
        tied=tuple(candidates[i] for i in tied),
    )


def owners_from_register(
    households: Iterable, owner_links: Iterable[tuple[int, int]]
) -> Electorate:
    """Group households into owners for counting, one owner per distinct buyer.

    `households`: objects with `pk`, `area`, `developer_unsold` and `not_handed_over`
    (bools). `owner_links`: (household_id, resident_id) pairs of owners and co-owners.
    Households owned by the same set of people (one person alone, or the same
    co-owners together) are one owner with all their area; different sets are
    different owners even when they share a person. The developer's unsold units
    and the units sold but not yet handed over are one owner together, whoever
    bought them. A household with no owner on record counts as its own owner.
    """
    households = {h.pk: h for h in households}
    buyers: dict[int, set[int]] = {}
    for household_id, resident_id in owner_links:
        if household_id in households:
            buyers.setdefault(household_id, set()).add(resident_id)
    groups: dict[object, set[int]] = {}
    for pk, h in households.items():
        if getattr(h, "developer_unsold", False) or getattr(h, "not_handed_over", False):
            buyer = "developer"
        elif pk in buyers:
            buyer = frozenset(buyers[pk])
        else:
            buyer = ("household", pk)
        groups.setdefault(buyer, set()).add(pk)
    owners = tuple(
        Owner(
            key=f"o{min(ids)}",
            household_ids=frozenset(ids),
            area=sum((Decimal(households[i].area) for i in ids), Decimal(0)),
        )
        for ids in sorted(groups.values(), key=min)
    )
    return Electorate(owners=owners)
