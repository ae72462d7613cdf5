"""More rows at every level of the three bodies, for the tests that count queries."""

import datetime

from committees.models import Member
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
