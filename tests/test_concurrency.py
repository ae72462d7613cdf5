"""Two people saving the same household or the same agenda item's minutes at the same
moment (PostgreSQL only): each thread has its own connection, one wins, the other is told,
and the winner's edit is not overwritten."""

import time

import pytest
from django.db import connection

from jinzang.concurrency import EditConflict
from meetings.meetings import services as meeting_services
from meetings.models import AgendaItem
from residents.models import Household
from residents.register.services import household_save
from tests.factories import stored
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.projects.test_concurrency import HOLD, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite cannot run two writing connections in a test",
    ),
]


@pytest.fixture
def slow_saves(monkeypatch):
    """Each save waits inside its transaction, after claiming the version: the first
    writer holds the row while the other arrives."""
    for model in (Household, AgendaItem):
        save = model.save

        def slow(self, *args, _save=save, **kwargs):
            time.sleep(HOLD)
            return _save(self, *args, **kwargs)

        monkeypatch.setattr(model, "save", slow)


def household_edit(original, user, notes):
    def call():
        household = stored(original)  # the page each opened, at version 1
        household.notes = notes
        household._history_user = user
        return household_save(household=household, version=1)

    return call


def test_two_people_saving_one_household_at_once_one_wins_and_the_other_is_told(
    register, staff_user, member_a, slow_saves
):
    household = register.household_a1
    pk = household.pk
    outcomes = run_together(
        household_edit(household, staff_user, "甲的备注"),
        household_edit(household, member_a, "乙的备注"),
    )

    won = [o for o in outcomes if isinstance(o, Household)]
    lost = [o for o in outcomes if isinstance(o, EditConflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    now = stored(household)
    assert (now.notes, now.version) == (won[0].notes, 2)
    assert "changed this household at" in lost[0].messages[0]
    assert Household.history.filter(id=pk, notes__in=["甲的备注", "乙的备注"]).count() == 1


def test_two_people_saving_one_items_minutes_at_once_keep_only_the_winners(register, slow_saves):
    item = AgendaItemFactory(meeting=MeetingFactory(), minutes="")

    def edit(minutes):
        def call():
            return meeting_services.item_update(
                item=stored(item),
                title=item.title,
                minutes=minutes,
                version=1,
            )

        return call

    outcomes = run_together(edit("甲的纪要"), edit("乙的纪要"))

    won = [o for o in outcomes if isinstance(o, AgendaItem)]
    lost = [o for o in outcomes if isinstance(o, EditConflict)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    now = stored(item)
    assert (now.minutes, now.version) == (won[0].minutes, 2)
