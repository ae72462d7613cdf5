"""Who may record an answer: the sponsoring body's members, the community's staff (and
administrators), and the grid workers the sponsoring body has named for the project.

Seeing a project is not enough. The scenario of issue 17: 庆丰二号院自管会 (the
self-management committee of courtyard A2) runs an owners' decision over building 17;
钱军, the chair of a compound-wide committee of 庆丰小区, sees it, as he sees all of
compound A, but may not record its answers, by any way of recording: the grid, the
household's page, a visit, an import.

The people here, besides those of tests/projects/conftest.py:

- chair: 陈兰, chair of 庆丰二号院自管会, the sponsoring body;
- outsider_chair: 钱军, chair of 庆丰小区业主大会筹备组, a compound-wide body of compound A;
- courtyard_2_member (孙桂兰): may see courtyard A2, with no seat; named a grid worker in
  the tests that need one.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from committees.models import Body
from jinzang.names import person_name
from meetings.models import ConsentRecord, GridWorker, Project, Purpose, Visit
from meetings.projects import consent
from meetings.projects import imports as consent_imports
from meetings.visits import services as visit_services
from residents.models import AccessGrant, Household
from tests.factories import BodyFactory, UserFactory, stored
from tests.imports.sheets import csv_file
from tests.meetings.conftest import seat
from tests.projects.factories import ProjectFactory, open_vote

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
READ_ONLY = "You may see the answers but not record them."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


def answer_data(answer="disagree", version=0):
    return {"answer": answer, "channel": "visit", "conditions": "", "version": version}


def written():
    """What a refused write must leave as it was: the answers and their history, the visits,
    the grid workers and their history."""
    return (
        list(ConsentRecord.objects.order_by("pk").values_list("household", "answer", "version")),
        ConsentRecord.history.count(),
        Visit.objects.count(),
        list(GridWorker.objects.order_by("pk").values_list("project", "user")),
        GridWorker.history.count(),
    )


def name(user) -> str:
    return person_name(user)


@dataclass
class Courtyard2:
    body: Body
    decision: Project
    household: Household
    chair: object
    outsider_chair: object
    outsider_body: Body


@pytest.fixture
def courtyard_2(register):
    r = register
    body = BodyFactory(
        self_management=True,
        compound=r.compound_a,
        courtyard=r.courtyard_a2,
        name="庆丰二号院自管会",
    )
    chair = UserFactory(username="chenlan", first_name="兰", last_name="陈")
    seat(body, chair, resident=None, name="陈兰")
    outsider_body = BodyFactory(compound=r.compound_a, name="庆丰小区业主大会筹备组")
    outsider_chair = UserFactory(username="qianjun", first_name="军", last_name="钱")
    seat(outsider_body, outsider_chair, resident=None, name="钱军")
    decision = ProjectFactory(
        name="17栋外墙改造", body=body, decision=True, matter="renovate", units=[r.unit_a2]
    )
    decision = open_vote(decision)
    return Courtyard2(body, decision, r.household_a2, chair, outsider_chair, outsider_body)


@pytest.fixture
def named(log_in, courtyard_2, courtyard_2_member):
    """孙桂兰 named a grid worker of the decision by its chair, on the project page."""
    response = log_in(courtyard_2.chair).post(
        url("grid_worker_add", courtyard_2.decision.pk), {"user": courtyard_2_member.pk}
    )
    assert response.status_code == 302
    return GridWorker.objects.get(project=courtyard_2.decision, user=courtyard_2_member)


# The finding


def test_a_compound_wide_member_of_another_body_cannot_record_disagree_in_a_self_management_decision(
    log_in, courtyard_2, media_root
):
    c = courtyard_2
    client = log_in(c.outsider_chair)
    record_url = url("record", c.decision.pk, c.household.pk)
    before = written()

    assertContains(client.get(url("project", c.decision.pk)), "17栋外墙改造")  # he may see it
    assert client.post(record_url, answer_data("disagree"), **HX).status_code == 403
    assert client.post(record_url, answer_data("disagree")).status_code == 403
    # nor with the scan of a signed paper form
    scan = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    assert client.post(record_url, {**answer_data("disagree"), "scan": scan}).status_code == 403

    assert written() == before
    assert not ConsentRecord.objects.filter(project=c.decision).exists()
    files = list(media_root.rglob("*")) if media_root.exists() else []
    assert not [f for f in files if f.is_file()]


def test_who_may_see_but_not_record_gets_the_answers_read_only(log_in, courtyard_2, staff_user):
    c = courtyard_2
    consent.consent_record(
        project=c.decision, household=c.household, answer="agree", recorded_by=staff_user
    )
    client = log_in(c.outsider_chair)

    grid = client.get(url("grid", c.decision.pk, c.household.unit.building_id))
    assertContains(grid, READ_ONLY)
    assertNotContains(grid, "Tap a door, then tap the answer.")
    for page in (
        client.get(url("record", c.decision.pk, c.household.pk), **HX),
        client.get(url("record", c.decision.pk, c.household.pk)),
    ):
        assertContains(page, "Agrees")
        assertContains(page, READ_ONLY)
        assertNotContains(page, 'name="answer"')
        assertNotContains(page, '<form method="post" enctype')
    project = client.get(url("project", c.decision.pk))
    assertContains(project, READ_ONLY)
    assertNotContains(project, url("import", c.decision.pk))
    assertNotContains(project, url("grid_worker_add", c.decision.pk))

    chairs = log_in(c.chair).get(url("record", c.decision.pk, c.household.pk), **HX)
    assertContains(chairs, 'name="answer" value="disagree"')
    assertNotContains(chairs, READ_ONLY)


@pytest.mark.parametrize("who", ["chair", "staff_user", "admin_user"])
def test_the_sponsoring_bodys_members_staff_and_administrators_may_record(
    request, log_in, courtyard_2, who
):
    c = courtyard_2
    user = c.chair if who == "chair" else request.getfixturevalue(who)
    response = log_in(user).post(
        url("record", c.decision.pk, c.household.pk), answer_data("disagree"), **HX
    )

    assertContains(response, f"Unit {c.household.unit.number}, 502: Disagrees.")
    record = ConsentRecord.objects.get(project=c.decision, household=c.household)
    assert (record.answer, record.recorded_by) == ("disagree", user)
    assert c.decision.can_record(user)
    assert c.decision in Project.objects.recordable_by(user)


# Grid workers


def test_a_named_grid_worker_may_record(log_in, courtyard_2, courtyard_2_member):
    c = courtyard_2
    client = log_in(courtyard_2_member)
    record_url = url("record", c.decision.pk, c.household.pk)
    assert client.post(record_url, answer_data("abstain")).status_code == 403
    assert not ConsentRecord.objects.filter(project=c.decision).exists()

    response = log_in(c.chair).post(
        url("grid_worker_add", c.decision.pk), {"user": courtyard_2_member.pk}, follow=True
    )
    assertContains(response, f"{name(courtyard_2_member)} may now record answers")

    response = client.post(record_url, answer_data("abstain"))
    assert response.status_code == 302
    record = ConsentRecord.objects.get(project=c.decision, household=c.household)
    assert (record.answer, record.recorded_by) == ("abstain", courtyard_2_member)
    panel = client.get(record_url, **HX)
    assertContains(panel, 'name="answer" value="agree"')
    assertNotContains(panel, READ_ONLY)


def test_removing_a_grid_worker_takes_the_right_away(log_in, courtyard_2, named):
    c = courtyard_2
    worker = named.user
    client = log_in(worker)
    record_url = url("record", c.decision.pk, c.household.pk)
    assert client.post(record_url, answer_data("agree"), **HX).status_code == 200

    response = log_in(c.chair).post(url("grid_worker_remove", c.decision.pk, named.pk), follow=True)
    assertContains(response, f"{name(worker)} may no longer record answers")
    assert not GridWorker.objects.filter(pk=named.pk).exists()

    before = written()
    assert client.post(record_url, answer_data("disagree", version=1), **HX).status_code == 403
    assert written() == before
    assert ConsentRecord.objects.get(project=c.decision, household=c.household).answer == "agree"
    assert not c.decision.can_record(worker)


def test_each_naming_and_removal_is_logged_with_who_and_when_and_shown_on_the_project_page(
    log_in, courtyard_2, courtyard_2_member, staff_user
):
    c = courtyard_2
    started = timezone.now()
    chair = log_in(c.chair)
    chair.post(url("grid_worker_add", c.decision.pk), {"user": courtyard_2_member.pk})
    worker = GridWorker.objects.get(project=c.decision)
    assert (worker.added_by, worker.user) == (c.chair, courtyard_2_member)
    log_in(staff_user).post(url("grid_worker_remove", c.decision.pk, worker.pk))
    chair.post(url("grid_worker_add", c.decision.pk), {"user": c.outsider_chair.pk})

    log = list(GridWorker.history.filter(project_id=c.decision.pk).order_by("history_id"))
    assert [(e.history_type, e.user_id, e.history_user) for e in log] == [
        ("+", courtyard_2_member.pk, c.chair),
        ("-", courtyard_2_member.pk, staff_user),
        ("+", c.outsider_chair.pk, c.chair),
    ]
    assert all(started <= e.history_date <= timezone.now() for e in log)

    page = log_in(c.outsider_chair).get(url("project", c.decision.pk))
    for line in (
        f"{name(c.chair)} named {name(courtyard_2_member)}",
        f"{name(staff_user)} removed {name(courtyard_2_member)}",
        f"{name(c.chair)} named {name(c.outsider_chair)}",
    ):
        assertContains(page, line)
    assertContains(page, f"named by {name(c.chair)}")
    # the grid worker now records, and sees no form to name or remove others
    assertNotContains(page, READ_ONLY)
    assertNotContains(page, url("grid_worker_add", c.decision.pk))
    assertNotContains(page, "/remove/")


def test_only_the_projects_managers_may_name_or_remove_grid_workers(
    log_in, client, courtyard_2, named, community_b_user, other_member
):
    c = courtyard_2
    add = url("grid_worker_add", c.decision.pk)
    remove = url("grid_worker_remove", c.decision.pk, named.pk)
    before = written()

    for user in (c.outsider_chair, named.user):  # they see the project
        who = log_in(user)
        assert who.post(add, {"user": c.outsider_chair.pk}).status_code == 403
        assert who.post(remove).status_code == 403
    for user in (community_b_user, other_member):  # they do not
        who = log_in(user)
        assert who.post(add, {"user": c.outsider_chair.pk}).status_code == 404
        assert who.post(remove).status_code == 404
    assert client.post(add, {"user": c.outsider_chair.pk}).status_code == 302  # to log in
    assert written() == before
    with pytest.raises(PermissionDenied):
        consent.grid_worker_add(project=c.decision, user=c.outsider_chair, added_by=named.user)
    with pytest.raises(PermissionDenied):
        consent.grid_worker_remove(grid_worker=named, removed_by=c.outsider_chair)
    assert written() == before


def test_a_grid_worker_of_another_project_may_not_be_removed_through_this_one(
    log_in, courtyard_2, named, register
):
    c = courtyard_2
    other = ProjectFactory(body=c.body, units=[register.unit_a2])
    assert log_in(c.chair).post(url("grid_worker_remove", other.pk, named.pk)).status_code == 404
    assert GridWorker.objects.filter(pk=named.pk).exists()


def test_only_people_who_may_see_the_project_and_do_not_record_yet_may_be_named(
    log_in,
    courtyard_2,
    courtyard_2_member,
    staff_user,
    manager,
    reader,
    other_member,
    community_b_user,
):
    c = courtyard_2
    candidates = set(c.decision.grid_worker_candidates())
    # 钱军 and 周敏 see all of compound A, 孙桂兰 courtyard A2; none has a seat on the body
    assert candidates == {c.outsider_chair, reader, courtyard_2_member}
    for user in candidates:
        assert c.decision in Project.objects.visible_to(user)
        assert not c.decision.can_record(user)

    chair = log_in(c.chair)
    form = chair.get(url("project", c.decision.pk))
    assertContains(form, f'<option value="{courtyard_2_member.pk}">{name(courtyard_2_member)}')
    before = written()
    # staff and the chair record anyway; the others cannot see the project
    for user in (staff_user, c.chair, manager, other_member, community_b_user):
        response = chair.post(url("grid_worker_add", c.decision.pk), {"user": user.pk}, follow=True)
        assertContains(response, "Select a valid choice.")
    for bad in ("", "abc", "99999999999999999999"):
        response = chair.post(url("grid_worker_add", c.decision.pk), {"user": bad}, follow=True)
        assert response.status_code == 200
        assertContains(response, 'class="message error"')
    assert written() == before

    chair.post(url("grid_worker_add", c.decision.pk), {"user": reader.pk})
    assert reader not in set(c.decision.grid_worker_candidates())
    response = chair.post(url("grid_worker_add", c.decision.pk), {"user": reader.pk}, follow=True)
    assertContains(response, "Select a valid choice.")
    assert GridWorker.objects.filter(project=c.decision, user=reader).count() == 1


def test_a_grid_worker_who_no_longer_sees_the_place_loses_the_right(log_in, courtyard_2, named):
    c = courtyard_2
    grant = AccessGrant.objects.get(user=named.user)
    AccessGrant.objects.filter(pk=grant.pk).update(
        starts_on=datetime.date(2020, 1, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    worker = stored(named.user)

    assert not c.decision.can_record(worker)
    assert log_in(worker).post(
        url("record", c.decision.pk, c.household.pk), answer_data()
    ).status_code in (403, 404)
    assert not ConsentRecord.objects.filter(project=c.decision).exists()


# The other ways of recording


def visit_url(household):
    return f"{reverse('visits:visit_create')}?household={household.pk}"


def visit_data(**changes):
    return {
        "visited_on": timezone.localdate().isoformat(),
        "purpose": Purpose.MOBILISATION,
        "outcome": Visit.Outcome.MET,
        "notes": "",
        "other_visitors": "",
        **changes,
    }


def test_the_visit_form_offers_and_accepts_only_projects_the_user_may_record_in(
    log_in, courtyard_2
):
    c = courtyard_2
    client = log_in(c.outsider_chair)
    page = client.get(visit_url(c.household))
    assert "consent_project" not in page.context["form"].fields
    before = written()

    response = client.post(
        visit_url(c.household),
        visit_data(consent_project=c.decision.pk, consent_answer="disagree"),
    )
    assert response.status_code == 200
    assertContains(response, "You may not record answers for this household&#x27;s projects.")
    assert written() == before

    # A project of his own body over the same unit is offered; the decision still is not.
    own = ProjectFactory(name="17栋楼道粉刷", body=c.outsider_body, units=[c.household.unit])
    page = client.get(visit_url(c.household))
    assert list(page.context["form"].fields["consent_project"].queryset) == [own]
    response = client.post(
        visit_url(c.household),
        visit_data(consent_project=c.decision.pk, consent_answer="disagree"),
    )
    assert response.status_code == 200
    assert "consent_project" in response.context["form"].errors
    assert written() == before
    response = client.post(
        visit_url(c.household), visit_data(consent_project=own.pk, consent_answer="agree")
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.get(household=c.household).project == own


def test_a_named_grid_worker_records_through_the_visit_form(log_in, courtyard_2, named):
    c = courtyard_2
    client = log_in(named.user)
    page = client.get(visit_url(c.household))
    assert list(page.context["form"].fields["consent_project"].queryset) == [c.decision]
    response = client.post(
        visit_url(c.household), visit_data(consent_project=c.decision.pk, consent_answer="agree")
    )
    assert response.status_code == 302
    record = ConsentRecord.objects.get(project=c.decision)
    assert (record.answer, record.recorded_by, record.channel) == ("agree", named.user, "visit")


def test_the_import_refuses_a_user_who_may_not_record(log_in, courtyard_2, tmp_path):
    c = courtyard_2
    client = log_in(c.outsider_chair)
    rows = [["楼栋", "单元", "门牌号", "意见"], ["17", "3", "502", "反对"]]
    before = written()

    assert client.get(url("import", c.decision.pk)).status_code == 403
    assert client.get(url("import_template", c.decision.pk, "csv")).status_code == 403
    response = client.post(url("import", c.decision.pk), {"file": csv_file(rows)})
    assert response.status_code == 403
    assert client.post(url("import_preview", c.decision.pk, "0" * 32)).status_code == 403
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_file(rows).read())
    for write in (False, True):
        with pytest.raises(PermissionDenied):
            consent_imports.consent_import(
                project=c.decision, path=path, user=c.outsider_chair, write=write, versions={}
            )
    assert written() == before


def test_a_named_grid_worker_may_import_the_paper_forms(log_in, courtyard_2, named):
    c = courtyard_2
    client = log_in(named.user)
    rows = [["楼栋", "单元", "门牌号", "意见"], ["17", "3", "502", "反对"]]
    response = client.post(url("import", c.decision.pk), {"file": csv_file(rows)})
    assert response.status_code == 302
    response = client.post(response["Location"], follow=True)
    assertContains(response, "Imported: 1 new, 0 changed, 0 unchanged.")
    record = ConsentRecord.objects.get(project=c.decision)
    assert (record.answer, record.recorded_by, record.channel) == ("disagree", named.user, "paper")


def test_the_services_refuse_a_recorder_without_the_right(courtyard_2):
    c = courtyard_2
    before = written()
    with pytest.raises(PermissionDenied):
        consent.consent_record(
            project=c.decision,
            household=c.household,
            answer="disagree",
            recorded_by=c.outsider_chair,
        )
    with pytest.raises(PermissionDenied):
        consent.consent_record(
            project=c.decision, household=c.household, answer="disagree", recorded_by=None
        )
    with pytest.raises(PermissionDenied):
        visit_services.visit_record(
            household=c.household,
            purpose=Purpose.MOBILISATION,
            recorded_by=c.outsider_chair,
            consent_project=c.decision,
            consent_answer="disagree",
        )
    assert written() == before
