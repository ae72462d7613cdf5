"""The demo's loaders, one per domain, in the one order they run in.

Each loader reads what the ones before it wrote, and is idempotent: it looks its
rows up by their natural keys and creates only what is missing, so loading the
demo again on the same day creates and changes nothing.
"""

from django.db import transaction

from jinzang.demo import (
    bodies,
    facilities,
    funds,
    meetings,
    notices,
    projects,
    register,
    requests,
    visits,
    volunteers,
)

LOADERS = (
    register.load_demo,  # places, households, residents, the administrator
    bodies.load_demo,  # the three bodies, their terms and seats; the demo accounts
    requests.load_demo,  # request categories, the alliance and its whistles
    meetings.load_demo,  # on the bodies' seats
    projects.load_demo,  # linked to the meetings on the pipes
    notices.load_demo,  # report a meeting, an election and a vote
    visits.load_demo,
    volunteers.load_demo,  # after the bodies, which mark their party members
    funds.load_demo,
    facilities.load_demo,  # a broken facility's request, in the categories above
)


def loaders_for(*modules) -> list:
    """The loaders of some of the demo's modules (a part of the demo and what it needs),
    in the one order above: for tests that load only a part."""
    names = {module.__name__ for module in modules}
    return [loader for loader in LOADERS if loader.__module__ in names]


def load_all(*, stdout=None) -> dict[str, int]:
    """Load the whole demo in one transaction; returns how many rows of each kind were
    created (all zero when it was loaded already)."""
    created: dict[str, int] = {}
    with transaction.atomic():
        for loader in LOADERS:
            for key, count in loader(stdout=stdout).items():
                created[key] = created.get(key, 0) + count
    return created
