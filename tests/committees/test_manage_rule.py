"""The manage rule (committees/models/bodies.py: manages, manages_place): staff of a
community manage everything in it, a body's current members what the body holds, and
nobody anything of another community; every managed model answers `can_manage`."""

import pytest
from django.contrib.auth.models import AnonymousUser

from committees.models import (
    Body,
    Facility,
    Fund,
    Notice,
    ResidentRequest,
    VolunteerTeam,
    manages,
    manages_anything,
    manages_place,
)
from meetings.models import Meeting, Project, VisitCampaign

pytestmark = pytest.mark.django_db


def test_every_managed_model_answers_can_manage():
    models = [Body, Fund, Facility, VolunteerTeam, ResidentRequest, Notice, Meeting, Project]
    for model in [*models, VisitCampaign]:
        assert callable(getattr(model, "can_manage", None)), model.__name__


def test_staff_manage_everything_of_their_community_and_nothing_of_another(
    register, bodies, staff_user
):
    assert bodies.bailajing.can_manage(staff_user)
    assert bodies.qingfeng_1.can_manage(staff_user)
    assert manages(staff_user, community_id=register.community_a.pk)
    assert not bodies.qianling.can_manage(staff_user)
    assert not manages(staff_user, community_id=register.community_b.pk)


def test_a_body_is_managed_by_its_own_current_members_only(bodies):
    assert bodies.bailajing.can_manage(bodies.bailajing_user)
    assert not bodies.qingfeng_1.can_manage(bodies.bailajing_user)
    assert not manages(bodies.bailajing_user, community_id=bodies.bailajing.community_id)


def test_a_place_is_managed_by_the_committee_serving_it(register, bodies):
    user = bodies.qingfeng_1_user
    place = {"community_id": register.community_a.pk, "compound_id": register.compound_a.pk}
    assert manages_place(user, **place, courtyard_id=register.courtyard_a1.pk)
    assert not manages_place(user, **place, courtyard_id=register.courtyard_a2.pk)
    assert not manages_place(user, **place)  # the whole compound is not the courtyard's


def test_anyone_without_a_seat_or_staff_role_manages_nothing(
    register, bodies, member_a, django_assert_num_queries
):
    assert not bodies.qingfeng_1.can_manage(member_a)
    assert not manages_anything(member_a)
    assert manages_anything(bodies.qingfeng_1_user)
    with django_assert_num_queries(0):
        assert not bodies.qingfeng_1.can_manage(AnonymousUser())
        assert not manages(AnonymousUser(), community_id=register.community_a.pk)
