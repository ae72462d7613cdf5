import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees.facilities import services
from committees.facilities import services as facility_services
from committees.models import Facility, FacilityInspection, RequestCategory, ResidentRequest
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory, UserFactory, stored
from tests.requests.factories import RequestCategoryFactory

pytestmark = pytest.mark.django_db

Cond = Facility.Condition


def inspect(facility, days_ago, condition, **kwargs):
    return services.facility_inspect(
        facility=facility,
        inspected_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        condition=condition,
        **kwargs,
    )


def test_courtyard_member_sees_only_the_facilities_of_their_courtyard(
    courtyard_member, member_a, staff_user, outsider, fitness, fire_station, shed_b
):
    def names(user):
        return sorted(Facility.objects.visible_to(user).values_list("name", flat=True))

    assert names(courtyard_member) == ["健身区"]
    assert names(member_a) == ["健身区", "微型消防站"]
    assert names(staff_user) == ["健身区", "微型消防站"]
    assert names(outsider) == []


def test_the_newest_inspection_sets_condition_and_date(fitness, staff_user):
    inspect(fitness, 10, Cond.WORN, inspected_by=staff_user)
    assert (stored(fitness).condition, stored(fitness).last_inspected) == (
        Cond.WORN,
        timezone.localdate() - datetime.timedelta(days=10),
    )
    # an older inspection recorded late joins the history without overriding
    inspect(fitness, 30, Cond.BROKEN)
    assert stored(fitness).condition == Cond.WORN
    assert fitness.inspections.count() == 2


def test_an_inspection_in_the_future_is_refused_and_changes_nothing(fitness):
    with pytest.raises(ValidationError):
        inspect(fitness, -1, Cond.BROKEN)
    assert stored(fitness).condition == Cond.GOOD
    assert not FacilityInspection.objects.exists()


def test_reporting_a_facility_broken_opens_a_request_for_its_committee(bodies, fitness, staff_user):
    category = RequestCategoryFactory(name="健身与公共设施", for_facilities=True)
    request = facility_services.facility_report_broken(
        facility=fitness, reported_by=staff_user, description="漫步机踏板断裂"
    )
    assert stored(fitness).condition == Cond.BROKEN
    assert (request.facility, request.compound, request.category) == (
        fitness,
        fitness.compound,
        category,
    )
    assert request.handling_body == bodies.qingfeng_1
    assert request.title == "健身区 is broken"
    assert request.status == ResidentRequest.Status.RECEIVED
    assert list(fitness.requests.open()) == [request]
    # the courtyard's chair may act on it and sees it in the queue
    assert request.can_act(bodies.qingfeng_1_user)
    assert ResidentRequest.objects.visible_to(bodies.qingfeng_1_user).filter(pk=request.pk)


def test_a_facilities_category_is_made_when_none_is_marked(fitness, staff_user):
    request = facility_services.facility_report_broken(
        facility=fitness, reported_by=staff_user, description="坏了"
    )
    assert request.category.for_facilities
    assert RequestCategory.objects.filter(for_facilities=True).count() == 1


def test_a_refused_report_leaves_the_facility_as_it_was(fitness, staff_user):
    with pytest.raises(ValidationError):
        facility_services.facility_report_broken(
            facility=fitness, reported_by=staff_user, description="  "
        )
    with pytest.raises(ValidationError):
        facility_services.facility_report_broken(
            facility=fitness,
            reported_by=staff_user,
            description="坏了",
            received_at=timezone.now() + datetime.timedelta(days=1),
            title="x" * 300,
        )
    assert stored(fitness).condition == Cond.GOOD
    assert not ResidentRequest.objects.exists()


def test_the_facility_list_shows_condition_and_open_requests(staff_client, fitness, staff_user):
    facility_services.facility_report_broken(
        facility=fitness, reported_by=staff_user, description="坏了"
    )
    response = staff_client.get(reverse("facilities:list"), {"condition": "broken"})
    assert [(f.name, f.n_open) for f in response.context["facilities"]] == [("健身区", 1)]
    assert "Broken" in response.text


def test_outsiders_get_404_and_readers_without_a_seat_403(
    register, fitness, member_client, staff_client
):
    user_b = UserFactory(username="b")
    AccessGrantFactory(user=user_b, compound=register.compound_b)
    url = reverse("facilities:detail", args=[fitness.pk])
    assert logged_in(user_b).get(url).status_code == 404
    assert member_client.get(url).status_code == 200
    assert "Record an inspection" not in member_client.get(url).text
    for action in ("facilities:inspect", "facilities:report"):
        assert member_client.get(reverse(action, args=[fitness.pk])).status_code == 403
        assert logged_in(user_b).get(reverse(action, args=[fitness.pk])).status_code == 404
    assert "Record an inspection" in staff_client.get(url).text


def test_the_courtyard_chair_reports_it_broken_from_the_page(bodies, fitness):
    client = logged_in(bodies.qingfeng_1_user)
    response = client.post(
        reverse("facilities:report", args=[fitness.pk]),
        {"condition": "out_of_service", "title": "", "description": "单杠松动"},
    )
    request = ResidentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert stored(fitness).condition == Cond.OUT_OF_SERVICE
    page = client.get(reverse("facilities:detail", args=[fitness.pk]))
    assert request.title in page.text


def test_bad_inspection_input_shows_a_message_and_records_nothing(staff_client, fitness):
    url = reverse("facilities:inspect", args=[fitness.pk])
    for data, message in [
        ({"inspected_on": "2199-01-01", "condition": "good"}, "cannot lie in the future"),
        ({"inspected_on": "yesterday", "condition": "good"}, "Enter a valid date."),
        ({"inspected_on": "2024-01-01", "condition": "shiny"}, "Select a valid choice."),
    ]:
        response = staff_client.post(url, data)
        assert response.status_code == 200 and message in response.text
    assert not FacilityInspection.objects.exists()
    response = staff_client.post(url, {"inspected_on": "2024-01-01", "condition": "worn"})
    assert response.status_code == 302
    assert stored(fitness).condition == Cond.WORN


def test_facility_pages_run_a_fixed_number_of_queries(
    django_assert_num_queries, staff_client, staff_user, fitness, register
):
    for more in (2, 5):
        for i in range(more):
            other = Facility.objects.create(
                compound=register.compound_a, kind="other", name=f"设施{Facility.objects.count()}"
            )
            inspect(other, 3, Cond.GOOD, inspected_by=staff_user)
            inspect(fitness, i + 1, Cond.WORN, inspected_by=staff_user)
            facility_services.facility_report_broken(
                facility=fitness, reported_by=staff_user, description="坏了"
            )
        # session, user, grants, count, page, the filter's compounds
        with django_assert_num_queries(6):
            assert staff_client.get(reverse("facilities:list")).status_code == 200
        # session, user, grants, facility, inspections, open requests (+ the category)
        with django_assert_num_queries(6):
            assert (
                staff_client.get(reverse("facilities:detail", args=[fitness.pk])).status_code == 200
            )
