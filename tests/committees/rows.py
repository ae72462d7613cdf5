"""More rows at every level of the three bodies, for the tests that count queries."""

import datetime
from decimal import Decimal

from django.utils import timezone

from committees.models import Election, Member
from tests.factories import (
    BallotFactory,
    BodyFactory,
    CandidateFactory,
    CompoundFactory,
    HouseholdFactory,
    MemberFactory,
    MembershipFactory,
    OwnerRollEntryFactory,
    ResidentFactory,
    TermFactory,
)

date = datetime.date


def grow(bodies, n, election=None):
    """`n` more of everything: owners' committees of new compounds of community A with two
    terms and their seats; Bailajing terms, seats and owners; and, for `election`,
    households on its roll, candidates and ballots."""
    b = bodies
    community = b.bailajing.community
    unit = b.bailajing_households[0].unit
    offset = b.bailajing.terms.count()
    for i in range(n):
        body = BodyFactory(compound=CompoundFactory(community=community))
        TermFactory(body=body, number=1, starts_on=date(2013, 1, 1), ends_on=date(2016, 12, 31))
        term = TermFactory(body=body, number=2, starts_on=date(2017, 1, 1))
        MemberFactory(term=term, role=Member.Role.CHAIR, resident__is_party_member=True)
        MemberFactory(term=term)
        MemberFactory(term=term, ends_on=date(2018, 1, 1))

        year = 1990 + offset + i
        old = TermFactory(
            body=b.bailajing,
            number=offset + i + 1,
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
        )
        MemberFactory(term=old, ends_on=old.ends_on)
        owner = ResidentFactory(is_party_member=bool(i % 2))
        household = HouseholdFactory(unit=unit)
        MembershipFactory(resident=owner, household=household)
        MemberFactory(term=b.bailajing_term_2, resident=owner)
        MemberFactory(term=b.bailajing_term_2, ends_on=date(2019, 1, 1))

        if election is not None:
            entry = OwnerRollEntryFactory(roll=election.roll, household=household)
            candidate = CandidateFactory(election=election, resident=owner)
            BallotFactory(
                election=election,
                household=household,
                voter=owner,
                owner_key=entry.owner_key,
                choices=[candidate, *election.candidates.all()[:1]],
            )


def close_on_a_tie(election, unit):
    """Close `election` (made with factories) on a tie for five seats: three owners of 100 m²
    in `unit` each name the first three of six candidates and two of the last three, each
    pair once; the last three tie for the last two seats. Returns the candidates."""
    entries = [
        OwnerRollEntryFactory(
            roll=election.roll, household=HouseholdFactory(unit=unit, area=Decimal(100))
        )
        for _i in range(3)
    ]
    c = [CandidateFactory(election=election) for _i in range(6)]
    for entry, pair in zip(entries, [(3, 4), (3, 5), (4, 5)], strict=True):
        BallotFactory(
            election=election,
            household=entry.household,
            voter=ResidentFactory(),
            owner_key=entry.owner_key,
            choices=[c[0], c[1], c[2], c[pair[0]], c[pair[1]]],
        )
    # Closed as the migration leaves an election closed before the steps: no frozen result.
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        seats=5, status=Election.Status.CLOSED, closes_at=now, closed_at=now
    )
    return c
