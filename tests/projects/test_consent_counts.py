"""The one home of the consent counts (meetings/projects/tally.py) and of the missing
answer (`Project.missing_answer`): the grid, its legend, the project's counts and the
dashboard count the same households the same way."""

from fractions import Fraction

import pytest

from meetings.models import ConsentRecord, Project
from meetings.projects import tally
from tests.projects.conftest import record
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_household_without_a_record_has_not_been_reached_or_has_not_voted(pipes, fund):
    assert pipes.missing_answer == ConsentRecord.Answer.NOT_REACHED
    assert fund.missing_answer == ConsentRecord.Answer.NOT_VOTED
    assert pipes.answers == ConsentRecord.COFUNDING_ANSWERS
    assert fund.answers == ConsentRecord.DECISION_ANSWERS


def test_the_grid_counts_each_household_once_under_its_answer(
    pipes, building_18, django_assert_num_queries
):
    with django_assert_num_queries(1):
        households, counts = tally.building_households(pipes, building_18.building)

    answers = {f"{h.unit.number}-{h.door_number}": h.answer for h in households}
    assert answers == {
        "2-301": "agree",
        "2-302": "agree",
        "2-401": "decline",
        "2-402": "undecided",
        "4-301": "not_reached",
        "4-302": "not_reached",
        "4-401": "not_reached",
        "4-402": "not_reached",
    }
    assert counts == {"agree": 2, "decline": 1, "undecided": 1, "not_reached": 4}


def test_the_legend_counted_by_the_database_matches_the_grid(
    pipes, building_18, django_assert_num_queries
):
    _households, counts = tally.building_households(pipes, building_18.building)

    with django_assert_num_queries(1):
        assert tally.building_answers(pipes, building_18.building.pk) == counts


def test_a_recorded_not_reached_counts_with_the_households_never_recorded(
    pipes, building_18, manager
):
    record(pipes, building_18.households["4-301"], "not_reached", manager)

    assert tally.building_answers(pipes, building_18.building.pk)["not_reached"] == 4
    assert tally.answer_counts(pipes)["not_reached"] == 4


def test_a_decision_counts_its_missing_answers_as_not_voted(fund, building_18):
    expected = {"agree": 2, "disagree": 1, "not_voted": 1}

    assert tally.building_answers(fund, building_18.building.pk) == expected
    assert tally.answer_counts(fund) == {**expected, "total": 4}


def test_the_project_counts_and_the_grid_agree_on_one_building(pipes, building_18):
    _households, counts = tally.building_households(pipes, building_18.building)

    assert tally.answer_counts(pipes) == {**counts, "total": 8}


def test_the_summary_gives_the_verdict_only_once_the_vote_opened(pipes, fund, project_bodies):
    closed = ProjectFactory(decision=True, body=project_bodies.qingfeng_1)

    assert tally.summary(closed)["tally"] is None
    assert tally.summary(fund)["tally"].passed
    assert [b.households for b in tally.summary(pipes)["buildings"]] == [8]
    assert "tally" not in tally.summary(pipes)


def test_records_still_to_visit_are_the_undecided_and_the_unreached(pipes, building_18, manager):
    assert list(pipes.consents.outstanding()) == [
        ConsentRecord.objects.get(project=pipes, answer="undecided")
    ]

    record(pipes, building_18.households["4-301"], "not_reached", manager)

    assert {r.answer for r in pipes.consents.outstanding()} == {"undecided", "not_reached"}


def test_the_dashboard_lists_projects_collecting_consent_with_households_agreeing(
    staff_user, outsider, pipes, fund
):
    progress = tally.active_projects(staff_user)

    assert [(p.project, p.agree, p.households) for p in progress] == [
        (fund, 2, 4),
        (pipes, 2, 8),
    ]
    assert progress[1].share == Fraction(1, 4)
    assert tally.active_projects(outsider) == []


def test_the_dashboard_leaves_out_projects_no_longer_collecting(staff_user, pipes):
    Project.objects.filter(pk=pipes.pk).update(status=Project.Status.DONE)

    assert tally.active_projects(staff_user) == []
