"""Answers recorded on the grid with no signal and sent later from the phone's queue
(docs/domain.md, "Recording with no signal"): each key is kept once, a newer answer on the
server comes back with both answers for a person to choose, a closed vote refuses with its
reason, and who may not record gets 403 with nothing written."""

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jinzang.models import QueuedSend
from meetings.models import ConsentRecord
from meetings.projects import consent
from tests.projects.conftest import owned_by, record
from tests.projects.factories import ProjectFactory, open_vote
from tests.projects.test_views import answer_data, snapshot

pytestmark = pytest.mark.django_db

QUEUED = {"HTTP_X_OFFLINE_QUEUE": "1"}


def record_url(project, household):
    return reverse("projects:record", args=[project.pk, household.pk])


def send(client, project, household, key=None, **fields):
    """What the phone's queue sends: the form's fields, the key, the header."""
    data = answer_data(**fields) | {"offline_key": str(key or uuid.uuid4())}
    return client.post(record_url(project, household), data, **QUEUED)


def test_a_queued_answer_is_stored_with_its_key_and_answered_in_json(
    manager_client, manager, pipes, building_18
):
    household = building_18.households["4-301"]
    key = uuid.uuid4()
    response = send(manager_client, pipes, household, key, answer="agree", contribution="600")
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "stored"
    assert answer["made"] == {
        "household": household.pk,
        "answer": "agree",
        "version": 1,
        "answer_label": "Agrees",
        "mark": "✓",
        "cell_label": "Unit 4, door 301: Agrees",
    }
    stored = ConsentRecord.objects.get(project=pipes, household=household)
    assert (stored.answer, stored.contribution, stored.recorded_by) == (
        "agree",
        Decimal("600"),
        manager,
    )
    send_row = QueuedSend.objects.get()
    assert (send_row.key, send_row.user, send_row.path) == (
        key,
        manager,
        record_url(pipes, household),
    )
    assert send_row.made == {"household": household.pk, "answer": "agree", "version": 1}


def test_the_same_key_sent_again_changes_nothing_and_is_answered_already_received(
    manager_client, pipes, building_18
):
    household = building_18.households["4-302"]
    key = uuid.uuid4()
    first = send(manager_client, pipes, household, key, answer="agree").json()
    before = snapshot()
    # The same send again (its answer was lost on the way back), then once more with what
    # would now be a stale version and another answer: neither changes anything.
    again = send(manager_client, pipes, household, key, answer="agree")
    stale = send(manager_client, pipes, household, key, answer="decline")
    assert snapshot() == before
    assert QueuedSend.objects.count() == 1
    for response in (again, stale):
        assert response.status_code == 200
        assert response.json() == {"status": "duplicate", "made": first["made"]}


def test_a_key_is_kept_once_even_when_the_write_would_now_be_refused(
    manager_client, manager, fund, building_18
):
    """The vote closed after the first send was received: a second send of its key is a
    duplicate, not a refusal."""
    household = building_18.households["4-402"]
    key = uuid.uuid4()
    assert send(manager_client, fund, household, key, answer="agree").json()["status"] == "stored"
    consent.vote_close(project=fund, by=manager, reason="业主大会决定提前结束")
    assert send(manager_client, fund, household, key, answer="agree").json()["status"] == (
        "duplicate"
    )


def test_an_answer_recorded_meanwhile_comes_back_with_both_answers(
    manager_client, staff_user, pipes, building_18
):
    household = building_18.households["2-401"]  # declines, version 1, recorded by the manager
    record(pipes, household, "undecided", staff_user)  # meanwhile, by someone else: version 2
    before = snapshot()
    key = uuid.uuid4()
    response = send(manager_client, pipes, household, key, answer="agree", version=1)
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert answer["version_field"] == "version"
    assert answer["version"] == 2
    recorded = answer["recorded"]
    assert (recorded["answer"], recorded["answer_label"], recorded["by"], recorded["version"]) == (
        "undecided",
        "Undecided",
        "廖书英",
        2,
    )
    assert recorded["at"]
    assert answer["queued"] == {"answer": "agree", "answer_label": "Agrees"}
    assert "after you opened it" in answer["reasons"][0]
    assert snapshot() == before
    assert not QueuedSend.objects.exists()  # the key may be sent again once chosen


def test_use_mine_sends_the_same_key_against_the_recorded_version_and_applies_it_once(
    manager_client, staff_user, pipes, building_18
):
    household = building_18.households["2-401"]
    record(pipes, household, "undecided", staff_user)
    key = uuid.uuid4()
    conflict = send(manager_client, pipes, household, key, answer="agree", version=1).json()
    mine = send(manager_client, pipes, household, key, answer="agree", version=conflict["version"])
    assert mine.json()["status"] == "stored"
    again = send(manager_client, pipes, household, key, answer="agree", version=conflict["version"])
    assert again.json()["status"] == "duplicate"
    stored = ConsentRecord.objects.get(project=pipes, household=household)
    assert (stored.answer, stored.version) == ("agree", 3)
    assert stored.history.count() == 3  # decline, undecided, agree: "use mine" applied once


