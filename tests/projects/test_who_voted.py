"""Who voted in an owners' decision (docs/domain.md, "Owners' decisions"): an owner or
co-owner on the roll frozen when the vote opened, personally or through a proxy with the
scan of a written authority; one ballot per owner, a later answer replacing the earlier
one with both in the history; a paper ballot's number unique within the decision.

Unit 4 of building 18: 4-402 is owned by 慕容秋菊 and 慕容冬梅 together and is the home of
their son 慕容小宝 (a family member, not an owner); the other doors have one owner each.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.models import Membership
from tests.factories import ResidentFactory, stored
from tests.notices.factories import pdf_bytes
from tests.projects.conftest import owned_by
from tests.projects.factories import ProjectFactory, open_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(building_18):
    """The household 4-402: its owner, its co-owner and their son."""
    household = building_18.households["4-402"]
    co_owner = ResidentFactory(name="慕容冬梅")
    owned_by(co_owner, household, Membership.Relation.CO_OWNER)
    son = ResidentFactory(name="慕容小宝")
    owned_by(son, household, Membership.Relation.FAMILY)
    return household, building_18.owners["4-402"], co_owner, son


@pytest.fixture
def vote(project_bodies, building_18, family):
    """An owners' decision over unit 4, its vote opened once 4-402 had its co-owner."""
    return open_vote(
        ProjectFactory(
            name="使用维修资金更换水泵",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_4],
        )
    )


