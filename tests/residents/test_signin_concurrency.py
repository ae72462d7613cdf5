"""Two people binding the same letter's code at the same moment (PostgreSQL only: SQLite
cannot run two writing connections in a test). The letter's row is locked while it is
checked, so one gets the account and the other is told the letter has been used."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from residents.accounts import binding
from residents.models import ResidentAccount
from tests.factories import stored
from tests.projects.test_concurrency import HOLD, run_together
from tests.residents.letter_rows import letter_issued

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite cannot run two writing connections in a test",
    ),
]


def test_two_binding_one_code_at_once_make_one_account_and_the_other_is_told(register, monkeypatch):
    letter, code = letter_issued(resident=register.resident_a1, household=register.household_a1)
    check = binding._check_username

    def slow_check(*args, **kwargs):
        time.sleep(HOLD)  # inside the transaction, the letter locked: the rival arrives
        return check(*args, **kwargs)

    monkeypatch.setattr(binding, "_check_username", slow_check)

    def binder(username):
        return lambda: binding.account_bind(
            code=code, username=username, password="qingfeng-courtyard-18"
        )

    outcomes = run_together(binder("first"), binder("second"))
    won = [o for o in outcomes if isinstance(o, ResidentAccount)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    assert "already been used" in lost[0].messages[0]
    assert ResidentAccount.objects.get().user.username == won[0].user.username
    assert stored(letter).used_at is not None
