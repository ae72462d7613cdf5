"""The writes of meetings.projects.consent: what consent_record, project_save and vote_open refuse,
and that a refusal writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jinzang.names import person_name
from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.models import OwnerRoll
from residents.owners.owners_vote import Matter
from tests.factories import HouseholdFactory, UnitFactory, stored
from tests.projects.factories import ProjectFactory, open_vote

pytestmark = pytest.mark.django_db


def snapshot():
    """What a write could change: the records, their history, and every record's own fields."""
    return (
        ConsentRecord.objects.count(),
        ConsentRecord.history.count(),
        list(
            ConsentRecord.objects.order_by("pk").values_list(
                "project", "household", "answer", "contribution", "conditions", "version"
            )
        ),
    )


def refused(field=None, **call):
    """Call consent_record and return the ValidationError's messages (for `field`, if given)."""
    with pytest.raises(ValidationError) as caught:
        consent.consent_record(**call)
    error = caught.value
    if field is not None:
        assert field in error.message_dict, error
        return error.message_dict[field]
    return error.messages


@pytest.fixture
def new_fund(project_bodies, building_18):
    """An owners' decision over unit 4 whose vote is not open yet."""
    return ProjectFactory(
        name="更换电梯",
        body=project_bodies.qingfeng_1,
        consent_kind=Project.ConsentKind.OWNERS_DECISION,
        matter=Matter.RENOVATE,
        units=[building_18.unit_4],
    )


# Refusals


def test_a_household_outside_the_project_is_refused_and_nothing_is_written(
    pipes, register, manager
):
    before = snapshot()
    for outside in (register.household_a2, register.household_b):
        messages = refused(
            "household",
            project=pipes,
            household=outside,
            answer="agree",
            recorded_by=manager,
        )
        assert messages == ["This household is not covered by the project."]
    assert snapshot() == before


def test_an_answer_of_the_other_kind_of_consent_is_refused(pipes, fund, building_18, manager):
    before = snapshot()
    h = building_18.households
    for project, household, wrong in [
        (pipes, h["4-301"], "disagree"),
        (pipes, h["4-301"], "abstain"),
        (pipes, h["4-301"], "not_voted"),
        (pipes, h["4-301"], "maybe"),
        (fund, h["4-402"], "decline"),
        (fund, h["4-402"], "undecided"),
        (fund, h["4-402"], "not_reached"),
    ]:
        messages = refused(
            "answer", project=project, household=household, answer=wrong, recorded_by=manager
        )
        assert messages == ["This answer does not fit the project's kind of consent."]
    assert snapshot() == before


def test_a_contribution_below_zero_is_refused(pipes, building_18, manager):
    before = snapshot()
    messages = refused(
        "contribution",
        project=pipes,
        household=building_18.households["4-301"],
        answer="agree",
        contribution=Decimal("-0.01"),
        recorded_by=manager,
    )
    assert messages == ["A contribution cannot be below zero."]
    assert snapshot() == before


def test_a_decision_answer_before_the_vote_opens_is_refused(new_fund, building_18, manager):
    before = snapshot()
    messages = refused(
        project=new_fund,
        household=building_18.households["4-301"],
        answer="agree",
        recorded_by=manager,
    )
    assert messages == ["The vote has not been opened yet."]
    assert snapshot() == before


def test_a_household_added_after_the_vote_opened_is_not_on_the_roll(fund, building_18, manager):
    newcomer = HouseholdFactory(unit=building_18.unit_4, door_number="501", area=Decimal(90))
    before = snapshot()
    messages = refused(
        "household", project=fund, household=newcomer, answer="agree", recorded_by=manager
    )
    assert messages == ["This household was not on the roll when the vote opened."]
    assert snapshot() == before


# History and versions


