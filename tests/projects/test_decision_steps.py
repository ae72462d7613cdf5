"""The life of an owners' decision (docs/domain.md, "Owners' decisions"), step by step:
drafted, announced, open, closed (by itself at its closing time, or early with a reason),
published; and every way of writing an answer refused once the vote has closed.

No clock is stopped: a vote's closing time is put in the past by a queryset update, or
the steps are given `now=`.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from committees.models import Notice
from committees.models.decisions import Stage
from jinzang.names import person_name
from meetings.models import ConsentRecord, GridWorker, Project
from meetings.projects import consent
from residents.models import Household, Membership
from tests.factories import HouseholdFactory, ResidentFactory, stored
from tests.imports.sheets import csv_file
from tests.notices.factories import png_bytes
from tests.projects.conftest import OWNER_NAMES, owned_by, record
from tests.projects.factories import ProjectFactory, announced
from tests.projects.test_admin import change_form

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
CLOSED = re.compile(
    r"The vote closed at \d{4}-\d\d-\d\d \d\d:\d\d: answers can no longer be recorded\."
)


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


def when(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


def shown(at) -> str:
    """`at` as the pages show it."""
    return date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def answers_written(project):
    """What a refused answer must leave as it was: the records and their history."""
    return (
        list(
            ConsentRecord.objects.filter(project=project)
            .order_by("pk")
            .values_list("household", "answer", "version", "voter", "scan")
        ),
        ConsentRecord.history.filter(project=project).count(),
    )


def past_closing(project, by=SECOND) -> Project:
    """`project` with its closing time `by` ago (its close not yet recorded)."""
    Project.objects.filter(pk=project.pk).update(closes_at=timezone.now() - by)
    return stored(project)


@pytest.fixture
def draft(project_bodies, building_18):
    """An owners' decision over unit 4 of building 18, drafted in full: voting from 16 to
    30 days from now."""
    now = timezone.now()
    return ProjectFactory(
        name="使用维修资金更换水泵",
        body=project_bodies.qingfeng_1,
        decision=True,
        status=Project.Status.SURVEYING,
        units=[building_18.unit_4],
        text="18栋4单元二次供水水泵老化，拟使用专项维修资金更换，预算三万元。",
        ballot="是否同意使用专项维修资金更换18栋4单元水泵？",
        opens_at=now + 16 * DAY,
        closes_at=now + 30 * DAY,
    )


def notices():
    return Notice.objects.count()


# Announced


@pytest.mark.parametrize(
    ("field", "blank", "message"),
    [
        ("text", "  ", "Write the matter in full before announcing it."),
        ("ballot", "", "Write the question on the ballot before announcing."),
        ("opens_at", None, "Set when voting opens."),
        ("closes_at", None, "Set when voting closes."),
    ],
)
def test_a_decision_is_not_announced_without_its_text_ballot_and_period(
    draft, manager, field, blank, message
):
    setattr(draft, field, blank)
    draft.save()
    before = notices()

    error = refused(consent.decision_announce, project=draft, by=manager)

    assert error.message_dict[field] == [message]
    assert notices() == before
    assert stored(draft).announced_at is None


def test_voting_must_close_after_it_opens(draft, manager):
    draft.closes_at = draft.opens_at
    draft.save()
    error = refused(consent.decision_announce, project=draft, by=manager)
    assert error.message_dict["closes_at"] == ["Voting must close after it opens."]


def test_voting_may_not_open_sooner_than_fifteen_days_after_the_announcement(draft, manager):
    now = timezone.now()
    Project.objects.filter(pk=draft.pk).update(opens_at=now + 15 * DAY - SECOND)

    error = refused(consent.decision_announce, project=stored(draft), by=manager, now=now)

    assert error.message_dict["opens_at"] == [
        "Owners must be told 15 days before voting opens: announced now, voting may open "
        f"at {when(now + 15 * DAY)} at the earliest."
    ]
    assert stored(draft).announced_at is None
    Project.objects.filter(pk=draft.pk).update(opens_at=now + 15 * DAY)
    assert consent.decision_announce(project=stored(draft), by=manager, now=now).announced_at


def test_the_setting_sets_the_notice_period(draft, manager, settings):
    settings.DECISION_NOTICE_DAYS = 20
    now = timezone.now()  # voting opens in 16 days: too soon for 20 days' notice
    error = refused(consent.decision_announce, project=draft, by=manager, now=now)
    assert error.message_dict["opens_at"][0].startswith("Owners must be told 20 days ")
    assert consent.decision_announce(project=draft, by=manager, now=now - 5 * DAY).announced_at


def test_the_compounds_rules_of_procedure_set_the_notice_period(draft, manager, register, settings):
    settings.DECISION_NOTICE_DAYS = 15
    register.compound_a.decision_notice_days = 30
    register.compound_a.save()
    now = timezone.now()  # voting opens in 16 days
    error = refused(consent.decision_announce, project=draft, by=manager, now=now)
    assert error.message_dict["opens_at"][0].startswith("Owners must be told 30 days ")
    assert consent.decision_announce(project=draft, by=manager, now=now - 15 * DAY).announced_at


def test_announcing_puts_up_a_public_notice_of_the_matter_ballot_and_period(
    draft, manager, building_18
):
    now = timezone.now()

    done = consent.decision_announce(project=draft, by=manager, now=now)

    assert (done.announced_at, done.announced_by) == (now, manager)
    assert done.stage() == Stage.ANNOUNCED
    notice = stored(done.announcement)
    assert notice.title == "Owners' decision: 使用维修资金更换水泵"
    assert notice.body == draft.body
    assert (notice.category, notice.publish_at) == (Notice.Category.DISCLOSURE, now)
    assert notice.is_public
    assert list(notice.buildings.all()) == [building_18.building]
    for part in (
        "庆丰一号院业主委员会 puts a matter to the owners of building 18, units 4.",
        "Matter: Using the maintenance fund",
        draft.text,
        f"The ballot: {draft.ballot}",
        f"Voting opens at {when(draft.opens_at)} and closes at {when(draft.closes_at)}.",
        "more than half of the participating area",
    ):
        assert part in notice.text
    # It stays up, unchanged, until voting closes.
    assert notice.locked_until == draft.closes_at


def test_a_decision_is_announced_once(draft, manager):
    consent.decision_announce(project=draft, by=manager)
    before = notices()
    error = refused(consent.decision_announce, project=stored(draft), by=manager)
    assert error.messages == ["This decision has already been announced."]
    assert notices() == before


def test_what_was_announced_can_no_longer_change(draft, manager):
    consent.decision_announce(project=draft, by=manager)
    changed = stored(draft)
    changed.ballot = "是否同意？"
    error = refused(consent.project_save, project=changed, units=[*draft.units.all()])
    assert error.messages[0].startswith("The decision is announced: what was put to the owners")
    assert stored(draft).ballot == draft.ballot


def test_the_manager_announces_from_the_project_page(manager_client, manager, draft):
    page = manager_client.get(url("project", draft.pk))
    assertContains(page, url("decision_announce", draft.pk))

    response = manager_client.post(url("decision_announce", draft.pk), follow=True)

    assertContains(
        response, "Announced: the notice of the matter, the ballot and the period is up."
    )
    done = stored(draft)
    assert done.announced_by == manager
    assertContains(response, reverse("notices:notice", args=[done.announcement_id]))


def test_the_project_page_says_what_is_missing_before_announcing(manager_client, draft):
    Project.objects.filter(pk=draft.pk).update(ballot="")
    page = manager_client.get(url("project", draft.pk))
    assertContains(page, "Before announcing, <a")
    assertNotContains(page, url("decision_announce", draft.pk))


# Open


def test_the_vote_may_not_open_before_the_notice_period_ends(draft, manager):
    now = timezone.now()
    announced_at = now - 10 * DAY
    Project.objects.filter(pk=draft.pk).update(opens_at=now + 5 * DAY)
    consent.decision_announce(project=stored(draft), by=manager, now=announced_at)

    error = refused(consent.vote_open, project=draft, by=manager, now=now)

    assert error.messages == [
        f"The notice period runs until {when(announced_at + 15 * DAY)}: the vote may open then."
    ]
    assert stored(draft).roll_id is None
    # and not before its announced opening time, when that is later
    Project.objects.filter(pk=draft.pk).update(opens_at=now + 7 * DAY)
    error = refused(consent.vote_open, project=draft, by=manager, now=now + 6 * DAY)
    assert "runs until" in error.messages[0] and when(now + 7 * DAY) in error.messages[0]
    assert consent.vote_open(project=draft, by=manager, now=now + 7 * DAY).roll_id


def test_the_project_page_says_from_when_the_vote_may_open(manager_client, manager, draft):
    consent.decision_announce(project=draft, by=manager)
    earliest = stored(draft).may_open_from()
    assert earliest == draft.opens_at  # later than the 15 days' notice

    page = manager_client.get(url("project", draft.pk))

    assertContains(page, 'class="badge stage-announced"')
    assertContains(page, f"The vote may open from {shown(earliest)}, when the notice period ends.")
    # Pressing the button early changes nothing and says when.
    response = manager_client.post(url("vote_open", draft.pk), follow=True)
    assertContains(response, "The notice period runs until")
    assert stored(draft).roll_id is None


def test_a_draft_does_not_open(draft, manager):
    error = refused(consent.vote_open, project=draft, by=manager)
    assert error.messages == ["Announce the decision first: owners must be told before voting."]


def test_opening_freezes_the_roll_and_who_may_vote_for_each_household(
    project_bodies, building_18, manager
):
    h, owners = building_18.households, building_18.owners
    co_owner = ResidentFactory(name="慕容冬梅")
    owned_by(co_owner, h["4-402"], Membership.Relation.CO_OWNER)
    child = ResidentFactory(name="慕容小宝")
    owned_by(child, h["4-402"], Membership.Relation.FAMILY)
    project = announced(
        ProjectFactory(body=project_bodies.qingfeng_1, decision=True, units=[building_18.unit_4])
    )

    opened = consent.vote_open(project=project, by=manager)

    assert (opened.opened_by, opened.stage(), opened.status) == (manager, Stage.OPEN, "collecting")
    entries = {e.household_id: e for e in opened.roll.entries.prefetch_related("owners")}
    assert set(entries) == {h[k].pk for k in ("4-301", "4-302", "4-401", "4-402")}
    assert {r.name for r in entries[h["4-402"].pk].owners.all()} == {
        OWNER_NAMES[("4", "402")],
        "慕容冬梅",
    }
    assert list(entries[h["4-301"].pk].owners.all()) == [owners["4-301"]]
    assert entries[h["4-401"].pk].area == Decimal("100.00")
    # Later changes to the register move neither the roll nor who may vote.
    owned_by(ResidentFactory(name="新业主"), h["4-301"])
    Household.objects.filter(pk=h["4-401"].pk).update(area=Decimal("120.00"))
    HouseholdFactory(unit=building_18.unit_4, door_number="501")
    assert list(stored(entries[h["4-301"].pk]).owners.all()) == [owners["4-301"]]
    assert stored(entries[h["4-401"].pk]).area == Decimal("100.00")
    assert opened.roll.entries.count() == 4


# Closed: answers after the closing time are refused on every path


def test_answers_are_taken_until_the_closing_time_and_not_a_second_after(fund):
    fund.check_accepts_answers(now=fund.closes_at - SECOND)
    error = refused(fund.check_accepts_answers, now=fund.closes_at + SECOND)
    assert CLOSED.fullmatch(error.messages[0])
    assert when(fund.closes_at) in error.messages[0]


def test_the_service_refuses_an_answer_a_second_after_the_closing_time(fund, building_18, manager):
    fund = past_closing(fund)
    before = answers_written(fund)

    for door, answer in [("4-402", "agree"), ("4-401", "agree")]:
        error = refused(
            record, project=fund, household=building_18.households[door], answer=answer, by=manager
        )
        assert CLOSED.fullmatch(error.messages[0])

    assert answers_written(fund) == before


def record_post(**data):
    return {"answer": "agree", "channel": "visit", "conditions": "", "version": 0, **data}


@pytest.mark.parametrize("htmx", [False, True])
def test_the_household_page_refuses_an_answer_after_the_closing_time(
    manager_client, fund, building_18, htmx
):
    door = building_18.households["4-402"]
    fund = past_closing(fund)
    before = answers_written(fund)
    headers = {"HX-Request": "true"} if htmx else {}

    response = manager_client.post(url("record", fund.pk, door.pk), record_post(), headers=headers)

    assert response.status_code == 200
    assert CLOSED.search(response.content.decode())
    if htmx:
        assert response["HX-Retarget"] == "#panel"
    assert answers_written(fund) == before


@pytest.mark.parametrize("htmx", [False, True])
def test_the_household_page_offers_no_answer_buttons_after_the_closing_time_and_says_why(
    manager_client, fund, building_18, htmx
):
    page = url("record", fund.pk, building_18.households["4-402"].pk)
    headers = {"HX-Request": "true"} if htmx else {}
    assertContains(manager_client.get(page, headers=headers), 'name="answer"')
    past_closing(fund)

    response = manager_client.get(page, headers=headers)

    assertNotContains(response, 'name="answer"')
    assert CLOSED.search(response.content.decode())
    assertNotContains(response, "You may see the answers but not record them.")


def test_the_grid_says_the_vote_is_closed(manager_client, fund, building_18):
    page = url("grid", fund.pk, building_18.building.pk)
    assertContains(manager_client.get(page), "Tap a door, then tap the answer.")
    past_closing(fund)

    response = manager_client.get(page)

    assertNotContains(response, "Tap a door, then tap the answer.")
    assert CLOSED.search(response.content.decode())


def test_the_paper_form_upload_refuses_an_answer_after_the_closing_time(
    manager_client, fund, building_18, media_root
):
    door = building_18.households["4-402"]
    fund = past_closing(fund)
    before = answers_written(fund)
    scan = SimpleUploadedFile("表决票.png", png_bytes(), content_type="image/png")

    response = manager_client.post(
        url("record", fund.pk, door.pk), record_post(channel="paper", scan=scan)
    )

    assert CLOSED.search(response.content.decode())
    assert answers_written(fund) == before
    assert not list(media_root.rglob("*.png"))
    # The printed form and the stored scan take no answer at all.
    assert (
        manager_client.post(url("consent_form", fund.pk, door.pk), {"answer": "agree"}).status_code
        == 404
    )
    assert (
        manager_client.post(url("scan", fund.pk, door.pk), {"answer": "agree"}).status_code == 405
    )
    assert answers_written(fund) == before


SHEET = [["楼栋", "单元", "门牌号", "意见"], ["18", "4", "402", "同意"]]


def test_the_import_refuses_a_file_after_the_closing_time(manager_client, fund):
    fund = past_closing(fund)
    before = answers_written(fund)

    response = manager_client.post(url("import", fund.pk), {"file": csv_file(SHEET)})

    assert response.status_code == 200
    assert CLOSED.search(response.content.decode())
    assert answers_written(fund) == before


def test_an_import_previewed_before_the_close_is_refused_when_confirmed_after_it(
    manager_client, fund
):
    response = manager_client.post(url("import", fund.pk), {"file": csv_file(SHEET)})
    preview = response["Location"]
    assert manager_client.get(preview).context["counts"]["create"] == 1
    fund = past_closing(fund)
    before = answers_written(fund)

    response = manager_client.post(preview, follow=True)

    assert response.redirect_chain[0][0] == url("import", fund.pk)
    assert CLOSED.search(response.content.decode())
    assert answers_written(fund) == before


def admin_record_url(name, *args):
    return reverse(f"admin:meetings_consentrecord_{name}", args=args)


def test_the_admin_changes_no_answer_after_the_closing_time(admin_client, fund, building_18):
    record_401 = ConsentRecord.objects.get(project=fund, household=building_18.households["4-401"])
    change = admin_record_url("change", record_401.pk)
    data = change_form(admin_client, change)
    fund = past_closing(fund)
    before = answers_written(fund)

    response = admin_client.post(change, {**data, "answer": ["agree"]})

    assert response.status_code == 403
    assert answers_written(fund) == before
    page = admin_client.get(change)
    assert page.status_code == 200  # read only
    assertNotContains(page, 'name="_save"')


def test_the_admin_history_does_not_revert_an_answer_after_the_closing_time(
    admin_client, fund, building_18, manager
):
    door = building_18.households["4-401"]
    record(fund, door, "agree", manager)  # 4-401 disagreed first, then agreed
    earlier = ConsentRecord.history.filter(household=door, project=fund).earliest("history_date")
    assert earlier.answer == "disagree"
    record_401 = ConsentRecord.objects.get(project=fund, household=door)
    revert = admin_record_url("simple_history", record_401.pk, earlier.history_id)
    data = change_form(admin_client, revert)
    fund = past_closing(fund)
    before = answers_written(fund)

    response = admin_client.post(revert, data)

    assert response.status_code == 403
    assert answers_written(fund) == before
    assert stored(record_401).answer == "agree"


# Closed: by itself at its closing time, or early by a manager with a reason


@pytest.mark.parametrize("page", ["project", "summary"])
def test_a_page_seen_after_the_closing_time_closes_the_vote_and_freezes_its_result(
    client, manager_client, fund, page
):
    fund = past_closing(fund)
    assert (fund.closed_at, fund.result) == (None, None)
    assert fund.stage() == Stage.CLOSED  # closed already, whether or not recorded

    seen = (manager_client if page == "project" else client).get(url(page, fund.pk))

    assert seen.status_code == 200
    closed = stored(fund)
    assert (closed.closed_at, closed.closed_by, closed.close_reason) == (fund.closes_at, None, "")
    assert closed.status == Project.Status.AGREED  # 4-301 and 4-302 agree: it passes
    assert closed.result["approved"] and closed.result["participation_reached"]
    assert closed.result["electorate"] == [4, "300.00"]
    assert closed.result["agree"] == [2, "140.00"]
    assert closed.result["disagree"] == [1, "100.00"]
    assert closed.result["counts"]["not_voted"] == 1
    assertContains(seen, "Passes")
    assertNotContains(seen, "the vote is still open")


def test_a_vote_that_fails_closes_as_abandoned(client, fund, building_18, manager):
    for door in ("4-301", "4-302"):
        record(fund, building_18.households[door], "disagree", manager)
    fund = past_closing(fund)
    client.get(url("summary", fund.pk))
    closed = stored(fund)
    assert (closed.status, closed.result["approved"]) == (Project.Status.ABANDONED, False)


def test_a_page_seen_before_the_closing_time_leaves_the_vote_open(manager_client, fund):
    manager_client.get(url("project", fund.pk))
    assert stored(fund).closed_at is None
    assert stored(fund).stage() == Stage.OPEN


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_early_needs_a_reason_and_writes_nothing_without_one(manager_client, fund, reason):
    response = manager_client.post(url("vote_close", fund.pk), {"reason": reason}, follow=True)

    assertContains(response, "Say why the vote closes before its closing time.")
    now = stored(fund)
    assert (now.closed_at, now.result, now.status) == (None, None, "collecting")
    assert now.stage() == Stage.OPEN


def test_the_service_refuses_an_early_close_without_a_reason(fund, manager):
    error = refused(consent.vote_close, project=fund, by=manager, reason="  ")
    assert error.message_dict["reason"] == ["Say why the vote closes before its closing time."]
    assert stored(fund).closed_at is None


@pytest.mark.parametrize("who", ["reader", "grid_worker"])
def test_only_a_manager_closes_a_vote_early(log_in, reader, courtyard_member, manager, fund, who):
    if who == "grid_worker":
        GridWorker.objects.create(project=fund, user=courtyard_member, added_by=manager)
        assert fund.can_record(courtyard_member)
    user = reader if who == "reader" else courtyard_member

    response = log_in(user).post(url("vote_close", fund.pk), {"reason": "提前结束"})

    assert response.status_code == 403
    assert stored(fund).closed_at is None


def test_a_manager_closes_early_with_a_reason(manager_client, manager, fund):
    response = manager_client.post(
        url("vote_close", fund.pk), {"reason": "业主大会决定提前结束表决"}, follow=True
    )

    assertContains(response, "The vote is closed and its result frozen.")
    closed = stored(fund)
    assert closed.closed_by == manager
    assert closed.close_reason == "业主大会决定提前结束表决"
    assert closed.closed_at < closed.closes_at
    assert closed.status == Project.Status.AGREED
    assertContains(response, "业主大会决定提前结束表决")


@pytest.mark.parametrize("how", ["early", "at its closing time"])
def test_a_closed_vote_never_reopens(manager_client, manager, fund, how):
    if how == "early":
        consent.vote_close(project=fund, by=manager, reason="提前结束")
    else:
        consent.close_due(past_closing(fund))
    closed = stored(fund)

    error = refused(consent.vote_open, project=closed, by=manager)
    assert error.messages == ["The vote is closed and never reopens: a new vote is a new decision."]
    response = manager_client.post(url("vote_open", fund.pk), follow=True)
    assertContains(response, "never reopens")
    again = stored(fund)
    assert (again.closed_at, again.roll_id, again.vote_opened_at) == (
        closed.closed_at,
        closed.roll_id,
        closed.vote_opened_at,
    )
    # nor closes twice
    error = refused(consent.vote_close, project=closed, by=manager, reason="再次结束")
    assert error.messages == ["The vote is already closed."]


def test_saving_the_project_does_not_undo_its_close(manager, fund):
    stale = stored(fund)
    consent.vote_close(project=fund, by=manager, reason="提前结束")
    stale.description = "施工方已确定"
    consent.project_save(project=stale, units=list(fund.units.all()))
    assert stored(fund).closed_at is not None
    assert stored(fund).result is not None


def test_the_frozen_result_does_not_move_when_records_or_the_register_change(
    client, manager_client, fund, building_18
):
    h = building_18.households
    consent.close_due(past_closing(fund))
    frozen = stored(fund).result
    project_page = manager_client.get(url("project", fund.pk))
    summary = client.get(url("summary", fund.pk)).content.decode()

    # Afterwards: an answer changed behind the services' back, a household's area, a new
    # owner, a new household in the unit, a new answer.
    ConsentRecord.objects.filter(project=fund, household=h["4-401"]).update(answer="agree")
    ConsentRecord.objects.create(project=fund, household=h["4-402"], answer="disagree")
    Household.objects.filter(pk=h["4-301"].pk).update(area=Decimal("999.00"))
    owned_by(ResidentFactory(name="后来业主"), h["4-302"])
    HouseholdFactory(unit=building_18.unit_4, door_number="501", area=Decimal("90"))

    assert stored(fund).result == frozen
    again = manager_client.get(url("project", fund.pk))
    assert again.context["tally"] == project_page.context["tally"]
    assert again.context["counts"] == project_page.context["counts"] == frozen["counts"]
    assert again.context["counts"]["total"] == 4
    assert (again.context["tally"].agree.owners, again.context["tally"].disagree.owners) == (2, 1)
    assert client.get(url("summary", fund.pk)).content.decode() == summary
    assertContains(again, "300.00")  # the frozen area, not 300 + 939 + 90
    assertNotContains(again, "1,329")


# Published


def closed(fund, manager):
    return consent.vote_close(project=fund, by=manager, reason="全部业主已表决")


def test_only_a_closed_vote_is_published(fund, manager):
    before = notices()
    error = refused(consent.result_publish, project=fund, by=manager)
    assert error.messages == ["Only a closed vote's result can be published."]
    assert notices() == before


def test_publishing_puts_up_the_result_notice_without_names_locked_for_its_period(
    fund, manager, building_18, settings
):
    settings.DECISION_RESULT_DAYS = 10
    now = timezone.now()

    published = consent.result_publish(project=closed(fund, manager), by=manager, now=now)

    assert (published.published_at, published.published_by) == (now, manager)
    assert published.stage() == Stage.PUBLISHED
    notice = stored(published.result_notice)
    assert notice.title == "Result of the owners' decision: 使用维修资金更换水泵"
    assert notice.is_public and notice.is_locked
    assert notice.locked_until == now + 10 * DAY
    assert list(notice.buildings.all()) == [building_18.building]
    text = notice.text
    for part in (
        "- Owners on the roll: 4, holding 300.00 m²",
        "- Agrees: 2 owners, 140.00 m²",
        "- Disagrees: 1 owners, 100.00 m²",
        "- Did not vote: 1 owners",
        "- Building 18: 2 agree, 1 disagree, 0 abstain, 1 did not vote, of 4 households",
        "The vote was closed early: 全部业主已表决",
        "The matter is decided: it passed.",
    ):
        assert part in text, part
    for owner in building_18.owners.values():
        assert owner.name not in text
    assert person_name(manager) not in text
    # published once
    error = refused(consent.result_publish, project=published, by=manager)
    assert error.messages == ["Only a closed vote's result can be published."]


@pytest.fixture
def result_notice(fund, manager):
    published = consent.result_publish(project=closed(fund, manager), by=manager)
    return stored(published.result_notice)


def test_the_result_notice_may_not_be_withdrawn_during_its_period(manager_client, result_notice):
    response = manager_client.post(
        reverse("notices:notice_withdraw", args=[result_notice.pk]), follow=True
    )

    local = timezone.localtime(result_notice.locked_until)
    assertContains(
        response,
        "This notice publishes the result of an owners&#x27; decision: it stays up, "
        f"unchanged, until {local:%Y-%m-%d %H:%M}.",
    )
    assert stored(result_notice).withdrawn_at is None
    assert stored(result_notice).is_public


def test_the_result_notice_may_not_be_changed_during_its_period(manager_client, result_notice):
    edit = reverse("notices:notice_edit", args=[result_notice.pk])
    data = change_form(manager_client, edit)
    data.update(text=["反对票改为同意票。"], reason=["更正"])

    response = manager_client.post(edit, data)

    assert response.status_code == 200
    assertContains(response, "it stays up, unchanged, until")
    assert stored(result_notice).text == result_notice.text


def test_the_result_notice_may_not_be_rescheduled_out_of_sight_during_its_period(
    manager_client, result_notice
):
    later = timezone.localtime() + 30 * DAY
    response = manager_client.post(
        reverse("notices:notice_publish", args=[result_notice.pk]),
        {"publish_at": f"{later:%Y-%m-%dT%H:%M}"},
        follow=True,
    )

    assertContains(response, "it stays up, unchanged, until")
    assert stored(result_notice).publish_at == result_notice.publish_at
    assert stored(result_notice).is_public


def test_the_result_notice_may_not_be_withdrawn_or_changed_in_the_admin_during_its_period(
    admin_client, result_notice
):
    change = reverse("admin:committees_notice_change", args=[result_notice.pk])
    data = change_form(admin_client, change)
    data["withdrawn_at_0"], data["withdrawn_at_1"] = ["2026-01-01"], ["00:00:00"]

    response = admin_client.post(change, data)

    assert response.status_code == 403
    assert stored(result_notice).withdrawn_at is None
    delete = reverse("admin:committees_notice_delete", args=[result_notice.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Notice.objects.filter(pk=result_notice.pk).exists()


def test_the_result_notice_may_be_withdrawn_after_its_period(manager_client, result_notice):
    Notice.objects.filter(pk=result_notice.pk).update(locked_until=timezone.now() - SECOND)

    response = manager_client.post(
        reverse("notices:notice_withdraw", args=[result_notice.pk]), follow=True
    )

    assertContains(response, "The notice is withdrawn.")
    assert stored(result_notice).withdrawn_at is not None


def test_the_result_notice_may_be_corrected_after_its_period(manager_client, result_notice):
    Notice.objects.filter(pk=result_notice.pk).update(locked_until=timezone.now() - SECOND)
    edit = reverse("notices:notice_edit", args=[result_notice.pk])
    data = change_form(manager_client, edit)
    data.update(text=["更正后的公示。"], reason=["错别字"])

    response = manager_client.post(edit, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert stored(result_notice).text == "更正后的公示。"


def test_the_manager_publishes_from_the_project_page(manager_client, manager, fund):
    closed(fund, manager)
    page = manager_client.get(url("project", fund.pk))
    assertContains(page, url("result_publish", fund.pk))

    response = manager_client.post(url("result_publish", fund.pk), follow=True)

    assertContains(response, "The result notice is published.")
    assert stored(fund).result_notice.is_public


@pytest.mark.parametrize("project", ["fund", "pipes"])
def test_publishing_what_has_no_result_is_refused_with_a_message(manager_client, request, project):
    project = request.getfixturevalue(project)
    before = notices()

    response = manager_client.post(url("result_publish", project.pk), follow=True)

    assertContains(response, "Only a closed vote&#x27;s result can be published.")
    assert notices() == before
    assert stored(project).published_at is None


def test_a_reader_may_not_publish(reader_client, manager, fund):
    closed(fund, manager)
    assert reader_client.post(url("result_publish", fund.pk)).status_code == 403
    assert stored(fund).published_at is None


# The project page shows the stage and each step's who and when


def test_the_project_page_shows_each_step_with_who_and_when(
    reader_client, manager, project_bodies, building_18
):
    now = timezone.now()
    project = ProjectFactory(
        name="更换水泵",
        body=project_bodies.qingfeng_1,
        decision=True,
        units=[building_18.unit_4],
        text="更换水泵。",
        ballot="是否同意更换水泵？",
        opens_at=now - DAY,
        closes_at=now + 7 * DAY,
    )
    consent.decision_announce(project=project, by=manager, now=now - 16 * DAY)
    consent.vote_open(project=project, by=manager)
    record(project, building_18.households["4-301"], "agree", manager)
    consent.vote_close(project=project, by=manager, reason="全部业主已表决")
    done = consent.result_publish(project=project, by=manager)

    page = reader_client.get(url("project", project.pk))

    assertContains(page, '<span class="badge stage-published">Result published</span>', html=True)
    text = page.content.decode()
    who = person_name(manager)

    assert f"{shown(done.announced_at)}, by {who}" in text
    assert (
        f"Opened {shown(done.vote_opened_at)}, by {who}: the owners and areas are frozen." in text
    )
    assert f"Closed early {shown(done.closed_at)}, by {who}: 全部业主已表决" in text
    assert f"{shown(done.published_at)}, by {who}" in text
    assertContains(page, reverse("notices:notice", args=[done.announcement_id]))
    assertContains(page, reverse("notices:notice", args=[done.result_notice_id]))
    assertContains(page, "The result below is frozen at the close.")
    # The reader sees the steps but no button to take one.
    for step in ("decision_announce", "vote_open", "vote_close", "result_publish"):
        assertNotContains(page, url(step, project.pk))


@pytest.mark.parametrize(
    ("step", "badge"),
    [
        ("draft", "Draft"),
        ("announced", "Announced"),
        ("open", "Voting"),
        ("closed", "Closed"),
    ],
)
def test_the_project_page_shows_the_stage(manager_client, manager, draft, step, badge):
    project = draft
    if step != "draft":
        project = announced(project)
    if step in ("open", "closed"):
        project = consent.vote_open(project=project, by=manager)
    if step == "closed":
        consent.close_due(past_closing(project))

    page = manager_client.get(url("project", draft.pk))

    assertContains(page, f'<span class="badge stage-{step}">{badge}</span>', html=True)
    offered = {
        "draft": "decision_announce",
        "announced": "vote_open",
        "open": "vote_close",
        "closed": "result_publish",
    }
    for name in offered.values():
        if name == offered[step]:
            assertContains(page, url(name, draft.pk))
        else:
            assertNotContains(page, url(name, draft.pk))
    if step == "closed":
        assertContains(page, "at the end of the voting period.")


def test_a_co_funding_project_has_no_steps(manager_client, pipes, manager):
    page = manager_client.get(url("project", pipes.pk))
    assertNotContains(page, 'id="decision-steps"')
    for call in (consent.decision_announce, consent.vote_open):
        assert refused(call, project=pipes, by=manager).messages[0].startswith("Only an owners")


def test_cron_closes_a_decision_nobody_looks_at(fund, pipes):
    """`manage.py close_decisions` closes what a page view would: the decisions past their
    closing time, freezing their result; an open one and a co-funding campaign stay."""
    from io import StringIO

    from django.core.management import call_command

    past_closing(fund)
    out = StringIO()
    call_command("close_decisions", stdout=out)
    fund.refresh_from_db()
    assert fund.closed_at == fund.closes_at and fund.closed_by is None
    assert fund.result["counts"]["total"] == 4
    assert fund.name in out.getvalue()
    # Run again: nothing left to close.
    out = StringIO()
    call_command("close_decisions", stdout=out)
    assert fund.name not in out.getvalue()
    assert Project.objects.get(pk=pipes.pk).closed_at is None