def test_a_closed_vote_refuses_the_queued_answer_with_the_reason(
    manager_client, manager, fund, building_18
):
    household = building_18.households["4-402"]
    consent.vote_close(project=fund, by=manager, reason="业主大会决定提前结束")
    before = snapshot()
    response = send(manager_client, fund, household, answer="agree")
    assert response.status_code == 422
    answer = response.json()
    assert answer["status"] == "refused"
    assert "closed" in " ".join(answer["reasons"])
    assert snapshot() == before
    assert not QueuedSend.objects.exists()


def test_an_owners_decision_asks_which_owner_voted_where_the_roll_has_several(
    manager_client, project_bodies, building_18
):
    household = building_18.households["4-402"]  # 慕容秋菊's, now co-owned by 上官银锁
    spouse = owned_by(building_18.owners["4-301"], household, relation="co_owner").resident
    decision = open_vote(
        ProjectFactory(body=project_bodies.qingfeng_1, decision=True, units=[building_18.unit_4])
    )
    refused = send(manager_client, decision, household, answer="agree")
    assert refused.status_code == 422
    assert refused.json()["reasons"] == ["Choose which owner voted."]
    grid = manager_client.get(
        reverse("projects:grid", args=[decision.pk, household.unit.building_id])
    )
    cell = grid.content.decode().split(f'id="cell-{household.pk}"')[1].split(">")[0]
    assert "data-voters=" in cell and "上官银锁" in cell and "慕容秋菊" in cell
    stored = send(manager_client, decision, household, answer="agree", voter=spouse.pk)
    assert stored.json()["status"] == "stored"
    assert ConsentRecord.objects.get(project=decision, household=household).voter == spouse


def test_a_user_who_may_see_but_not_record_gets_403_and_nothing_is_stored(
    reader_client, pipes, building_18
):
    before = snapshot()
    response = send(reader_client, pipes, building_18.households["4-301"], answer="agree")
    assert response.status_code == 403
    assert response.json()["status"] == "forbidden"
    assert snapshot() == before
    assert not QueuedSend.objects.exists()


def test_a_household_out_of_the_users_part_is_gone_and_a_logged_out_send_is_told_to_log_in(
    log_in, community_b_user, pipes, building_18
):
    household = building_18.households["4-301"]
    gone = send(log_in(community_b_user), pipes, household, answer="agree")
    assert (gone.status_code, gone.json()["status"]) == (404, "gone")
    signed_out = send(Client(), pipes, household, answer="agree")
    assert (signed_out.status_code, signed_out.json()["status"]) == (401, "signed_out")
    assert not ConsentRecord.objects.filter(household=household).exists()


def test_a_send_without_a_valid_key_or_with_a_bad_form_is_refused_with_reasons(
    manager_client, pipes, building_18
):
    household = building_18.households["4-301"]
    data = answer_data(answer="agree") | {"offline_key": "not-a-key"}
    no_key = manager_client.post(record_url(pipes, household), data, **QUEUED)
    assert (no_key.status_code, no_key.json()["status"]) == (422, "refused")
    bad = send(manager_client, pipes, household, answer="agree", contribution="-5")
    assert bad.status_code == 422
    assert bad.json()["reasons"] == ["Contribution (yuan): A contribution cannot be below zero."]
    assert not ConsentRecord.objects.filter(household=household).exists()
    assert not QueuedSend.objects.exists()


def test_without_the_queues_header_a_post_is_answered_as_before_and_keeps_no_key(
    manager_client, pipes, building_18
):
    household = building_18.households["4-301"]
    data = answer_data(answer="agree") | {"offline_key": str(uuid.uuid4())}
    response = manager_client.post(record_url(pipes, household), data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "projects:grid", args=[pipes.pk, household.unit.building_id]
    )
    assert not QueuedSend.objects.exists()
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "agree"


def test_a_send_queued_under_another_account_is_refused_and_waits_for_it(
    manager_client, manager, staff_user, pipes, building_18
):
    """A tab of one account left open while another signs in: its queue would send with
    the other's session. The send says whose it is; it is refused as "signed out", nothing
    is recorded, and it waits for its own account."""
    household = building_18.households["4-301"]
    key = uuid.uuid4()
    response = send(
        manager_client, pipes, household, key, answer="agree", offline_user=str(staff_user.pk)
    )
    assert response.status_code == 401
    assert response.json()["status"] == "signed_out"
    assert not ConsentRecord.objects.filter(project=pipes, household=household).exists()
    assert not QueuedSend.objects.exists()
    # Its own account sends it.
    ok = send(manager_client, pipes, household, key, answer="agree", offline_user=str(manager.pk))
    assert ok.json()["status"] == "stored"


def test_a_key_sent_again_for_another_household_records_nothing(manager_client, pipes, building_18):
    first, other = building_18.households["4-301"], building_18.households["4-302"]
    key = uuid.uuid4()
    assert send(manager_client, pipes, first, key, answer="agree").json()["status"] == "stored"
    response = send(manager_client, pipes, other, key, answer="agree")
    assert response.status_code == 422
    assert response.json()["status"] == "refused"
    assert not ConsentRecord.objects.filter(project=pipes, household=other).exists()
