"""Recording a visit: with a consent answer and a request in the same step, all or nothing."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from committees.models import ResidentRequest
from meetings.models import ConsentRecord, Purpose, Visit
from meetings.projects.consent import ConsentConflict
from meetings.visits.fieldwork import campaign_progress
from meetings.visits.services import visit_record
from residents.models import CareRecord
from tests.factories import stored
from tests.visits.conftest import days_ago

pytestmark = pytest.mark.django_db


def counts():
    return (Visit.objects.count(), ConsentRecord.objects.count(), ResidentRequest.objects.count())


def test_a_visit_records_a_consent_answer_and_opens_a_request_in_one_step(
    pipes, building_18, staff_user, category, campaign
):
    household = building_18.households["4-301"]
    visit = visit_record(
        household=household,
        purpose=Purpose.MOBILISATION,
        recorded_by=staff_user,
        visitors=[staff_user],
        campaign=campaign,
        consent_project=pipes,
        consent_answer="agree",
        contribution=Decimal("900.00"),
        conditions="修复墙面",
        request_category=category,
        request_title="楼道灯不亮",
    )
    visit = stored(visit)
    assert visit.consent.answer == "agree"
    assert visit.consent.contribution == Decimal("900.00")
    assert visit.consent.channel == ConsentRecord.Channel.VISIT
    assert visit.request.household == household
    assert visit.request.received_through == ResidentRequest.Channel.VISIT
    assert list(visit.visitors.all()) == [staff_user]
    assert visit.campaign == campaign


def test_a_refused_consent_answer_writes_no_visit_and_no_request(
    pipes, building_18, staff_user, category
):
    before = counts()
    with pytest.raises(ValidationError):
        visit_record(
            household=building_18.households["4-301"],
            purpose=Purpose.MOBILISATION,
            recorded_by=staff_user,
            consent_project=pipes,
            consent_answer="disagree",  # an owners' decision answer, not co-funding
            request_category=category,
            request_title="楼道灯不亮",
        )
    assert counts() == before


def test_an_answer_changed_meanwhile_is_a_conflict_and_nothing_is_written(
    pipes, building_18, staff_user
):
    before = counts()
    with pytest.raises(ConsentConflict):
        visit_record(
            household=building_18.households["2-401"],  # declined already: version 1
            purpose=Purpose.MOBILISATION,
            recorded_by=staff_user,
            consent_project=pipes,
            consent_answer="agree",
            consent_version=0,
        )
    assert counts() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"visited_on": days_ago(-1)}, "visited_on"),
        ({"visited_on": days_ago(60)}, "visited_on"),  # before the campaign started
        ({"outcome": Visit.Outcome.NOT_HOME, "request_title": "路灯坏了"}, "outcome"),
    ],
)
def test_bad_visits_are_refused_with_the_field_named(
    register, staff_user, campaign, category, change, field
):
    before = counts()
    kwargs = {
        "household": register.household_a1,
        "purpose": Purpose.OPINION,
        "recorded_by": staff_user,
        "campaign": campaign,
        "request_category": category,
        **change,
    }
    with pytest.raises(ValidationError) as error:
        visit_record(**kwargs)
    assert field in error.value.error_dict
    assert counts() == before


def test_a_campaign_does_not_take_visits_outside_its_compound(register, staff_user, campaign):
    with pytest.raises(ValidationError) as error:
        visit_record(
            household=register.household_b,
            purpose=Purpose.OPINION,
            recorded_by=staff_user,
            campaign=campaign,
        )
    assert "campaign" in error.value.error_dict


def test_a_care_visit_must_be_to_the_cared_for_household(register, staff_user, care):
    with pytest.raises(ValidationError) as error:
        visit_record(
            household=register.household_a2,
            purpose=Purpose.CARE,
            recorded_by=staff_user,
            care_record=care,
        )
    assert "care_record" in error.value.error_dict


def test_campaign_progress_counts_visits_households_and_buildings(
    register, building_18, staff_user, campaign
):
    for key in ("2-301", "2-302", "2-302"):
        visit_record(
            household=building_18.households[key],
            purpose=Purpose.OPINION,
            recorded_by=staff_user,
            campaign=campaign,
            visited_on=days_ago(3),
        )
    progress = campaign_progress(campaign)
    assert progress.visits == 3
    assert progress.households_reached == 2
    assert progress.households_total == 9  # building 18's 8 doors + building 17's one
    by_building = {b.number: (b.n_households, b.n_reached) for b in progress.buildings}
    assert by_building == {"18": (8, 2), "17": (1, 0)}
    assert progress.share_of_goal == Fraction(3, 20)
    assert sum(n for _, n in progress.weekly) == 3


def test_a_care_visit_is_due_after_its_interval(register, staff_user, care):
    due = CareRecord.objects.with_last_care_visit().due()
    assert list(due) == [care]  # last visited 10 days ago, due every 7
    visit_record(
        household=register.household_a1,
        purpose=Purpose.CARE,
        recorded_by=staff_user,
        care_record=care,
    )
    assert not CareRecord.objects.with_last_care_visit().due().exists()
    record = CareRecord.objects.with_last_care_visit().get()
    assert record.last_visit == days_ago(0)
    assert str(record.due_on)[:10] == str(days_ago(-7))


def test_a_never_visited_record_is_due_from_its_start(register, staff_user):
    record = CareRecord.objects.create(
        community=register.community_a,
        resident=register.resident_a2,
        household=register.household_a2,
        circumstance=CareRecord.Circumstance.LOW_INCOME,
        visit_every_days=30,
        started_on=days_ago(31),
    )
    assert list(CareRecord.objects.with_last_care_visit().due()) == [record]
    record.started_on = days_ago(5)
    record.save()
    assert not CareRecord.objects.with_last_care_visit().due().exists()


def test_an_ended_care_record_is_never_due(care):
    care.ended_on = days_ago(1)
    care.end_reason = "搬去子女家"
    care.save()
    assert not CareRecord.objects.with_last_care_visit().due().exists()


def test_a_care_record_refuses_a_household_the_resident_does_not_belong_to(register):
    record = CareRecord(
        community=register.community_a,
        resident=register.resident_a1,
        household=register.household_a2,
        circumstance=CareRecord.Circumstance.OTHER,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "household" in error.value.error_dict