def test_changing_an_answer_keeps_the_earlier_one_in_its_history(pipes, building_18, staff_user):
    household = building_18.households["2-302"]
    current = ConsentRecord.objects.get(project=pipes, household=household)
    assert (current.answer, current.version) == ("agree", 1)

    changed = consent.consent_record(
        project=pipes,
        household=household,
        answer="decline",
        recorded_by=staff_user,
        channel=ConsentRecord.Channel.PAPER,
        expected_version=1,
    )

    assert changed.pk == current.pk
    assert (changed.answer, changed.version, changed.contribution) == ("decline", 2, None)
    history = list(changed.history.order_by("-history_date", "-history_id"))
    assert [(h.answer, h.version, h.contribution) for h in history] == [
        ("decline", 2, None),
        ("agree", 1, Decimal("800.50")),
    ]
    assert history[1].channel == "visit"


def test_a_stale_version_is_a_conflict_that_writes_nothing(pipes, building_18, manager, staff_user):
    household = building_18.households["2-301"]
    consent.consent_record(
        project=pipes,
        household=household,
        answer="decline",
        recorded_by=staff_user,
        expected_version=1,
    )
    before = snapshot()

    with pytest.raises(consent.ConsentConflict) as caught:
        consent.consent_record(
            project=pipes,
            household=household,
            answer="agree",
            contribution=Decimal("50"),
            recorded_by=manager,
            expected_version=1,
        )

    assert snapshot() == before
    assert caught.value.messages[0].startswith(
        f"{person_name(staff_user)} changed this household's record at "
    )
    assert ConsentRecord.objects.get(project=pipes, household=household).answer == "decline"


def test_version_zero_when_a_record_exists_is_a_conflict(pipes, building_18, manager):
    before = snapshot()
    with pytest.raises(consent.ConsentConflict):
        consent.consent_record(
            project=pipes,
            household=building_18.households["2-401"],
            answer="agree",
            recorded_by=manager,
            expected_version=0,
        )
    assert snapshot() == before


def test_a_version_ahead_of_the_record_is_a_conflict(pipes, building_18, manager):
    before = snapshot()
    with pytest.raises(consent.ConsentConflict):
        consent.consent_record(
            project=pipes,
            household=building_18.households["2-401"],
            answer="agree",
            recorded_by=manager,
            expected_version=2,
        )
    assert snapshot() == before


def test_the_first_record_starts_at_version_one(pipes, building_18, manager):
    created = consent.consent_record(
        project=pipes,
        household=building_18.households["4-301"],
        answer="undecided",
        recorded_by=manager,
        expected_version=0,
    )
    assert created.version == 1
    assert created.recorded_by == manager
    assert created.history.count() == 1


def test_a_contribution_is_dropped_unless_the_household_agrees(pipes, building_18, manager):
    h = building_18.households
    for door, answer in [("4-301", "decline"), ("4-302", "undecided"), ("4-401", "not_reached")]:
        saved = consent.consent_record(
            project=pipes,
            household=h[door],
            answer=answer,
            contribution=Decimal("300"),
            conditions="先修墙面",
            recorded_by=manager,
        )
        saved.refresh_from_db()
        assert saved.contribution is None
        assert saved.conditions == "先修墙面"
    agreed = consent.consent_record(
        project=pipes,
        household=h["4-402"],
        answer="agree",
        contribution=Decimal("300"),
        recorded_by=manager,
    )
    agreed.refresh_from_db()
    assert agreed.contribution == Decimal("300.00")


def test_an_owners_decision_records_no_contribution(fund, building_18, manager):
    saved = consent.consent_record(
        project=fund,
        household=building_18.households["4-402"],
        answer="agree",
        contribution=Decimal("300"),
        recorded_by=manager,
    )
    saved.refresh_from_db()
    assert saved.contribution is None


# The project and its vote


