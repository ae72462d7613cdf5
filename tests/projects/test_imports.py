"""Consent answers from a spreadsheet: the grid's rules, in bulk, all or nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from meetings.models import ConsentRecord
from tests.factories import BuildingFactory, HouseholdFactory, UnitFactory
from tests.imports.sheets import csv_file, read_csv, xlsx_file
from tests.projects.conftest import record
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HEADER = ["楼栋", "单元", "门牌号", "意见", "出资金额", "条件"]


def upload(client, project, rows, header=HEADER, **kwargs):
    sheet = kwargs.pop("sheet", None) or csv_file([header, *rows], **kwargs)
    response = client.post(reverse("projects:import", args=[project.pk]), {"file": sheet})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return client.get(response["Location"]), response["Location"]


def answers(project):
    return {
        f"{r.household.unit.number}-{r.household.door_number}": (r.answer, r.contribution)
        for r in project.consents.select_related("household__unit")
    }


def test_paper_answers_are_previewed_then_imported_with_history(manager_client, manager, pipes):
    page, url = upload(
        manager_client,
        pipes,
        [["18", "4", "301", "同意", "1,000", "修复墙面"], ["18", "4", "302", "不同意", "", ""]],
    )
    assert page.context["counts"]["create"] == 2
    assert "4-301" not in answers(pipes)
    response = manager_client.post(url, follow=True)
    assertContains(response, "Imported: 2 new, 0 changed, 0 unchanged.")
    got = answers(pipes)
    assert got["4-301"] == ("agree", Decimal("1000.00"))
    assert got["4-302"] == ("decline", None)
    rec = pipes.consents.get(household__unit__number="4", household__door_number="301")
    assert (rec.channel, rec.recorded_by, rec.version) == ("paper", manager, 1)
    assert rec.history.get().history_user == manager


def test_the_same_sheet_again_changes_nothing_and_a_changed_answer_raises_the_version(
    manager_client, pipes
):
    rows = [["18", "2", "301", "同意", "1200", "修复墙面"], ["18", "2", "401", "同意", "500", ""]]
    page, url = upload(manager_client, pipes, rows)
    assert [r[1] for r in page.context["rows"]] == ["unchanged", "update"]
    manager_client.post(url)
    rec = pipes.consents.get(household__unit__number="2", household__door_number="401")
    assert (rec.answer, rec.version) == ("agree", 2)
    page, _url = upload(manager_client, pipes, rows)
    assert page.context["counts"]["unchanged"] == 2
    assertNotContains(page, ">Import</button>")


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["18", "9", "301", "同意", "", ""], "No household of the project at 18-9-301."),
        (["18", "2", "301", "也许", "", ""], "Unknown answer “也许”."),
        (["18", "2", "301", "同意", "-5", ""], "A contribution cannot be below zero."),
        (["18", "2", "301", "弃权", "", ""], "does not fit the project's kind of consent"),
        (["18", "2", "301", "同意", "abc", ""], "is not an amount"),
    ],
)
def test_a_bad_row_is_rejected_and_nothing_is_imported(manager_client, pipes, cells, reason):
    page, url = upload(manager_client, pipes, [["18", "4", "402", "同意", "", ""], cells])
    rejected = [r for r in page.context["rows"] if r[1] == "reject"]
    assert rejected[0][0] == "3" and reason in rejected[0][5]
    manager_client.post(url)
    assert "4-402" not in answers(pipes)


def test_a_door_given_twice_is_rejected(manager_client, pipes):
    page, _url = upload(
        manager_client,
        pipes,
        [["18", "4", "402", "同意", "", ""], ["18", "4", "402", "同意", "", ""]],
    )
    assert "Door number 402 already appears in row 2." in page.context["rows"][1][5]


def test_a_decision_whose_vote_is_not_open_refuses_the_file(manager_client, fund):
    fund.roll = fund.vote_opened_at = None
    fund.save()
    response = manager_client.post(
        reverse("projects:import", args=[fund.pk]),
        {"file": csv_file([HEADER, ["18", "4", "402", "同意", "", ""]])},
    )
    assertContains(response, "The vote has not been opened yet.")


def test_a_decision_takes_decision_answers_and_applies_them_by_owner(manager_client, fund):
    page, url = upload(manager_client, fund, [["18", "4", "402", "不同意", "", ""]])
    assert page.context["counts"]["create"] == 1
    manager_client.post(url)
    assert answers(fund)["4-402"] == ("disagree", None)


def test_an_answer_recorded_at_the_door_after_the_preview_is_not_overwritten(
    manager_client, staff_user, pipes
):
    _page, url = upload(manager_client, pipes, [["18", "2", "402", "同意", "300", ""]])
    h = pipes.consents.get(household__unit__number="2", household__door_number="402").household
    record(pipes, h, "decline", staff_user)
    response = manager_client.post(url, follow=True)
    assertContains(response, "Nothing was imported.")
    assertContains(response, "after the preview")
    assert answers(pipes)["2-402"] == ("decline", None)


def test_an_xlsx_sheet_with_variant_headers_is_read(manager_client, pipes):
    sheet = xlsx_file(
        [["楼号", "单元号", "房号", "答复", "出资（元）"], [18, 4, 401, "同意", 650.5]]
    )
    page, url = upload(manager_client, pipes, [], sheet=sheet)
    assert page.context["counts"]["create"] == 1
    manager_client.post(url)
    assert answers(pipes)["4-401"] == ("agree", Decimal("650.50"))


def test_a_gbk_csv_is_read(manager_client, pipes):
    page, _url = upload(
        manager_client, pipes, [["18", "4", "401", "待定", "", "要求先修墙"]], encoding="gbk"
    )
    assert page.context["counts"]["create"] == 1


def test_a_reader_who_manages_no_body_may_not_import(reader_client, pipes):
    assert reader_client.get(reverse("projects:import", args=[pipes.pk])).status_code == 403


def test_an_outsider_cannot_see_the_import(outsider_client, pipes):
    assert outsider_client.get(reverse("projects:import", args=[pipes.pk])).status_code in (
        403,
        404,
    )


def test_the_template_and_the_project_page_link(manager_client, pipes):
    rows = read_csv(manager_client.get(reverse("projects:import_template", args=[pipes.pk, "csv"])))
    assert rows[0][:4] == ["小区", "楼栋", "单元", "门牌号"]
    page = manager_client.get(pipes.get_absolute_url())
    assertContains(page, reverse("projects:import", args=[pipes.pk]))


def test_the_grid_rules_hold_for_every_imported_record(manager_client, pipes):
    _page, url = upload(manager_client, pipes, [["18", "4", "401", "不同意", "999", ""]])
    manager_client.post(url)
    assert (
        ConsentRecord.objects.get(
            project=pipes, household__unit__number="4", household__door_number="401"
        ).contribution
        is None
    )  # only an agreement keeps a pledge


def test_an_upload_for_one_project_cannot_be_confirmed_into_another(manager_client, pipes, fund):
    _page, url = upload(manager_client, pipes, [["18", "4", "402", "同意", "", ""]])
    token = url.rstrip("/").rsplit("/", 1)[1]
    other = reverse("projects:import_preview", args=[fund.pk, token])
    assert manager_client.get(other).status_code == 404
    assert manager_client.post(other).status_code == 404


def test_the_preview_queries_do_not_grow_with_rows(manager_client, pipes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _page, small = upload(manager_client, pipes, [["18", "4", "402", "同意", "", ""]])
    rows = [["18", u, d, "同意", "", ""] for u in ("2", "4") for d in ("301", "302", "401", "402")]
    _page, large = upload(manager_client, pipes, rows)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(small)
    with CaptureQueriesContext(connection) as many:
        page = manager_client.get(large)
    assert len(page.context["rows"]) == 8
    assert len(few) == len(many)


def test_answers_are_read_in_the_words_the_english_page_names(manager_client, pipes):
    page = manager_client.get(reverse("projects:import", args=[pipes.pk]))
    assertContains(page, "the answer (agree, decline, undecided, not reached;")
    rows = [["18", "4", "301", "Agree", "", ""], ["18", "4", "302", "not reached", "", ""]]
    _page, url = upload(manager_client, pipes, rows)
    manager_client.post(url)
    got = answers(pipes)
    assert (got["4-301"][0], got["4-302"][0]) == ("agree", "not_reached")


def test_a_door_in_two_compounds_of_the_project_needs_the_compound(
    staff_client, register, project_bodies
):
    # The neighbourhood committee's project covers unit 2 of building 18 in 庆丰小区 and in
    # 百腊井小区: 18-2-301 alone names two households.
    bailajing = project_bodies.bailajing.compound
    unit = UnitFactory(building=BuildingFactory(compound=bailajing, number="18"), number="2")
    elsewhere = HouseholdFactory(unit=unit, door_number="301")
    project = ProjectFactory(body=project_bodies.neighbourhood, units=[register.unit_a1, unit])
    page, url = upload(staff_client, project, [["18", "2", "301", "同意", "", ""]])
    assert page.context["rows"][0][1] == "reject"
    assert (
        "18-2-301 is in several compounds of the project (庆丰小区, 百腊井小区): give the compound."
        in page.context["rows"][0][5]
    )
    staff_client.post(url)
    assert not project.consents.exists()

    page, url = upload(
        staff_client,
        project,
        [["百腊井小区", "18", "2", "301", "同意"]],
        header=["小区", *HEADER[:4]],
    )
    staff_client.post(url)
    assert [r.household for r in project.consents.all()] == [elsewhere]


# Who voted (docs/domain.md, "Owners' decisions")

VOTER_HEADER = [*HEADER, "投票人", "选票编号"]


@pytest.fixture
def h(building_18):
    return building_18.households


def test_an_imported_vote_records_the_owner_and_the_ballot_number(manager_client, fund, h):
    page, url = upload(
        manager_client,
        fund,
        [["18", "4", "402", "反对", "", "", "慕容秋菊", "B-017"]],
        header=VOTER_HEADER,
    )
    assert page.context["counts"]["create"] == 1
    manager_client.post(url)
    record = ConsentRecord.objects.get(project=fund, household=h["4-402"])
    assert (record.answer, record.voter.name, record.ballot_number) == (
        "disagree",
        "慕容秋菊",
        "B-017",
    )


def test_an_imported_vote_by_someone_not_an_owner_on_the_roll_is_refused(manager_client, fund, h):
    before = ConsentRecord.objects.get(project=fund, household=h["4-401"]).answer
    page, _url = upload(
        manager_client,
        fund,
        [["18", "4", "401", "同意", "", "", "张三", ""]],
        header=VOTER_HEADER,
    )
    assert page.context["counts"]["reject"] == 1
    assertContains(page, "张三 is not an owner of this household on the roll")
    assert ConsentRecord.objects.get(project=fund, household=h["4-401"]).answer == before


def test_a_ballot_number_already_recorded_in_the_decision_is_refused(manager_client, fund, h):
    ConsentRecord.objects.filter(project=fund, household=h["4-301"]).update(ballot_number="B-001")
    page, _url = upload(
        manager_client,
        fund,
        [["18", "4", "402", "同意", "", "", "", "B-001"]],
        header=VOTER_HEADER,
    )
    assert page.context["counts"]["reject"] == 1
    assertContains(page, "Ballot number B-001 is already recorded in the decision.")
