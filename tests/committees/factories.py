"""Elections taken through their steps (docs/domain.md, "Owners' decisions"), as
tests/projects/factories.py does for a project's vote: announced in the past, opened now,
closed at the end of their period."""

import datetime

from django.utils import timezone

from committees.bodies import services
from committees.models import Election


def announced(election: Election, *, days_ago: int = 16, closes_in: int = 7, by=None) -> Election:
    """`election`, a drafted round with its candidates, announced `days_ago` days ago with
    voting from the end of the notice period until `closes_in` days from now: ready to
    open."""
    now = timezone.now()
    past = now - datetime.timedelta(days=days_ago)
    election.text = election.text or "在小区活动室设投票箱，由居委会监督计票。"
    election.opens_at = past + datetime.timedelta(days=15)
    election.closes_at = now + datetime.timedelta(days=closes_in)
    election.save(update_fields=["text", "opens_at", "closes_at"])
    return services.election_announce(election=election, by=by, now=past)


def open_vote(election: Election, **kwargs) -> Election:
    """`election` announced (`announced`) and its vote opened now: ballots are taken."""
    return services.election_vote_open(election=announced(election, **kwargs))


def open_election(*, term, seats: int, held_on: datetime.date, candidates=(), **kwargs):
    """The election of `term`, drafted with `candidates` (residents), announced and open."""
    election = services.election_create(term=term, seats=seats, held_on=held_on)
    for resident in candidates:
        services.candidate_add(election=election, resident=resident)
    return open_vote(election, **kwargs)


def closed(election: Election) -> Election:
    """`election` closed by itself at the end of its voting period, brought forward to now:
    its result frozen, the elected seated."""
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(closes_at=now)
    return services.election_close_due(Election.objects.get(pk=election.pk), now)
