"""Visits recorded with no signal and sent later from the phone's queue (docs/domain.md,
"Recording with no signal"): kept once per key, their consent answer checked against the
version the form showed, refusals answered with their reasons; and the visit form is kept
on the phone only when it names nobody's care."""

import uuid

import pytest
from django.urls import reverse

from jinzang.models import QueuedSend
from jinzang.offline import KEEP_HEADER
from meetings.models import ConsentRecord, Visit
from tests.projects.conftest import record
from tests.visits.test_views import new_visit_url, visit_data

pytestmark = pytest.mark.django_db

QUEUED = {"HTTP_X_OFFLINE_QUEUE": "1"}


def send(client, household, key=None, **changes):
    data = visit_data(**changes) | {"offline_key": str(key or uuid.uuid4())}
    return client.post(new_visit_url(household), data, **QUEUED)


def test_a_queued_visit_is_recorded_once_whatever_the_number_of_sends(
    staff_client, staff_user, building_18
):
    household = building_18.households["4-301"]
    key = uuid.uuid4()
    first = send(staff_client, household, key, visitors=[staff_user.pk])
    assert first.status_code == 200
    visit = Visit.objects.get()
    assert first.json() == {
        "status": "stored",
        "made": {
            "household": household.pk,
            "visit": visit.pk,
            "url": reverse("visits:visit", args=[visit.pk]),
        },
    }
    assert (visit.household, visit.recorded_by, visit.notes) == (
        household,
        staff_user,
        "反映停车难。",
    )
    for _ in range(2):
        again = send(staff_client, household, key, visitors=[staff_user.pk])
        assert again.json() == {"status": "duplicate", "made": first.json()["made"]}
    assert Visit.objects.count() == 1
    assert QueuedSend.objects.get().made == {"household": household.pk, "visit": visit.pk}


def test_two_visits_queued_from_one_kept_form_are_two_visits(staff_client, building_18):
    """The kept page's one-time token would make the second a double send: the queue sends
    without it, each visit under its own key."""
    household = building_18.households["4-301"]
    page = staff_client.get(new_visit_url(household))
    once = page.context["form"].initial["once"]
    for notes in ("第一次", "第二次"):
        assert send(staff_client, household, notes=notes).json()["status"] == "stored"
    assert sorted(Visit.objects.values_list("notes", flat=True)) == ["第一次", "第二次"]
    # Sent as the form sends it online, the token still guards against a double tap.
    assert staff_client.post(new_visit_url(household), visit_data(once=once)).status_code == 302
    assert staff_client.post(new_visit_url(household), visit_data(once=once)).status_code == 302
    assert Visit.objects.count() == 3


def test_a_visits_answer_recorded_meanwhile_comes_back_with_both_answers(
    staff_client, manager, building_18, pipes
):
    household = building_18.households["2-401"]  # declined by the manager: version 1
    record(pipes, household, "undecided", manager)  # meanwhile: version 2
    changes = {"consent_project": pipes.pk, "consent_answer": "agree", f"version_{pipes.pk}": "1"}
    key = uuid.uuid4()
    response = send(staff_client, household, key, **changes)
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert answer["version_field"] == f"version_{pipes.pk}"
    assert answer["version"] == 2
    assert answer["recorded"]["answer"] == "undecided"
    assert answer["recorded"]["by"] == "李华玉"
    assert answer["queued"] == {"answer": "agree", "answer_label": "Agrees"}
    assert not Visit.objects.exists()
    # "Use mine": the same key, against the version now recorded.
    mine = send(staff_client, household, key, **changes | {f"version_{pipes.pk}": "2"})
    assert mine.json()["status"] == "stored"
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "agree"
    assert Visit.objects.get().consent.answer == "agree"


def test_keeping_the_recorded_answer_still_records_the_visit_once(
    staff_client, manager, building_18, pipes
):
    """ "Keep the recorded one" on a queued visit: the phone sends the visit again under the
    same key without the answer it carried; the visit is recorded, the answer stays."""
    household = building_18.households["2-401"]
    record(pipes, household, "undecided", manager)
    changes = {"consent_project": pipes.pk, "consent_answer": "agree", f"version_{pipes.pk}": "1"}
    key = uuid.uuid4()
    assert send(staff_client, household, key, **changes).status_code == 409
    kept = send(staff_client, household, key)
    assert kept.json()["status"] == "stored"
    assert send(staff_client, household, key).json()["status"] == "duplicate"
    visit = Visit.objects.get()
    assert visit.notes == "反映停车难。" and visit.consent is None
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "undecided"


def test_use_mine_for_a_household_with_no_answer_when_the_form_was_opened(
    staff_client, manager, building_18, pipes
):
    """The form showed no answer (so it had no version field): someone answered meanwhile,
    and "use mine" sends the version the conflict gave."""
    household = building_18.households["4-301"]
    assert not ConsentRecord.objects.filter(project=pipes, household=household).exists()
    key = uuid.uuid4()
    changes = {"consent_project": pipes.pk, "consent_answer": "agree"}
    record(pipes, household, "undecided", manager)
    conflict = send(staff_client, household, key, **changes)
    assert conflict.status_code == 409
    version = conflict.json()
    mine = send(staff_client, household, key, **changes | {version["version_field"]: "1"})
    assert mine.json()["status"] == "stored"
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "agree"


def test_a_refused_visit_is_answered_with_its_reasons_and_writes_nothing(staff_client, building_18):
    household = building_18.households["4-301"]
    response = send(staff_client, household, visited_on="2024-02-30")
    assert response.status_code == 422
    assert response.json() == {"status": "refused", "reasons": ["Date: Enter a valid date."]}
    assert not Visit.objects.exists()
    assert not QueuedSend.objects.exists()


def test_a_household_out_of_the_users_part_is_gone(log_in, community_b_user, building_18):
    response = send(log_in(community_b_user), building_18.households["4-301"])
    assert (response.status_code, response.json()["status"]) == (404, "gone")
    assert not Visit.objects.exists()


def test_the_visit_form_is_kept_offline_unless_it_names_someones_care(
    staff_client, member_client, register, care
):
    # 李华玉's household has a care record open: staff see it on the form, which stays off
    # the phone; a committee member's form does not show it, and is kept.
    assert KEEP_HEADER not in staff_client.get(new_visit_url(register.household_a1)).headers
    assert (
        KEEP_HEADER
        not in staff_client.get(new_visit_url(register.household_a1, care=care.pk)).headers
    )
    assert member_client.get(new_visit_url(register.household_a1)).headers[KEEP_HEADER] == "1"
    assert staff_client.get(new_visit_url(register.household_a2)).headers[KEEP_HEADER] == "1"
