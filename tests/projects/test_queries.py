"""Every page of renovation projects runs a fixed number of queries, however big the project.

Each test measures a page over building 18's eight households, grows the project
by a unit of 60 households (each with an owner, most with a recorded answer, some
with conditions), measures again and expects the same count. The first queries of
every page seen logged in are the same three: the session, the user, and the user's
active access grants.
"""

import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from committees.models import Member
from meetings.models import ConsentRecord, GridWorker, Project
from meetings.projects.consent import (
    consent_record,
    grid_worker_remove,
    result_publish,
    vote_close,
)
from residents.models import AccessGrant, Household, Membership, OwnerRollEntry, Resident
from tests.factories import ResidentFactory, UnitFactory, UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# session + user + the user's active access grants
BASE = 3

HX = {"HTTP_HX_REQUEST": "true"}
GROWTH = 60
ANSWERS = {
    "cofunding": ["agree", "decline", "undecided", None],
    "decision": ["agree", "disagree", "abstain", None],
}


def grow(project, building, n=GROWTH):
    """`n` more households in a new unit of building 18, each with an owner; three in four
    with an answer (agreeing ones pledge 100 yuan and every fifth raises a condition).
    An open vote gets them on its roll, as if they had been there when it opened."""
    unit = UnitFactory(building=building, number=str(10 + project.units.count()))
    households = Household.objects.bulk_create(
        Household(unit=unit, door_number=str(1001 + i), area=Decimal(50 + i % 30)) for i in range(n)
    )
    owners = Resident.objects.bulk_create(ResidentFactory.build_batch(n))
    Membership.objects.bulk_create(
        Membership(resident=r, household=h, relation=Membership.Relation.OWNER)
        for r, h in zip(owners, households, strict=True)
    )
    project.units.add(unit)
    if project.roll_id:
        OwnerRollEntry.objects.bulk_create(
            OwnerRollEntry(roll=project.roll, household=h, owner_key=f"o{h.pk}", area=h.area)
            for h in households
        )
    cycle = ANSWERS[project.consent_kind]
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            project=project,
            household=h,
            answer=cycle[i % 4],
            contribution=Decimal(100) if cycle[i % 4] == "agree" else None,
            conditions=f"条件{i % 3}" if i % 5 == 0 else "",
        )
        for i, h in enumerate(households)
        if cycle[i % 4]
    )


@pytest.fixture
def measure(django_assert_num_queries, building_18):
    """Request `url` with `client`, grow `project`, request again: `n` queries both times.
    `data` may be a function, called before each request (outside the count)."""

    def measure(client, url, n, project, method="get", data=None, grows=grow, **extra):
        send = getattr(client, method)
        payload = data() if callable(data) else data
        with django_assert_num_queries(n):
            small = send(url, payload, **extra)
        assert small.status_code in (200, 302), small.status_code
        grows(project, building_18.building)
        payload = data() if callable(data) else data
        with django_assert_num_queries(n):
            large = send(url, payload, **extra)
        assert large.status_code == small.status_code
        return small, large

    return measure


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


def grow_projects(project, building, n=GROWTH):
    """`n` more projects of the same body, each over the same units."""
    created = Project.objects.bulk_create(
        ProjectFactory.build(body=project.body, name=f"第{i}号楼道改造") for i in range(n)
    )
    Project.units.through.objects.bulk_create(
        Project.units.through(project=p, unit=u) for p in created for u in project.units.all()
    )


def test_project_list_queries_do_not_grow_with_projects(measure, manager_client, pipes, fund):
    # BASE + may the user create (a body they manage) + the projects with their bodies
    small, large = measure(
        manager_client, url("project_list"), BASE + 2, pipes, grows=grow_projects
    )
    assert large.content.decode().count('class="card"') > GROWTH


