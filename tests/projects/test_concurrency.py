"""Two people recording the same household at the same moment (PostgreSQL only).

Each thread has its own database connection (Django gives every thread its own),
so the two writes really race: one wins, the other is told the record changed,
and nothing is silently overwritten. SQLite cannot run two writing connections
inside a test, hence the skip there.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jinzang.names import person_name
from meetings.models import ConsentRecord
from meetings.projects import ballots, consent
from residents.models import Membership
from tests.factories import MembershipFactory, ResidentAccountFactory, ResidentFactory
from tests.projects.factories import ConsentRecordFactory, ProjectFactory, open_vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite cannot run two writing connections in a test",
    ),
]

# Long enough for the other thread to reach its own write while the first holds it.
HOLD = 0.3


@pytest.fixture
def campaign(project_bodies, building_18):
    return ProjectFactory(
        name="铸铁管改造", body=project_bodies.qingfeng_1, units=[building_18.unit_4]
    )


@pytest.fixture
def door(building_18):
    return building_18.households["4-301"]


@pytest.fixture
def slow_save(monkeypatch):
    """Every record's save waits a moment first, inside the service's transaction: the
    first writer holds its row lock (or its uncommitted insert) while the other arrives."""
    save = ConsentRecord.save

    def slow(self, *args, **kwargs):
        time.sleep(HOLD)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(ConsentRecord, "save", slow)


def run_together(*calls, names=None):
    """Run each call in its own thread with its own connection, released together by a
    barrier; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as error:  # the outcome is what the test checks
            outcomes[i] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call), name=(names or {}).get(i, f"writer-{i}"))
        for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a writer is stuck"
    return outcomes


def recording(project, household, answer, user, version, **kwargs):
    def call():
        return consent.consent_record(
            project=project,
            household=household,
            answer=answer,
            recorded_by=user,
            expected_version=version,
            **kwargs,
        )

    return call


@pytest.fixture
def changing_race(campaign, door, manager, staff_user, reader, slow_save):
    """Two staff change one record at once, both from the version they saw; it was first
    recorded by a third person, so that no one's name is right by chance."""
    ConsentRecordFactory(project=campaign, household=door, answer="undecided", recorded_by=reader)
    seen = ConsentRecord.objects.get(project=campaign, household=door).version
    history = ConsentRecord.history.count()
    outcomes = run_together(
        recording(campaign, door, "agree", manager, seen, contribution=Decimal("500")),
        recording(campaign, door, "decline", staff_user, seen),
    )
    won = [o for o in outcomes if isinstance(o, ConsentRecord)]
    lost = [o for o in outcomes if isinstance(o, consent.ConsentConflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    return {"seen": seen, "history": history, "won": won[0], "lost": lost[0]}


def test_two_staff_changing_the_same_record_at_once_one_wins_and_the_other_is_told(
    changing_race, campaign, door
):
    won = changing_race["won"]
    final = ConsentRecord.objects.get(project=campaign, household=door)
    assert (final.answer, final.version) == (won.answer, changing_race["seen"] + 1)
    assert final.recorded_by_id == won.recorded_by_id
    assert ConsentRecord.history.count() == changing_race["history"] + 1
    assert "changed this household's record" in changing_race["lost"].messages[0]


def test_the_loser_of_a_race_is_told_who_changed_the_record(changing_race):
    winner = changing_race["won"].recorded_by
    message = changing_race["lost"].messages[0]
    assert message.startswith(f"{person_name(winner)} changed this household's record")


def test_two_staff_recording_a_new_household_at_once_one_wins_and_the_other_is_told(
    campaign, door, manager, staff_user, slow_save
):
    outcomes = run_together(
        recording(campaign, door, "agree", manager, 0),
        recording(campaign, door, "decline", staff_user, 0),
    )

    won = [o for o in outcomes if isinstance(o, ConsentRecord)]
    lost = [o for o in outcomes if isinstance(o, consent.ConsentConflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    (final,) = ConsentRecord.objects.filter(project=campaign, household=door)
    assert (final.answer, final.version) == (won[0].answer, 1)
    assert ConsentRecord.history.count() == 1


def test_a_rival_cannot_commit_between_a_lookup_and_its_checks_it_waits_and_is_told(
    campaign, door, manager, staff_user, monkeypatch
):
    """The first writer looked and found no record; while it checks, its rival cannot
    commit one: `consent_record` locks the project's row (so that a vote's close waits for
    the answers being written, and they for it), the rival waits for the first to commit,
    then is told the record changed (not shown a database uniqueness error)."""
    looked, committed = threading.Event(), threading.Event()
    rival_committed_meanwhile = []
    full_clean = ConsentRecord.full_clean

    def full_clean_after_a_pause(self, *args, **kwargs):
        if threading.current_thread().name == "first":
            looked.set()
            rival_committed_meanwhile.append(committed.wait(timeout=2))
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(ConsentRecord, "full_clean", full_clean_after_a_pause)

    def first():
        try:
            return recording(campaign, door, "decline", staff_user, 0)()
        finally:
            looked.set()

    def rival():
        looked.wait(timeout=10)
        try:
            return recording(campaign, door, "agree", manager, 0)()
        finally:
            committed.set()

    first_result, rival_result = run_together(first, rival, names={0: "first", 1: "rival"})

    assert rival_committed_meanwhile == [False]
    assert isinstance(first_result, ConsentRecord), first_result
    assert isinstance(rival_result, consent.ConsentConflict), repr(rival_result)
    (final,) = ConsentRecord.objects.filter(project=campaign, household=door)
    assert (final.answer, final.recorded_by) == ("decline", staff_user)


def test_two_co_owners_voting_online_at_once_cast_one_ballot_the_first_ones(
    project_bodies, building_18, slow_save
):
    """The project's row is locked before the owners' ballots are read: the second
    co-owner waits for the first, then finds the home's ballot cast and is refused."""
    home = building_18.households["4-402"]
    first_owner = building_18.owners["4-402"]
    co_owner = ResidentFactory(name="慕容冬梅")
    MembershipFactory(resident=co_owner, household=home, relation=Membership.Relation.CO_OWNER)
    accounts = [ResidentAccountFactory(resident=r) for r in (first_owner, co_owner)]
    vote = open_vote(
        ProjectFactory(body=project_bodies.qingfeng_1, decision=True, units=[building_18.unit_4])
    )

    def casting(account, answer):
        return lambda: ballots.ballot_cast_online(project=vote, account=account, answer=answer)

    outcomes = run_together(casting(accounts[0], "agree"), casting(accounts[1], "disagree"))

    won = [o for o in outcomes if isinstance(o, list)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    (final,) = ConsentRecord.objects.filter(project=vote, household=home)
    (cast,) = won[0]
    assert (final.answer, final.voter_id, final.receipt_code) == (
        cast.answer,
        cast.voter_id,
        cast.receipt_code,
    )
    assert "your co-owner, already cast this home's ballot" in lost[0].messages[0]
    assert ConsentRecord.history.filter(id=final.pk).count() == 1