def authority(name="授权委托书.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def vote_for(project, household, by, answer="agree", **kwargs):
    current = ConsentRecord.objects.filter(project=project, household=household).first()
    return consent.consent_record(
        project=project,
        household=household,
        answer=answer,
        recorded_by=by,
        expected_version=current.version if current else 0,
        **kwargs,
    )


def refusal(project, household, by, **kwargs) -> dict:
    before = (ConsentRecord.objects.count(), ConsentRecord.history.count())
    with pytest.raises(ValidationError) as caught:
        vote_for(project, household, by, **kwargs)
    assert (ConsentRecord.objects.count(), ConsentRecord.history.count()) == before
    return caught.value.message_dict


def record_page(project, household):
    return reverse("projects:record", args=[project.pk, household.pk])


def post(answer="agree", **data):
    return {"answer": answer, "channel": "paper", "conditions": "", "version": 0, **data}


# Who may be the voter


def test_a_single_owner_is_the_voter_without_being_chosen(vote, building_18, manager):
    saved = vote_for(vote, building_18.households["4-301"], manager)
    assert saved.voter == building_18.owners["4-301"]


def test_a_co_owned_household_needs_the_voter_chosen(vote, family, manager):
    household, owner, co_owner, _son = family
    errors = refusal(vote, household, manager)
    assert errors == {"voter": ["Choose which owner voted."]}
    assert vote_for(vote, household, manager, voter=co_owner).voter == co_owner


def test_the_page_asks_which_owner_voted(manager_client, vote, family):
    household, owner, co_owner, son = family
    page = manager_client.get(record_page(vote, household))
    voters = page.context["form"].fields["voter"].queryset
    assert list(voters) == [owner, co_owner]  # the owners on the roll, not the son

    response = manager_client.post(record_page(vote, household), post())

    assert response.status_code == 200
    assertContains(response, "Choose which owner voted.")
    assert not ConsentRecord.objects.filter(project=vote, household=household).exists()


def test_a_family_member_is_not_recorded_as_the_voter(vote, family, manager):
    household, _owner, _co_owner, son = family
    errors = refusal(vote, household, manager, voter=son)
    assert errors["voter"] == [
        "Only an owner or co-owner on the roll votes for this household: a family member "
        "or tenant may vote only as a proxy with written authority."
    ]


def test_the_page_refuses_a_family_member_as_the_voter(manager_client, vote, family):
    household, _owner, _co_owner, son = family
    response = manager_client.post(record_page(vote, household), post(voter=son.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["voter"]
    assert not ConsentRecord.objects.filter(project=vote, household=household).exists()


def test_an_owner_of_another_household_is_not_the_voter(vote, building_18, manager):
    errors = refusal(
        vote, building_18.households["4-301"], manager, voter=building_18.owners["4-302"]
    )
    assert "voter" in errors


def test_an_owner_who_joined_after_the_vote_opened_is_not_the_voter(vote, building_18, manager):
    newcomer = ResidentFactory(name="新业主")
    owned_by(newcomer, building_18.households["4-301"], Membership.Relation.CO_OWNER)
    errors = refusal(vote, building_18.households["4-301"], manager, voter=newcomer)
    assert "voter" in errors


# Proxies


def test_a_proxy_without_the_written_authority_is_refused(vote, family, manager):
    household, owner, _co_owner, son = family
    errors = refusal(
        vote, household, manager, voter=owner, proxy_name=son.name, proxy_relation="儿子"
    )
    assert errors == {
        "proxy_authority": [
            "A proxy votes only with the owner's written authority (授权委托书): attach its scan."
        ]
    }


def test_a_proxy_needs_a_name_and_a_relation(vote, family, manager):
    household, owner, _co_owner, _son = family
    errors = refusal(vote, household, manager, voter=owner, proxy_authority=authority())
    assert errors == {
        "proxy_name": ["Give the proxy's name."],
        "proxy_relation": ["Say how the proxy is related to the owner."],
    }


def test_the_page_refuses_a_proxy_without_the_written_authority(
    manager_client, vote, family, media_root
):
    household, owner, _co_owner, son = family

    response = manager_client.post(
        record_page(vote, household),
        post(voter=owner.pk, proxy_name=son.name, proxy_relation="儿子"),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assertContains(
        response,
        "A proxy votes only with the owner&#x27;s written authority (授权委托书): attach its scan.",
    )
    assert not ConsentRecord.objects.filter(project=vote, household=household).exists()
    assert not list(media_root.rglob("*.*"))


def test_a_proxy_with_the_written_authority_is_recorded(manager_client, vote, family):
    household, owner, _co_owner, son = family

    response = manager_client.post(
        record_page(vote, household),
        post(
            answer="disagree",
            voter=owner.pk,
            proxy_name=son.name,
            proxy_relation="儿子",
            proxy_authority=authority(),
        ),
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = ConsentRecord.objects.get(project=vote, household=household)
    assert (saved.answer, saved.voter, saved.proxy_name, saved.proxy_relation) == (
        "disagree",
        owner,
        "慕容小宝",
        "儿子",
    )
    assert saved.proxy_authority.name.endswith(".pdf")
    assert saved.proxy_authority.read() == pdf_bytes()


# One ballot per owner


def test_a_later_answer_of_the_same_owner_replaces_the_earlier_one_and_both_are_kept(
    vote, family, manager, staff_user
):
    household, owner, co_owner, son = family
    first = vote_for(
        vote,
        household,
        manager,
        answer="agree",
        voter=owner,
        proxy_name=son.name,
        proxy_relation="儿子",
        proxy_authority=authority(),
    )
    later = vote_for(vote, household, staff_user, answer="disagree", voter=co_owner)

    assert later.pk == first.pk
    assert ConsentRecord.objects.filter(project=vote, household=household).count() == 1
    assert (later.answer, later.voter, later.proxy_name, later.version) == (
        "disagree",
        co_owner,
        "",
        2,
    )
    assert not later.proxy_authority  # the owner's own vote replaces the proxy's
    history = list(later.history.order_by("history_date", "history_id"))
    assert [(h.answer, h.voter_id, h.proxy_name, h.recorded_by_id) for h in history] == [
        ("agree", owner.pk, son.name, manager.pk),
        ("disagree", co_owner.pk, "", staff_user.pk),
    ]
    assert history[0].proxy_authority  # the earlier vote's authority stays on file
    # Counted once, as the later answer.
    counts = vote.consents.values_list("answer", flat=True)
    assert list(counts) == ["disagree"]


# Ballot numbers


def test_a_ballot_number_is_used_once_in_a_decision(vote, building_18, manager):
    h = building_18.households
    vote_for(vote, h["4-301"], manager, ballot_number="No.018")

    errors = refusal(vote, h["4-302"], manager, ballot_number=" No.018 ")

    assert errors == {"ballot_number": ["This ballot number is already recorded in the decision."]}
    # The same owner's answer again keeps its number.
    again = vote_for(vote, h["4-301"], manager, answer="disagree", ballot_number="No.018")
    assert (again.answer, again.ballot_number) == ("disagree", "No.018")


def test_the_page_refuses_a_ballot_number_used_already(manager_client, vote, building_18, manager):
    h = building_18.households
    vote_for(vote, h["4-301"], manager, ballot_number="No.018")

    response = manager_client.post(record_page(vote, h["4-302"]), post(ballot_number="No.018"))

    assertContains(response, "This ballot number is already recorded in the decision.")
    assert not ConsentRecord.objects.filter(project=vote, household=h["4-302"]).exists()


def test_the_same_ballot_number_may_be_used_in_another_decision(
    vote, project_bodies, building_18, manager
):
    other = open_vote(
        ProjectFactory(
            name="更换电梯",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_2],
        )
    )
    vote_for(vote, building_18.households["4-301"], manager, ballot_number="No.018")

    saved = vote_for(other, building_18.households["2-302"], manager, ballot_number="No.018")

    assert saved.ballot_number == "No.018"
    assert Project.objects.filter(consents__ballot_number="No.018").count() == 2


def test_ballots_without_a_number_are_not_one_number(vote, building_18, manager):
    h = building_18.households
    vote_for(vote, h["4-301"], manager)
    assert vote_for(vote, h["4-302"], manager).ballot_number == ""
    assert stored(vote).consents.filter(ballot_number="").count() == 2