# BASE + the project + is the user a member of its body + may the user record answers +
# the figures' stamp (records, households covered) + answers by kind + households covered +
# conditions raised + agreement by day + meetings + decisions + the grid workers (with who
# named them) + their log of namings and removals + buildings for the grid + one aggregate
# for the figures (progress by unit, or the verdict). Growing the project changes the
# stamp, so both requests count the figures.
PROJECT_PAGE = BASE + 15
# A manager's page also offers whom to name a grid worker: the candidates, in one query.
PROJECT_PAGE_MANAGER = PROJECT_PAGE + 1
# Seen again unchanged, the figures come from the cache: six queries fewer.
PROJECT_PAGE_CACHED = PROJECT_PAGE_MANAGER - 6


def test_campaign_page_queries_do_not_grow_with_households(measure, manager_client, pipes):
    small, large = measure(manager_client, url("project", pipes.pk), PROJECT_PAGE_MANAGER, pipes)
    assert f'<span class="stat-value">{8 + GROWTH}</span>' in large.content.decode()


def test_campaign_page_for_staff_queries_do_not_grow_with_households(measure, staff_client, pipes):
    # staff manage every body of their community: no question about seats
    measure(staff_client, url("project", pipes.pk), PROJECT_PAGE_MANAGER - 1, pipes)


