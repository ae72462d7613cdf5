"""An owner votes online from the residents' door (docs/domain.md, "The residents' own
door": voting online): one ballot per owner of the frozen roll, the first co-owner's
ballot standing for the home, an owner of several homes voting once, changes until the
close with every ballot kept in the history, and a verification code on the receipt that
the result notice lists by building.

Unit 4 of building 18 (tests/projects/conftest.py): 4-402 is owned by 慕容秋菊 and 慕容冬梅
together and is the home of their son 慕容小宝 (family, not an owner); 上官银锁 owns 4-301
and 4-401 (one owner, two homes); 4-302 is 东方石头's. Each of them has an account.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import ConsentRecord, Project
from meetings.projects import ballots, consent, tally
from meetings.projects.forms import ConsentForm
from residents.accounts.codes import ALPHABET
from residents.models import Membership
from tests.factories import ResidentAccountFactory, ResidentFactory, UserFactory, stored
from tests.projects.conftest import owned_by, record
from tests.projects.factories import ProjectFactory, open_vote

pytestmark = pytest.mark.django_db


class People:
    """The owners and family of unit 4, each with their own account."""

    def __init__(self, building_18):
        h, o = building_18.households, building_18.owners
        self.households = h
        self.qiuju = o["4-402"]
        self.dongmei = ResidentFactory(name="慕容冬梅")
        owned_by(self.dongmei, h["4-402"], Membership.Relation.CO_OWNER)
        self.son = ResidentFactory(name="慕容小宝")
        owned_by(self.son, h["4-402"], Membership.Relation.FAMILY)
        self.yinsuo = o["4-301"]
        # 上官银锁 bought 4-401 too: its first owner sold it to him.
        Membership.objects.filter(household=h["4-401"]).delete()
        owned_by(self.yinsuo, h["4-401"])
        self.shitou = o["4-302"]
        self.accounts = {
            r.pk: ResidentAccountFactory(user=UserFactory(username=f"own{r.pk}"), resident=r)
            for r in (self.qiuju, self.dongmei, self.son, self.yinsuo, self.shitou)
        }

    def account(self, resident):
        return self.accounts[resident.pk]


@pytest.fixture
def people(building_18):
    return People(building_18)


@pytest.fixture
def vote(project_bodies, building_18, people):
    """An owners' decision over unit 4 whose vote opened once the owners above were
    registered."""
    return open_vote(
        ProjectFactory(
            name="使用维修资金更换水泵",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_4],
        )
    )


def cast(vote, people, resident, answer="agree", **kwargs):
    return ballots.ballot_cast_online(
        project=vote, account=people.account(resident), answer=answer, **kwargs
    )


def refused(vote, people, resident, answer="agree", **kwargs) -> str:
    before = (ConsentRecord.objects.count(), ConsentRecord.history.count())
    with pytest.raises(ValidationError) as caught:
        cast(vote, people, resident, answer, **kwargs)
    assert (ConsentRecord.objects.count(), ConsentRecord.history.count()) == before
    return " ".join(caught.value.messages)


def client_of(client, people, resident):
    client.force_login(people.account(resident).user)
    return client


def ballot_url(vote):
    return reverse("projects:ballot", args=[vote.pk])


def receipt_url(vote):
    return reverse("projects:ballot_receipt", args=[vote.pk])


def close(vote):
    Project.objects.filter(pk=vote.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return consent.close_due(stored(vote))


# The ballot as recorded


def test_an_owners_online_ballot_is_recorded_as_theirs_with_a_verification_code(vote, people):
    [saved] = cast(vote, people, people.shitou)
    assert saved.household == people.households["4-302"]
    assert (saved.answer, saved.channel) == ("agree", ConsentRecord.Channel.ONLINE)
    assert saved.voter == people.shitou
    assert saved.recorded_by == people.account(people.shitou).user
    assert len(saved.receipt_code) == ballots.RECEIPT_LENGTH
    assert set(saved.receipt_code) <= set(ALPHABET)


def test_an_online_ballot_counts_in_the_same_tally_as_the_others(vote, people, manager):
    record(vote, people.households["4-302"], "disagree", manager)  # 东方石头 on paper
    cast(vote, people, people.qiuju, "agree")
    result = tally.decision_tally(stored(vote))
    assert (result.agree.owners, result.disagree.owners) == (1, 1)
    assert result.agree.area == people.households["4-402"].area


def test_co_owners_cast_one_ballot_for_their_home_the_first_one_to_vote(vote, people):
    cast(vote, people, people.qiuju, "agree")

    message = refused(vote, people, people.dongmei, "disagree")

    assert "慕容秋菊, your co-owner, already cast this home's ballot" in message
    saved = ConsentRecord.objects.get(project=vote, household=people.households["4-402"])
    assert (saved.answer, saved.voter) == ("agree", people.qiuju)


def test_the_co_owner_sees_the_ballot_was_cast_and_by_whom(client, vote, people):
    cast(vote, people, people.qiuju, "agree")
    page = client_of(client, people, people.dongmei).get(ballot_url(vote))
    assertContains(page, "慕容秋菊, your co-owner, cast this home's ballot on")
    assertContains(page, "Agrees")
    assertContains(page, "only the co-owner who cast it may change it.")
    assert page.context["form"] is None
    assertNotContains(page, 'value="disagree"')


def test_the_co_owner_who_cast_the_ballot_may_change_it(vote, people):
    cast(vote, people, people.qiuju, "agree")
    [changed] = cast(vote, people, people.qiuju, "abstain")
    assert (changed.answer, changed.voter) == ("abstain", people.qiuju)


def test_an_owner_of_two_homes_votes_once_for_both(vote, people):
    [saved] = cast(vote, people, people.yinsuo, "disagree")

    records = ConsentRecord.objects.filter(project=vote, voter=people.yinsuo)
    assert {r.household for r in records} == {
        people.households["4-301"],
        people.households["4-401"],
    }
    assert {r.answer for r in records} == {"disagree"}
    assert [r.receipt_code for r in records if r.receipt_code] == [saved.receipt_code]
    result = tally.decision_tally(stored(vote))
    assert result.disagree.owners == 1
    assert result.disagree.area == (
        people.households["4-301"].area + people.households["4-401"].area
    )


def test_changing_a_ballot_keeps_every_ballot_in_the_history_with_its_code(vote, people):
    [first] = cast(vote, people, people.shitou, "agree")
    [second] = cast(vote, people, people.shitou, "disagree")

    assert second.pk == first.pk
    assert second.answer == "disagree"
    assert second.receipt_code != first.receipt_code
    kept = list(
        ConsentRecord.history.filter(id=first.pk)
        .order_by("history_date")
        .values_list("answer", "receipt_code")
    )
    assert kept == [("agree", first.receipt_code), ("disagree", second.receipt_code)]


def test_a_paper_answer_of_the_same_owner_replaces_the_online_ballot(vote, people, manager):
    cast(vote, people, people.shitou, "agree")
    record(vote, people.households["4-302"], "disagree", manager, channel="paper")

    saved = ConsentRecord.objects.get(project=vote, household=people.households["4-302"])
    assert (saved.answer, saved.channel, saved.receipt_code) == ("disagree", "paper", "")
    assert tally.online_receipts(stored(vote)) == {}


def test_an_online_ballot_replaces_the_same_owners_paper_answer(vote, people, manager):
    record(vote, people.households["4-302"], "disagree", manager, channel="paper")
    [saved] = cast(vote, people, people.shitou, "agree")
    assert (saved.answer, saved.channel) == ("agree", "online")
    assert ConsentRecord.objects.filter(project=vote).count() == 1


# Refusals


def test_a_ballot_after_the_close_is_refused(vote, people):
    closed = close(vote)
    message = refused(vote, people, people.shitou)
    assert "The vote closed at" in message
    assert closed.closed_at is not None


def test_a_ballot_at_the_closing_time_is_refused(vote, people):
    message = refused(vote, people, people.shitou, now=vote.closes_at)
    assert "The vote closed at" in message


def test_a_family_member_is_refused_with_the_reason(vote, people):
    message = refused(vote, people, people.son)
    assert "Only the owners on the roll vote" in message
    assert "family member or tenant" in message


def test_a_tenant_is_refused_with_the_reason(vote, people, building_18):
    tenant = ResidentFactory(name="租户甲")
    owned_by(tenant, building_18.households["4-302"], Membership.Relation.TENANT)
    people.accounts[tenant.pk] = ResidentAccountFactory(resident=tenant)
    assert "family member or tenant" in refused(vote, people, tenant)


def test_an_owner_who_joined_after_the_vote_opened_is_not_on_the_roll(vote, people):
    newcomer = ResidentFactory(name="新业主")
    owned_by(newcomer, people.households["4-302"], Membership.Relation.CO_OWNER)
    people.accounts[newcomer.pk] = ResidentAccountFactory(resident=newcomer)
    assert "You are not on the roll of owners" in refused(vote, people, newcomer)


def test_an_owner_outside_the_decision_is_refused(vote, people, building_18):
    outside = building_18.owners["2-302"]
    people.accounts[outside.pk] = ResidentAccountFactory(resident=outside)
    assert "You are not on the roll of owners" in refused(vote, people, outside)


def test_an_answer_other_than_agree_disagree_or_abstain_is_refused(vote, people):
    assert "Choose agree, disagree or abstain." in refused(vote, people, people.shitou, "decline")
    assert "Choose agree, disagree or abstain." in refused(vote, people, people.shitou, "not_voted")


def test_a_vote_not_yet_open_takes_no_ballot(project_bodies, building_18, people):
    draft = ProjectFactory(
        body=project_bodies.qingfeng_1, decision=True, units=[building_18.unit_4]
    )
    assert "has not been opened" in refused(draft, people, people.shitou)


def test_staff_do_not_record_online_ballots_for_owners(vote):
    channels = [value for value, _label in ConsentForm(project=vote).fields["channel"].choices]
    assert "online" not in channels


# The pages


def test_the_ballot_page_shows_the_matter_documents_period_and_rule_before_the_buttons(
    client, vote, people
):
    page = client_of(client, people, people.shitou).get(ballot_url(vote))
    html = page.content.decode()
    order = [
        html.index(vote.text),
        html.index("Documents"),
        html.index("The announcement on the notice board"),
        html.index("How it is decided"),
        html.index('value="agree"'),
    ]
    assert order == sorted(order)
    assertContains(page, vote.ballot)
    assertContains(page, "Voting is open from")
    assertContains(page, 'value="disagree"')
    assertContains(page, 'value="abstain"')
    assertContains(page, "building 18, unit 4, door 302")


def test_the_ballot_page_lists_the_announcements_attachments(client, vote, people):
    from tests.notices.factories import NoticeAttachmentFactory

    attachment = NoticeAttachmentFactory(notice=stored(vote).announcement, title="水泵报价单")
    page = client_of(client, people, people.shitou).get(ballot_url(vote))
    assertContains(page, "水泵报价单")
    assertContains(page, reverse("notices:attachment", args=[attachment.notice_id, attachment.pk]))


def test_the_first_press_asks_to_confirm_and_records_nothing(client, vote, people):
    page = client_of(client, people, people.shitou).post(ballot_url(vote), {"answer": "agree"})
    assert page.status_code == 200
    assertContains(page, "You chose: <strong>Agrees</strong>.")
    assertContains(page, "Record my ballot")
    assert not ConsentRecord.objects.filter(project=vote).exists()


def test_the_confirmed_ballot_is_recorded_and_the_receipt_shows_its_code(client, vote, people):
    owner = client_of(client, people, people.shitou)
    response = owner.post(ballot_url(vote), {"answer": "disagree", "confirm": "True"})

    assert response.status_code == 302
    assert response["Location"] == receipt_url(vote)
    saved = ConsentRecord.objects.get(project=vote)
    assert (saved.answer, saved.channel) == ("disagree", "online")
    receipt = owner.get(receipt_url(vote))
    assertContains(receipt, ballots.receipt_shown(saved.receipt_code))
    assertContains(receipt, "Disagrees")
    assertContains(receipt, "building 18, unit 4, door 302")


def test_the_page_shows_the_current_ballot_and_offers_to_change_it(client, vote, people):
    cast(vote, people, people.shitou, "abstain")
    page = client_of(client, people, people.shitou).get(ballot_url(vote))
    assertContains(page, "Recorded: Abstains")
    assertContains(page, "Change my ballot")
    assertContains(page, "My receipt and verification code")


def test_after_the_close_the_page_says_when_and_offers_no_form(client, vote, people):
    cast(vote, people, people.shitou, "agree")
    closed = close(vote)
    owner = client_of(client, people, people.shitou)
    page = owner.get(ballot_url(vote))
    when = timezone.localtime(closed.closed_at)
    assertContains(page, "Voting closed on")
    assertContains(page, f"{when:%Y}")
    assertContains(page, "Recorded: Agrees")
    assertNotContains(page, 'value="agree"')

    posted = owner.post(ballot_url(vote), {"answer": "disagree", "confirm": "True"})
    assert posted.status_code == 400
    assertContains(posted, "The vote closed at", status_code=400)
    assert ConsentRecord.objects.get(project=vote).answer == "agree"


def test_a_bad_answer_posted_is_told_and_nothing_changes(client, vote, people):
    owner = client_of(client, people, people.shitou)
    for data in ({}, {"answer": "decline", "confirm": "True"}, {"answer": "x" * 5000}):
        response = owner.post(ballot_url(vote), data)
        assert response.status_code == 400
        assertContains(response, "Choose agree, disagree or abstain.", status_code=400)
    assert not ConsentRecord.objects.filter(project=vote).exists()


def test_a_family_member_reads_the_matter_and_why_they_do_not_vote(client, vote, people):
    page = client_of(client, people, people.son).get(ballot_url(vote))
    assertContains(page, vote.text)
    assertContains(page, "Only the owners on the roll vote")
    assert page.context["form"] is None
    response = client.post(ballot_url(vote), {"answer": "agree", "confirm": "True"})
    assert response.status_code == 400
    assert not ConsentRecord.objects.filter(project=vote).exists()


def test_a_decision_outside_the_residents_reach_is_not_found(client, vote, people, building_18):
    outside = building_18.owners["2-302"]  # unit 2: the decision covers unit 4 only
    client.force_login(ResidentAccountFactory(resident=outside).user)
    for url in (ballot_url(vote), receipt_url(vote)):
        assert client.get(url).status_code == 404
    assert client.post(ballot_url(vote), {"answer": "agree", "confirm": "True"}).status_code == 404
    assert list(client.get(reverse("projects:ballots")).context["open_projects"]) == []


def test_staff_without_a_resident_account_are_refused_the_ballot_pages(staff_client, vote):
    for url in (reverse("projects:ballots"), ballot_url(vote), receipt_url(vote)):
        assert staff_client.get(url).status_code == 403


def test_the_list_shows_open_and_closed_decisions_with_my_ballot(
    client, vote, people, project_bodies, building_18
):
    cast(vote, people, people.qiuju, "agree")
    earlier = open_vote(
        ProjectFactory(
            name="更换单元门禁",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_4],
        )
    )
    close(earlier)
    page = client_of(client, people, people.dongmei).get(reverse("projects:ballots"))
    assert [p.name for p in page.context["open_projects"]] == ["使用维修资金更换水泵"]
    assert [p.name for p in page.context["closed_projects"]] == ["更换单元门禁"]
    assertContains(page, "慕容秋菊, your co-owner, cast the ballot.")
    assertContains(page, "No ballot was recorded for you.")


def test_the_result_notice_lists_the_codes_of_online_ballots_by_building_without_names(
    vote, people, manager
):
    [a] = cast(vote, people, people.shitou, "agree")
    [b] = cast(vote, people, people.yinsuo, "disagree")
    record(vote, people.households["4-402"], "agree", manager, voter=people.dongmei)
    published = consent.result_publish(project=close(vote), by=manager)

    text = published.result_notice.text
    line = next(t for t in text.splitlines() if t.startswith("- Building 18:") and "-" in t[15:])
    assert sorted(line.removeprefix("- Building 18: ").split(", ")) == sorted(
        ballots.receipt_shown(r.receipt_code) for r in (a, b)
    )
    assert "Verification codes of the online ballots counted" in text
    for name in ("东方石头", "上官银锁", "慕容冬梅", "慕容秋菊"):
        assert name not in text


def test_a_changed_ballots_old_code_is_not_in_the_result(vote, people, manager):
    [first] = cast(vote, people, people.shitou, "agree")
    [last] = cast(vote, people, people.shitou, "abstain")
    published = consent.result_publish(project=close(vote), by=manager)
    assert ballots.receipt_shown(last.receipt_code) in published.result_notice.text
    assert ballots.receipt_shown(first.receipt_code) not in published.result_notice.text


def test_the_receipt_links_to_the_published_result(client, vote, people, manager):
    cast(vote, people, people.shitou)
    published = consent.result_publish(project=close(vote), by=manager)
    page = client_of(client, people, people.shitou).get(receipt_url(vote))
    assertContains(page, reverse("notices:notice", args=[published.result_notice_id]))


def test_the_staff_export_shows_the_online_channel_and_the_code(manager_client, vote, people):
    [saved] = cast(vote, people, people.shitou)
    export = manager_client.get(reverse("projects:export", args=[vote.pk, "csv"]))
    text = export.content.decode("utf-8-sig")
    assert "Online, by the owner" in text
    assert ballots.receipt_shown(saved.receipt_code) in text


def test_the_door_navigation_offers_the_decisions(client, vote, people):
    page = client_of(client, people, people.shitou).get(reverse("projects:ballots"))
    nav = [(label, current) for _url, label, current in page.context["main_nav"]]
    assert nav == [
        ("My home", False),
        ("My requests", False),
        ("Notices", False),
        ("Decisions", True),
    ]


# Query counts: fixed whatever the number of decisions and homes


def test_the_ballot_pages_query_counts_do_not_grow_with_homes_or_decisions(
    client, vote, people, project_bodies, building_18, django_assert_num_queries
):
    for n in range(3):
        other = open_vote(
            ProjectFactory(
                name=f"第{n}项表决",
                body=project_bodies.qingfeng_1,
                decision=True,
                units=[building_18.unit_4],
            )
        )
        cast(other, people, people.yinsuo, "agree")
    cast(vote, people, people.yinsuo, "agree")
    owner = client_of(client, people, people.yinsuo)
    # session, user, its grants (none), its account; the decisions; the ballots of the
    # resident's owners
    with django_assert_num_queries(6):
        page = owner.get(reverse("projects:ballots"))
    assert len(page.context["open_projects"]) == 4
    # session, user, grants, account; the decision; the owner's entries on the roll, their
    # owners, their records; the announcement's attachments
    with django_assert_num_queries(9):
        page = owner.get(ballot_url(vote))
    assert len(page.context["owner_ballots"][0].households) == 2
    with django_assert_num_queries(8):  # the same, without the attachments
        page = owner.get(receipt_url(vote))
    assert len(page.context["receipts"]) == 1