def test_the_units_of_a_project_are_frozen_once_its_vote_is_open(fund, building_18):
    project = stored(fund)
    with pytest.raises(ValidationError) as caught:
        consent.project_save(project=project, units=[building_18.unit_4, building_18.unit_2])
    assert "The vote is open" in caught.value.messages[0]
    assert list(fund.units.all()) == [building_18.unit_4]

    # saving it with the same units still works
    project.contractor = "贵州建工集团"
    consent.project_save(project=project, units=[building_18.unit_4])
    assert stored(fund).contractor == "贵州建工集团"


@pytest.mark.parametrize(
    "change",
    [
        {"matter": Matter.RENOVATE},  # from more than half to three quarters
        {"consent_kind": Project.ConsentKind.COFUNDING, "matter": ""},
    ],
    ids=["matter", "kind of consent"],
)
def test_the_question_put_to_the_owners_is_frozen_once_its_vote_is_open(fund, building_18, change):
    """Ballots were cast on one matter: changing it afterwards would change the majority
    they are counted against."""
    project = stored(fund)
    for field, value in change.items():
        setattr(project, field, value)
    with pytest.raises(ValidationError):
        consent.project_save(project=project, units=[building_18.unit_4])
    kept = stored(fund)
    assert (kept.consent_kind, kept.matter) == ("decision", Matter.USE_FUND)


def test_the_units_of_a_project_may_change_before_its_vote_opens(new_fund, building_18):
    consent.project_save(project=new_fund, units=[building_18.unit_2, building_18.unit_4])
    assert set(new_fund.units.all()) == {building_18.unit_2, building_18.unit_4}


def test_a_vote_is_open_from_its_opening_until_its_closing_time(new_fund, pipes):
    assert not new_fund.vote_is_open  # not opened yet
    opened = open_vote(new_fund)
    assert opened.vote_is_open
    opened.closes_at = timezone.now()
    assert not opened.vote_is_open
    assert not pipes.vote_is_open  # co-funding: no vote


def test_opening_the_vote_freezes_the_owners_and_areas_of_the_covered_units(new_fund, building_18):
    opened = open_vote(new_fund)
    assert opened.vote_opened_at is not None
    assert opened.status == Project.Status.COLLECTING
    entries = opened.roll.entries.order_by("household__door_number")
    assert [(e.household.door_number, e.area) for e in entries] == [
        ("301", Decimal("60.00")),
        ("302", Decimal("80.00")),
        ("401", Decimal("100.00")),
        ("402", Decimal("60.00")),
    ]


def test_a_co_funding_project_has_no_vote_to_open(pipes):
    rolls = OwnerRoll.objects.count()
    with pytest.raises(ValidationError) as caught:
        consent.vote_open(project=pipes)
    assert caught.value.messages == ["Only an owners' decision has a vote to open."]
    pipes.refresh_from_db()
    assert (pipes.roll_id, pipes.vote_opened_at) == (None, None)
    assert OwnerRoll.objects.count() == rolls


def test_a_vote_cannot_be_opened_twice(fund):
    roll, opened_at = fund.roll_id, fund.vote_opened_at
    with pytest.raises(ValidationError) as caught:
        consent.vote_open(project=fund)
    assert caught.value.messages == ["The vote is already open."]
    fund.refresh_from_db()
    assert (fund.roll_id, fund.vote_opened_at) == (roll, opened_at)
    assert OwnerRoll.objects.count() == 1


def test_a_vote_over_no_units_cannot_be_opened(project_bodies):
    project = ProjectFactory(decision=True, body=project_bodies.qingfeng_1)
    with pytest.raises(ValidationError):
        consent.vote_open(project=project)
    assert OwnerRoll.objects.count() == 0


def test_a_vote_opens_over_units_with_no_owner_on_record(project_bodies, register):
    unit = UnitFactory(building=register.building_a1, number="6")
    HouseholdFactory(unit=unit, door_number="101", area=Decimal("55"))
    project = ProjectFactory(decision=True, body=project_bodies.qingfeng_1, units=[unit])
    opened = open_vote(project)
    assert opened.roll.entries.count() == 1