def grow_grid_workers(project, building, n=GROWTH):
    """`n` more committee members of the project's courtyard named grid workers by the
    body's chair (with their history, as the service keeps it); a third removed again."""
    chair = Member.objects.current().get(term__body=project.body).user
    body = project.body
    users = UserFactory.create_batch(n)
    AccessGrant.objects.bulk_create(
        AccessGrant(
            user=u,
            role=AccessGrant.Role.COMMITTEE_MEMBER,
            community=body.community,
            compound=body.compound,
            courtyard=body.courtyard,
            reason="网格员",
        )
        for u in users
    )
    bulk_create_with_history(
        [GridWorker(project=project, user=u, added_by=chair) for u in users],
        GridWorker,
        default_user=chair,
    )
    for worker in project.grid_workers.filter(user__in=users[: n // 3]):
        grid_worker_remove(grid_worker=worker, removed_by=chair)
    # The figures did not change, but both requests are to count them.
    cache.clear()


def test_project_page_queries_do_not_grow_with_grid_workers(measure, manager_client, pipes):
    small, large = measure(
        manager_client,
        url("project", pipes.pk),
        PROJECT_PAGE_MANAGER,
        pipes,
        grows=grow_grid_workers,
    )
    page = large.content.decode()
    named = GROWTH - GROWTH // 3
    assert page.count("/remove/") == named
    assert page.count(" named ") == GROWTH
    assert page.count(" removed ") == GROWTH // 3


def agreeing(page) -> int:
    return int(re.search(r'stat-value">(\d+)</span><span class="stat-label">✓', page).group(1))


def test_an_unchanged_project_is_counted_once(
    django_assert_num_queries, manager_client, pipes, manager
):
    page = url("project", pipes.pk)
    manager_client.get(page)
    with django_assert_num_queries(PROJECT_PAGE_CACHED):
        again = manager_client.get(page).content.decode()
    # An answer changes the stamp: the next view counts it.
    household = (
        pipes.covered_households()
        .exclude(consents__project=pipes, consents__answer=ConsentRecord.Answer.AGREE)
        .first()
    )
    record = ConsentRecord.objects.filter(project=pipes, household=household).first()
    consent_record(
        project=pipes,
        household=household,
        answer=ConsentRecord.Answer.AGREE,
        recorded_by=manager,
        expected_version=record.version if record else 0,
    )
    with django_assert_num_queries(PROJECT_PAGE_MANAGER):
        after = manager_client.get(page).content.decode()
    assert agreeing(after) == agreeing(again) + 1


def test_decision_page_queries_do_not_grow_with_households(measure, reader_client, fund):
    small, large = measure(reader_client, url("project", fund.pk), PROJECT_PAGE, fund)
    assert "All owners (frozen roll)" in large.content.decode()


# A closed decision's figures are its frozen result: no answers by kind, no households
# covered, no verdict counted.
CLOSED_DECISION_PAGE = PROJECT_PAGE - 3


@pytest.mark.parametrize("step", ["closed", "published"])
def test_closed_decision_page_queries_do_not_grow_with_households(
    measure, reader_client, fund, manager, step
):
    closed = vote_close(project=fund, by=manager, reason="全部业主已表决")
    if step == "published":
        closed = result_publish(project=closed, by=manager)

    small, large = measure(reader_client, url("project", fund.pk), CLOSED_DECISION_PAGE, closed)

    page = large.content.decode()
    assert f'class="badge stage-{step}"' in page
    # the 4 households of the frozen result, not the 64 covered now
    assert '<span class="stat-value">4</span><span class="stat-label">households' in page


def test_closed_decision_summary_queries_do_not_grow_with_households(
    measure, client, fund, manager
):
    vote_close(project=fund, by=manager, reason="全部业主已表决")
    # the project, and nothing counted
    small, large = measure(client, url("summary", fund.pk), 1, fund)
    assert small.content == large.content


def test_consent_grid_queries_do_not_grow_with_households(
    measure, reader_client, pipes, building_18
):
    # BASE + project + seat + the building + its households with their answers + the
    # project's buildings for the tabs + may the user record (the hint above the grid)
    page = url("grid", pipes.pk, building_18.building.pk)
    small, large = measure(reader_client, page, BASE + 6, pipes)
    assert large.content.decode().count('class="cell ans-') == 8 + GROWTH


def test_decision_grid_of_who_records_queries_do_not_grow_with_households(
    measure, manager_client, fund, building_18
):
    # BASE + project + seat + the building + its households with their answers + the
    # project's buildings + may the user record + the open vote's owners of each household
    # (the answer form made with no signal asks which one voted where there are several)
    page = url("grid", fund.pk, building_18.building.pk)
    small, large = measure(manager_client, page, BASE + 7, fund)
    assert 'id="offline-form"' in large.content.decode()


# BASE + project + seat + the household + its record (with who recorded it) + may the
# user record (the answer buttons, or the answer read only)
PANEL = BASE + 5


def test_record_panel_queries_do_not_grow_with_households(
    measure, reader_client, pipes, building_18
):
    # the panel's + the household's owners
    page = url("record", pipes.pk, building_18.households["2-301"].pk)
    measure(reader_client, page, PANEL + 1, pipes, **HX)


def test_household_page_queries_do_not_grow_with_households(
    measure, reader_client, pipes, building_18
):
    # The panel's + the household's owners; the page's project, building and way back
    # come with the project and the household.
    page = url("record", pipes.pk, building_18.households["2-301"].pk)
    small, large = measure(reader_client, page, PANEL + 1, pipes)
    assert "<h1>Building 18, unit 2, door 301</h1>" in large.content.decode()


def test_household_page_with_its_history_queries_do_not_grow_with_households(
    measure, staff_client, pipes, building_18
):
    # The panel's, but staff hold no seat to look up (- 1), + the household's owners + the
    # record's history, shown to the community's staff: its changes, the versions before
    page = url("record", pipes.pk, building_18.households["2-301"].pk)
    small, large = measure(staff_client, page, PANEL - 1 + 1 + 2, pipes)
    assert "history-section" in large.content.decode()


def test_htmx_record_post_queries_do_not_grow_with_households(
    measure, manager_client, pipes, building_18
):
    door = building_18.households["4-301"]
    page = url("record", pipes.pk, door.pk)
    answers = iter(["agree", "decline"])

    def change():
        """The next answer, over the version now recorded."""
        version = ConsentRecord.objects.get(project=pipes, household=door).version
        return {"answer": next(answers), "channel": "visit", "conditions": "", "version": version}

    # the first post creates the record; measured from then on, each post changes it
    manager_client.post(page, {"answer": "undecided", "channel": "visit", "version": 0}, **HX)
    # the panel's + the write: a savepoint and its release; may the recorder record (the
    # service asks again, whoever calls it); the project, locked (a close waits for it); is
    # the household covered; the record, locked; full_clean: its project, household and
    # recorder exist, it is the only one, its two checks (3 each, in a savepoint of their
    # own: the contribution, the ballot number); the update and its history row
    # + the building's households with their answers (the legend, the left-to-visit list)
    write = 2 + 1 + 1 + 1 + 1 + 3 + 1 + 3 + 3 + 2
    small, large = measure(
        manager_client, page, PANEL + write + 1, pipes, method="post", data=change, **HX
    )
    assert "hx-swap-oob" in large.content.decode()
    assert ConsentRecord.objects.get(project=pipes, household=door).version == 3


def test_household_page_post_queries_do_not_grow_with_households(
    measure, manager_client, pipes, building_18
):
    door = building_18.households["4-301"]
    page = url("record", pipes.pk, door.pk)
    answers = iter(["agree", "decline"])

    def change():
        version = ConsentRecord.objects.get(project=pipes, household=door).version
        return {
            "answer": next(answers),
            "channel": "visit",
            "conditions": "",
            "version": version,
            "from": "household",
        }

    manager_client.post(page, {"answer": "undecided", "channel": "visit", "version": 0}, **HX)
    # the panel's + the write (as above) + the household's owners, for the page again
    write = 2 + 1 + 1 + 1 + 1 + 3 + 1 + 3 + 3 + 2
    small, large = measure(
        manager_client, page, PANEL + write + 1, pipes, method="post", data=change, **HX
    )
    assert '<p class="message" role="status">Unit 4, 301: Declines.</p>' in large.content.decode()


def test_queued_record_post_queries_do_not_grow_with_households(
    measure, manager_client, pipes, building_18
):
    """An answer sent from the offline queue: the panel's checks, the key looked up, then
    the write with the key inserted in its transaction."""
    door = building_18.households["4-301"]
    page = url("record", pipes.pk, door.pk)
    answers = iter(["agree", "decline"])

    def change():
        version = ConsentRecord.objects.get(project=pipes, household=door).version
        return {
            "answer": next(answers),
            "channel": "visit",
            "conditions": "",
            "version": version,
            "offline_key": str(uuid.uuid4()),
        }

    manager_client.post(page, {"answer": "undecided", "channel": "visit", "version": 0}, **HX)
    # the panel's + the key, not received before + a savepoint around the key and the
    # write, and its release + a savepoint around the key's insert, the insert, its
    # release + the write (as above) + what the key made, saved
    write = 2 + 1 + 1 + 1 + 1 + 3 + 1 + 3 + 3 + 2
    small, large = measure(
        manager_client,
        page,
        PANEL + 1 + 2 + 3 + write + 1,
        pipes,
        method="post",
        data=change,
        HTTP_X_OFFLINE_QUEUE="1",
    )
    assert large.json()["status"] == "stored"


# The project + answers by kind + households covered + one aggregate for the figures;
# no session: the summary is read without logging in
SUMMARY = 4


def test_summary_queries_do_not_grow_with_households(measure, client, pipes):
    measure(client, url("summary", pipes.pk), SUMMARY, pipes)


def test_decision_summary_queries_do_not_grow_with_households(measure, client, fund):
    measure(client, url("summary", fund.pk), SUMMARY, fund)


def test_csv_export_queries_do_not_grow_with_households(measure, staff_client, pipes):
    # BASE + project + the records with who recorded them + the households + their owners
    small, large = measure(staff_client, url("export", pipes.pk, "csv"), BASE + 4, pipes)
    assert large.content.decode("utf-8-sig").count("\n") == 1 + 8 + GROWTH
