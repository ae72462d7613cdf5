from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from meetings.models import ConsentRecord, GridWorker
from meetings.projects import consent
from residents.models import Household
from tests.factories import UnitFactory, stored
from tests.projects.factories import ConsentRecordFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def admin_url(name, *args):
    return reverse(f"admin:meetings_{name}", args=args)


def count_queries(client, url):
    client.get(url)  # warms the process-wide caches (content types) the admin reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_rows(project, building, n):
    """`n` more projects of the same body, and `n` more households of a new unit with an
    answer each in `project`."""
    for i in range(n):
        ProjectFactory(body=project.body, name=f"第{i}号楼道改造")
    unit = UnitFactory(building=building)
    households = Household.objects.bulk_create(
        Household(unit=unit, door_number=str(2001 + i), area=Decimal(60)) for i in range(n)
    )
    project.units.add(unit)
    for household in households:
        ConsentRecordFactory(project=project, household=household, answer="decline")


def test_project_changelist_opens_and_counts_each_projects_records(admin_client, pipes, fund):
    response = admin_client.get(admin_url("project_changelist"))
    assertContains(response, "铸铁管改造")
    assertContains(response, "使用维修资金更换水泵")
    page = response.content.decode()
    assert page.count('<td class="field-record_count">4</td>') == 1
    assert page.count('<td class="field-record_count">3</td>') == 1


def test_project_change_page_opens_with_its_records_inline(admin_client, pipes):
    response = admin_client.get(admin_url("project_change", pipes.pk))
    assertContains(response, 'value="铸铁管改造"')
    assertContains(response, "庆丰小区 building 18 unit 2, 301")
    assertContains(response, "修复墙面")


def test_consent_record_changelist_change_and_history_pages_open(admin_client, pipes, h_301):
    changelist = admin_client.get(admin_url("consentrecord_changelist"))
    assertContains(changelist, "庆丰小区 building 18 unit 2, 301")
    assertContains(changelist, '<td class="field-contribution">1200.00</td>', html=True)
    assertContains(admin_client.get(admin_url("consentrecord_change", h_301.pk)), "修复墙面")
    assert admin_client.get(admin_url("consentrecord_history", h_301.pk)).status_code == 200


def test_consent_records_are_not_added_through_the_admin(admin_client, pipes):
    assert admin_client.get(admin_url("consentrecord_add")).status_code == 403


def test_grid_workers_are_listed_and_an_administrator_naming_one_is_recorded_as_namer(
    admin_client, admin_user, pipes, courtyard_member, reader
):
    consent.grid_worker_add(project=pipes, user=courtyard_member, added_by=admin_user)
    changelist = admin_client.get(admin_url("gridworker_changelist"))
    assertContains(changelist, "铸铁管改造")
    assertContains(changelist, courtyard_member.username)
    worker = GridWorker.objects.get()
    assert admin_client.get(admin_url("gridworker_history", worker.pk)).status_code == 200

    response = admin_client.post(
        admin_url("gridworker_add"), {"project": pipes.pk, "user": reader.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = GridWorker.objects.get(user=reader)
    assert added.added_by == admin_user
    assert added.history.get().history_user == admin_user
    assert pipes.can_record(reader)


def test_project_search_and_filters_work(admin_client, pipes, fund):
    response = admin_client.get(admin_url("project_changelist"), {"q": "铸铁管"})
    assertContains(response, "铸铁管改造")
    assert "使用维修资金更换水泵" not in response.content.decode()
    response = admin_client.get(admin_url("project_changelist"), {"consent_kind": "decision"})
    assertContains(response, "使用维修资金更换水泵")


@pytest.mark.parametrize("model", ["project", "consentrecord"])
def test_changelist_queries_do_not_grow_with_rows(admin_client, pipes, fund, building_18, model):
    url = admin_url(f"{model}_changelist")
    add_rows(pipes, building_18.building, 2)
    small = count_queries(admin_client, url)
    add_rows(pipes, building_18.building, 12)
    assert count_queries(admin_client, url) == small


def test_project_change_page_queries_do_not_grow_with_its_records(admin_client, pipes, building_18):
    url = admin_url("project_change", pipes.pk)
    add_rows(pipes, building_18.building, 2)
    small = count_queries(admin_client, url)
    add_rows(pipes, building_18.building, 12)
    assert count_queries(admin_client, url) == small


# The admin must not get round the rules the project's pages keep


class FormValues(HTMLParser):
    """The values a browser would post for the forms of a page."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def change_form(client, url):
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    return parser.data


@pytest.fixture
def h_301(pipes, building_18):
    return ConsentRecord.objects.get(project=pipes, household=building_18.households["2-301"])


def test_an_answer_changed_in_the_admin_is_not_overwritten_by_an_older_form(
    admin_client, pipes, h_301, manager
):
    url = admin_url("project_change", pipes.pk)
    data = change_form(admin_client, url)
    row = next(
        k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == [str(h_301.pk)]
    )
    data[f"{row}-answer"] = ["decline"]

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    h_301.refresh_from_db()
    # either the admin may not change an answer, or changing it raises the version so
    # that a grid form opened before (at version 1) is refused
    assert (h_301.answer, h_301.version) in {("agree", 1), ("decline", 2)}
    if h_301.answer == "decline":
        with pytest.raises(consent.ConsentConflict):
            consent.consent_record(
                project=pipes,
                household=h_301.household,
                answer="agree",
                recorded_by=manager,
                expected_version=1,
            )


def test_the_admin_cannot_change_the_units_of_an_open_vote(admin_client, fund, building_18):
    url = admin_url("project_change", fund.pk)
    data = change_form(admin_client, url)
    data["units"] = [str(building_18.unit_4.pk), str(building_18.unit_2.pk)]

    admin_client.post(url, data)

    assert list(stored(fund).units.all()) == [building_18.unit_4]
