import csv
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from jinzang.names import person_name
from meetings.models import ConsentRecord, Project
from meetings.projects import consent
from residents.owners.owners_vote import Matter
from tests.factories import HouseholdFactory, UserFactory, stored
from tests.notices.factories import image_bytes, pdf_bytes
from tests.projects.conftest import OWNER_NAMES, OWNER_PHONES, record
from tests.projects.factories import ProjectFactory, announced

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
PDF = pdf_bytes()


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def snapshot():
    """What a write could change: every record's fields, and their history."""
    return (
        list(
            ConsentRecord.objects.order_by("pk").values_list(
                "project", "household", "answer", "contribution", "conditions", "scan", "version"
            )
        ),
        ConsentRecord.history.count(),
    )


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def answer_data(answer="agree", version=0, **fields):
    return {"answer": answer, "channel": "visit", "conditions": "", "version": version} | fields


@pytest.fixture
def h(building_18):
    return building_18.households


@pytest.fixture
def pages(pipes, building_18, h):
    """Every page about the pipes campaign (the record panel and print form of 2-301)."""
    return {
        "project": url("project", pipes.pk),
        "grid": url("grid", pipes.pk, building_18.building.pk),
        "record": url("record", pipes.pk, h["2-301"].pk),
        "consent_form": url("consent_form", pipes.pk, h["2-301"].pk),
        "export_csv": url("export", pipes.pk, "csv"),
        "export_xlsx": url("export", pipes.pk, "xlsx"),
        "edit": url("project_edit", pipes.pk),
        "scan": url("scan", pipes.pk, h["2-301"].pk),
    }


@pytest.fixture
def with_scan(pipes, h):
    record = ConsentRecord.objects.get(project=pipes, household=h["2-301"])
    record.scan = SimpleUploadedFile("signed.pdf", PDF)
    record.save()
    return record


# Who sees what


@pytest.mark.parametrize(
    "who", ["staff_user", "manager", "reader", "courtyard_member"], ids=lambda w: w
)
def test_staff_and_members_of_the_sponsoring_bodys_place_see_the_project_grid_and_panel(
    request, log_in, pages, who
):
    client = log_in(request.getfixturevalue(who))

    assertContains(client.get(pages["project"]), "<h1>铸铁管改造</h1>", html=False)
    assertContains(client.get(pages["grid"]), "left to visit")
    panel = client.get(pages["record"], **HX)
    assertContains(panel, "Building 18, unit 2, door 301")
    assertContains(panel, "李华玉")
    assertContains(client.get(pages["consent_form"]), "Signature of the owner(s):")


@pytest.mark.parametrize("who", ["staff_user", "manager", "admin_user"], ids=lambda w: w)
def test_staff_and_members_of_the_sponsoring_body_may_record_an_answer(
    request, log_in, pipes, h, who
):
    user = request.getfixturevalue(who)
    response = log_in(user).post(
        url("record", pipes.pk, h["4-301"].pk), answer_data("undecided"), **HX
    )
    assertContains(response, "Unit 4, 301: Undecided.")
    saved = ConsentRecord.objects.get(project=pipes, household=h["4-301"])
    assert (saved.answer, saved.recorded_by) == ("undecided", user)


@pytest.mark.parametrize("who", ["reader", "courtyard_member"], ids=lambda w: w)
def test_members_of_the_place_without_a_seat_on_the_sponsoring_body_may_not_record(
    request, log_in, pipes, h, who
):
    client = log_in(request.getfixturevalue(who))
    before = snapshot()

    panel = client.get(url("record", pipes.pk, h["2-301"].pk), **HX)
    assertContains(panel, "Now: Agrees, recorded by")
    assertContains(panel, "You may see the answers but not record them.")
    assertNotContains(panel, 'name="answer"')
    record = url("record", pipes.pk, h["2-301"].pk)
    assert client.post(record, answer_data("decline", 1), **HX).status_code == 403
    assert client.post(record, answer_data("decline", 1)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "who", ["other_member", "community_b_user", "courtyard_2_member"], ids=lambda w: w
)
def test_a_committee_member_of_another_place_cannot_find_the_project(
    request, log_in, pages, with_scan, pipes, h, who
):
    client = log_in(request.getfixturevalue(who))
    before = snapshot()

    for name, page in pages.items():
        assert client.get(page, **HX).status_code == 404, name
    assert client.post(pages["record"], answer_data("decline", 1), **HX).status_code == 404
    assert client.post(url("vote_open", pipes.pk)).status_code == 404
    assert client.get(url("summary", pipes.pk)).status_code == 200  # public anyway
    assertNotContains(client.get(url("project_list")), "铸铁管改造")
    assert snapshot() == before


def test_a_reader_who_manages_no_body_may_not_edit_or_export(
    reader_client, pages, with_scan, pipes, fund
):
    for name in ("edit", "export_csv", "export_xlsx", "scan"):
        assert reader_client.get(pages[name]).status_code == 403, name
    assert reader_client.post(pages["edit"], {"name": "改名"}).status_code == 403
    assert reader_client.get(url("project_create")).status_code == 403
    assert reader_client.post(url("vote_open", fund.pk)).status_code == 403
    project = reader_client.get(pages["project"])
    assertNotContains(project, pages["export_csv"])
    assertNotContains(project, pages["edit"])
    assertNotContains(reader_client.get(pages["record"]), pages["scan"])
    assert stored(pipes).name == "铸铁管改造"


def test_a_user_with_no_role_in_the_register_is_refused_every_project_page(
    outsider_client, pages, with_scan
):
    for name, page in pages.items():
        assert outsider_client.get(page).status_code == 403, name
    assert outsider_client.get(url("project_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_every_page_but_the_summary(
    client, pages, with_scan, pipes, fund
):
    login = reverse(settings.LOGIN_URL)
    every = [
        *pages.values(),
        url("project_list"),
        url("project_create"),
        url("project", fund.pk),
    ]
    for page in every:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{login}?next="), page
    for page in (pages["record"], url("vote_open", fund.pk)):
        assert client.post(page, answer_data()).status_code == 302
    assert ConsentRecord.objects.filter(project=pipes).count() == 4
    assert stored(fund).roll_id is not None


def test_the_project_list_shows_the_projects_in_the_users_scope(
    log_in, manager, other_member, pipes, fund
):
    listed = log_in(manager).get(url("project_list"))
    assertContains(listed, "铸铁管改造")
    assertContains(listed, "使用维修资金更换水泵")
    assertContains(listed, "New project")
    assertNotContains(log_in(other_member).get(url("project_list")), "铸铁管改造")


# The public summary


@pytest.mark.parametrize("project", ["pipes", "fund"])
def test_the_public_summary_works_without_login_and_shows_no_names_or_phones(
    request, register, project
):
    project = request.getfixturevalue(project)
    response = Client().get(url("summary", project.pk))

    assertContains(response, project.name)
    names = [*OWNER_NAMES.values(), "李华玉", "武莉华", "赵湘黔"]
    phones = [*OWNER_PHONES.values(), register.resident_a1.phone]
    page = text(response)
    for value in names + phones + [p[-4:] for p in phones]:
        assert value not in page
    assert "recorded by" not in page.lower()


def test_the_summary_of_a_campaign_shows_each_units_totals(pipes, building_18):
    response = Client().get(url("summary", pipes.pk))
    assertContains(
        response,
        "<tr><td>Building 18, unit 2</td><td>4</td><td>2</td><td>✓ goes ahead</td></tr>",
        html=True,
    )
    assertContains(
        response,
        "<tr><td>Building 18, unit 4</td><td>4</td><td>0</td><td>not yet</td></tr>",
        html=True,
    )


# The consent grid


def cells(response):
    """{household id: (answer class, mark)} of the grid's cells."""
    found = re.findall(
        r'id="cell-(\d+)" class="cell ans-([a-z_]+)".*?<span class="cell-mark" aria-hidden="true">(.)</span>',
        text(response),
        flags=re.S,
    )
    return {int(pk): (answer, mark) for pk, answer, mark in found}


def test_each_cell_names_its_unit_to_screen_readers(reader_client, pages, h):
    # Units 2 and 4 both have a 301: the label says which.
    page = text(reader_client.get(pages["grid"]))
    assert f'id="cell-{h["2-301"].pk}"' in page
    assert 'aria-label="Unit 2, door 301: Agrees"' in page
    assert 'aria-label="Unit 4, door 301: Not reached"' in page


def test_the_grid_shows_each_household_with_its_mark(reader_client, pages, h):
    shown = cells(reader_client.get(pages["grid"]))
    assert shown == {
        h["2-301"].pk: ("agree", "✓"),
        h["2-302"].pk: ("agree", "✓"),
        h["2-401"].pk: ("decline", "✗"),
        h["2-402"].pk: ("undecided", "?"),
        h["4-301"].pk: ("not_reached", "·"),
        h["4-302"].pk: ("not_reached", "·"),
        h["4-401"].pk: ("not_reached", "·"),
        h["4-402"].pk: ("not_reached", "·"),
    }


def test_the_grid_lists_who_is_left_to_visit(reader_client, pages, pipes, h):
    response = reader_client.get(pages["grid"])
    assertContains(response, "5 households left to visit")
    left = re.search(r"left to visit</h2>\s*<p>(.*?)</p>", text(response), flags=re.S).group(1)
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', left)
    assert [label for _, label in links] == ["2-402", "4-301", "4-302", "4-401", "4-402"]
    assert links[0][0] == url("record", pipes.pk, h["2-402"].pk)


def test_the_grid_of_a_decision_marks_owners_answers(reader_client, fund, building_18, h):
    response = reader_client.get(url("grid", fund.pk, building_18.building.pk))
    assert cells(response) == {
        h["4-301"].pk: ("agree", "✓"),
        h["4-302"].pk: ("agree", "✓"),
        h["4-401"].pk: ("disagree", "✗"),
        h["4-402"].pk: ("not_voted", "·"),
    }
    assertContains(response, "1 household left to visit")


def test_the_grid_of_a_building_the_project_does_not_cover_is_not_found(
    staff_client, pipes, register
):
    assert staff_client.get(url("grid", pipes.pk, register.building_a2.pk)).status_code == 404


# Recording in place (htmx)


def test_the_panel_opens_in_place_with_the_owners_and_the_current_version(manager_client, pipes, h):
    response = manager_client.get(url("record", pipes.pk, h["2-302"].pk), **HX)
    assertNotContains(response, "<html")
    assertContains(response, "欧阳铁柱")
    assertContains(response, '<input type="hidden" name="version" value="1"', html=False)
    assertContains(response, "Now: Agrees, recorded by")


def test_an_answer_posted_in_place_returns_the_cell_and_the_panel_out_of_band(
    manager_client, pipes, h
):
    door = h["4-301"]
    response = manager_client.post(
        url("record", pipes.pk, door.pk),
        answer_data("agree", contribution="500", conditions="楼道墙面一起刷"),
        **HX,
    )

    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert cells(response) == {door.pk: ("agree", "✓")}
    assert re.search(r'<div id="panel"[^>]*hx-swap-oob="true"', page)
    legend = re.search(
        r'<ul class="legend" id="legend"[^>]*hx-swap-oob="true">(.*?)</ul>', page, re.S
    )
    assert "Agrees <strong>3</strong>" in legend.group(1)
    assert "Not reached <strong>3</strong>" in legend.group(1)
    assertContains(response, "Unit 4, 301: Agrees.")
    saved = ConsentRecord.objects.get(project=pipes, household=door)
    assert (saved.answer, saved.contribution, saved.version) == ("agree", Decimal("500.00"), 1)

    project = manager_client.get(url("project", pipes.pk))
    assertContains(project, '<span class="stat-value">3</span><span class="stat-label">✓ agree')
    assertContains(project, "2,500.50")  # building 18 pledged: 1,200 + 800.50 + 500
    assertContains(project, "楼道墙面一起刷")


def test_an_answer_posted_without_htmx_goes_back_to_the_grid(manager_client, pipes, h, building_18):
    response = manager_client.post(url("record", pipes.pk, h["4-302"].pk), answer_data("decline"))
    assertRedirects(response, url("grid", pipes.pk, building_18.building.pk))
    assert ConsentRecord.objects.get(project=pipes, household=h["4-302"]).answer == "decline"


def test_an_answer_on_the_grid_sends_the_left_to_visit_list_out_of_band(manager_client, pipes, h):
    response = manager_client.post(
        url("record", pipes.pk, h["4-302"].pk), answer_data("agree"), **HX
    )
    listed = re.search(
        r'<section id="to-visit" hx-swap-oob="true">(.*?)</section>', text(response), re.S
    )
    assert "4 households left to visit" in listed.group(1)
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', listed.group(1))
    assert [label for _, label in links] == ["2-402", "4-301", "4-401", "4-402"]
    assert links[1][0] == url("record", pipes.pk, h["4-301"].pk)


def test_the_grids_panel_swaps_the_doors_cell(manager_client, pipes, h):
    panel = text(manager_client.get(url("record", pipes.pk, h["4-301"].pk), **HX))
    assert f'hx-target="#cell-{h["4-301"].pk}"' in panel
    assert 'name="from"' not in panel
    assert "Building 18, unit 4, door 301</h2>" in panel


# The household's own page (a link from the grid's "left to visit" list)


def test_the_household_page_shows_the_project_the_household_and_the_way_back(
    manager_client, pipes, building_18, h
):
    response = manager_client.get(url("record", pipes.pk, h["4-301"].pk))
    page = text(response)
    assert "<html" in page
    assertContains(response, "<h1>Building 18, unit 4, door 301</h1>", html=False)
    assertContains(response, f'<a href="{url("project", pipes.pk)}">铸铁管改造</a>', count=2)
    grid = url("grid", pipes.pk, building_18.building.pk)
    assertContains(response, f'<a class="button" href="{grid}">Back to building 18</a>')
    assertContains(response, f'<li><a href="{grid}">Building 18</a></li>', html=False)
    assertContains(response, OWNER_NAMES[("4", "301")])
    # Its buttons swap the page's own answer (htmx) or post the form (without).
    assert 'id="household"' in page
    assert 'hx-target="#household"' in page
    assert "#cell-" not in page
    assertContains(response, '<input type="hidden" name="from" value="household">', html=False)
    assertContains(response, f'action="{url("record", pipes.pk, h["4-301"].pk)}"')
    assertContains(response, 'method="post"')


def test_an_answer_posted_on_the_household_page_without_htmx_shows_it_there(
    manager_client, manager, pipes, h
):
    page = url("record", pipes.pk, h["4-302"].pk)
    response = manager_client.post(page, answer_data("decline") | {"from": "household"})
    assertRedirects(response, page, fetch_redirect_response=False)
    shown = manager_client.get(page)
    assertContains(shown, "Unit 4, 302: Declines.")
    assertContains(shown, f"Now: Declines, recorded by {person_name(manager)}")
    assertContains(shown, 'class="answer ans-decline current"')
    saved = ConsentRecord.objects.get(project=pipes, household=h["4-302"])
    assert (saved.answer, saved.recorded_by, saved.version) == ("decline", manager, 1)


def test_an_answer_posted_on_the_household_page_with_htmx_swaps_the_page_answer(
    manager_client, manager, pipes, h
):
    page = url("record", pipes.pk, h["2-302"].pk)
    response = manager_client.post(
        page, answer_data("decline", version=1) | {"from": "household"}, **HX
    )
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    content = text(response)
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="household"')
    assertContains(response, '<p class="message" role="status">Unit 2, 302: Declines.</p>')
    assertContains(response, f"Now: Declines, recorded by {person_name(manager)}")
    # ready for the next answer, over the version just recorded, from the same page
    assertContains(response, '<input type="hidden" name="version" value="2"', html=False)
    assertContains(response, '<input type="hidden" name="from" value="household">', html=False)
    assert 'hx-target="#household"' in content
    assert ConsentRecord.objects.get(project=pipes, household=h["2-302"]).answer == "decline"


def test_a_conflict_on_the_household_page_shows_there_and_changes_nothing(
    manager_client, staff_user, pipes, h
):
    door = h["2-401"]
    record(pipes, door, "agree", staff_user)
    before = snapshot()
    page = url("record", pipes.pk, door.pk)
    data = answer_data("undecided", version=1) | {"from": "household"}

    response = manager_client.post(page, data, **HX)
    assert "HX-Retarget" not in response
    assert text(response).lstrip().startswith('<div id="household"')
    assertContains(response, f"{person_name(staff_user)} changed this household&#x27;s record")
    assertContains(response, '<input type="hidden" name="version" value="2"', html=False)

    plain = manager_client.post(page, data)
    assert plain.status_code == 200
    assertContains(plain, "<h1>Building 18, unit 2, door 401</h1>", html=False)
    assertContains(plain, f"{person_name(staff_user)} changed this household&#x27;s record")
    assert snapshot() == before


def test_bad_input_on_the_household_page_shows_a_message_there(manager_client, pipes, h):
    before = snapshot()
    response = manager_client.post(
        url("record", pipes.pk, h["2-302"].pk),
        answer_data("agree", 1, contribution="-5") | {"from": "household"},
        **HX,
    )
    assert "HX-Retarget" not in response
    assertContains(response, "A contribution cannot be below zero.")
    assert snapshot() == before


@pytest.mark.parametrize("who", ["reader", "courtyard_member"], ids=lambda w: w)
def test_the_household_page_is_read_only_for_those_who_may_not_record(
    request, log_in, pipes, h, who
):
    client = log_in(request.getfixturevalue(who))
    before = snapshot()
    page = url("record", pipes.pk, h["2-301"].pk)
    response = client.get(page)
    assertContains(response, "<h1>Building 18, unit 2, door 301</h1>", html=False)
    assertContains(response, "You may see the answers but not record them.")
    assertNotContains(response, 'name="answer"')
    data = answer_data("decline", 1) | {"from": "household"}
    assert client.post(page, data).status_code == 403
    assert client.post(page, data, **HX).status_code == 403
    assert snapshot() == before


def test_a_post_over_a_changed_record_shows_the_conflict_in_the_panel_and_changes_nothing(
    manager_client, staff_user, pipes, h
):
    door = h["2-401"]
    # someone else changed it after the form was opened at version 1
    record(pipes, door, "agree", staff_user)
    before = snapshot()

    response = manager_client.post(
        url("record", pipes.pk, door.pk), answer_data("undecided", version=1), **HX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#panel"
    assertContains(response, f"{person_name(staff_user)} changed this household&#x27;s record")
    # the panel now shows what is recorded, with its new version, ready to record again
    assertContains(response, '<input type="hidden" name="version" value="2"', html=False)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contribution": "-5"}, "A contribution cannot be below zero."),
        ({"answer": "disagree"}, "Select a valid choice."),
    ],
    ids=["negative contribution", "answer of a decision"],
)
def test_bad_input_shows_a_message_and_changes_nothing(
    manager_client, pipes, h, media_root, fields, message
):
    before = snapshot()
    response = manager_client.post(
        url("record", pipes.pk, h["2-302"].pk), answer_data("agree", 1) | fields, **HX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#panel"
    assertContains(response, message)
    assert snapshot() == before


def test_an_answer_for_a_household_outside_the_project_is_not_found(
    manager_client, staff_client, pipes, fund, register, h
):
    before = snapshot()
    for client, project, household in [
        (manager_client, pipes, register.household_a2),  # building 17, courtyard A2
        (staff_client, pipes, register.household_a2),
        (staff_client, pipes, register.household_b),  # another community
        (staff_client, fund, h["2-301"]),  # building 18 unit 2: not in the decision
    ]:
        page = url("record", project.pk, household.pk)
        assert client.post(page, answer_data("agree"), **HX).status_code == 404
        assert client.get(page).status_code == 404
        assert client.get(url("consent_form", project.pk, household.pk)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.pdf", b"hello"),
            "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF.",
        ),
        (
            SimpleUploadedFile("signed.pdf", PDF + b"0" * (6 * 1024 * 1024)),
            "The file is 6.01 MB; the limit is 5 MB.",
        ),
        (SimpleUploadedFile("signed.exe", PDF), "File extension “exe” is not allowed."),
        (
            SimpleUploadedFile("photo.webp", b"RIFF\x24\x00\x00\x00WAVEfmt "),
            "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF.",
        ),
    ],
    ids=["not a PDF", "over 5 MB", "not a PDF's name", "a sound named as a photo"],
)
@pytest.mark.parametrize("door", ["2-302", "4-301"], ids=["changed record", "new record"])
def test_an_upload_that_is_not_an_image_or_pdf_or_too_large_is_refused(
    manager_client, pipes, h, media_root, upload, message, door
):
    upload.seek(0)
    version = 1 if door == "2-302" else 0
    before = snapshot()

    response = manager_client.post(
        url("record", pipes.pk, h[door].pk), answer_data("agree", version, scan=upload), **HX
    )

    assert response["HX-Retarget"] == "#panel"
    assertContains(response, message)
    assert snapshot() == before
    assert stored_files(media_root) == []


def test_a_signed_pdf_is_stored_and_served_only_to_those_who_manage_the_project(
    manager_client, reader_client, log_in, other_member, staff_client, pipes, h, media_root
):
    door = h["4-302"]
    page = url("record", pipes.pk, door.pk)
    response = manager_client.post(
        page,
        answer_data("agree", scan=SimpleUploadedFile("signed.pdf", PDF), contribution="300"),
        **HX,
    )
    assertContains(response, "Unit 4, 302: Agrees.")

    saved = ConsentRecord.objects.get(project=pipes, household=door)
    assert saved.scan.name.startswith(f"consent/{pipes.pk}/{door.pk}/")
    assert [p.read_bytes() for p in stored_files(media_root)] == [PDF]

    scan = url("scan", pipes.pk, door.pk)
    for client in (manager_client, staff_client):
        served = client.get(scan)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == PDF
    assertContains(manager_client.get(page), scan)
    assert reader_client.get(scan).status_code == 403
    assert log_in(other_member).get(scan).status_code == 404
    assert Client().get(scan).status_code == 302
    # a household without a scan has none to serve
    assert manager_client.get(url("scan", pipes.pk, h["2-302"].pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", image_bytes("JPEG")),
        ("photo.png", image_bytes("PNG")),
        ("photo.webp", image_bytes("WEBP")),
    ],
)
def test_a_photo_of_the_signed_form_is_accepted(manager_client, pipes, h, name, content):
    response = manager_client.post(
        url("record", pipes.pk, h["4-401"].pk),
        answer_data("agree", scan=SimpleUploadedFile(name, content)),
        **HX,
    )
    assertContains(response, "Unit 4, 401: Agrees.")
    saved = ConsentRecord.objects.get(project=pipes, household=h["4-401"])
    assert saved.scan.read() == content


def test_a_replaced_scan_is_removed_from_storage(
    manager_client, pipes, h, media_root, django_capture_on_commit_callbacks
):
    page = url("record", pipes.pk, h["4-302"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            page, answer_data("agree", scan=SimpleUploadedFile("signed.pdf", PDF)), **HX
        )
    first = ConsentRecord.objects.get(project=pipes, household=h["4-302"])
    old = media_root / first.scan.name
    assert old.read_bytes() == PDF
    photo = image_bytes("JPEG")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            page,
            answer_data("agree", first.version, scan=SimpleUploadedFile("signed.jpg", photo)),
            **HX,
        )

    assertContains(response, "Unit 4, 302: Agrees.")
    assert not old.exists()
    assert [p.read_bytes() for p in stored_files(media_root)] == [photo]
    assert (media_root / stored(first).scan.name).read_bytes() == photo


def test_an_answer_changed_without_a_new_scan_keeps_the_scan(
    manager_client, pipes, h, media_root, django_capture_on_commit_callbacks
):
    page = url("record", pipes.pk, h["4-302"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            page, answer_data("agree", scan=SimpleUploadedFile("signed.pdf", PDF)), **HX
        )
    first = ConsentRecord.objects.get(project=pipes, household=h["4-302"])

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(page, answer_data("undecided", first.version), **HX)

    assert stored(first).answer == "undecided"
    assert [p.read_bytes() for p in stored_files(media_root)] == [PDF]


def test_a_refused_replacement_keeps_the_earlier_scan(
    manager_client, pipes, h, media_root, django_capture_on_commit_callbacks
):
    page = url("record", pipes.pk, h["4-302"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            page, answer_data("agree", scan=SimpleUploadedFile("signed.pdf", PDF)), **HX
        )
    first = ConsentRecord.objects.get(project=pipes, household=h["4-302"])
    polyglot = b"GIF89a<html><script>alert(1)</script></html>"

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            page,
            answer_data("agree", first.version, scan=SimpleUploadedFile("signed.gif", polyglot)),
            **HX,
        )

    assertContains(response, "This file could not be read as a photo or a PDF")
    assert stored(first).scan.name == first.scan.name
    assert [p.read_bytes() for p in stored_files(media_root)] == [PDF]


# The project form and the vote


def project_data(body, units, **changes):
    data = {
        "name": "更换单元门",
        "description": "",
        "body": body.pk,
        "consent_kind": "cofunding",
        "matter": "",
        "threshold": "1",
        "status": "surveying",
        "starts_on": "2023-03-01",
        "ends_on": "",
        "contractor": "",
        "units": [u.pk for u in units],
    }
    return data | changes


def test_a_manager_creates_a_project_over_units_of_their_bodys_place(
    manager_client, project_bodies, building_18
):
    response = manager_client.post(
        url("project_create"),
        project_data(project_bodies.qingfeng_1, [building_18.unit_2, building_18.unit_4]),
    )
    project = Project.objects.get(name="更换单元门")
    assertRedirects(response, url("project", project.pk))
    assert set(project.units.all()) == {building_18.unit_2, building_18.unit_4}


def test_the_project_form_refuses_units_outside_the_sponsoring_bodys_place(
    staff_client, project_bodies, register
):
    count = Project.objects.count()
    response = staff_client.post(
        url("project_create"), project_data(project_bodies.qingfeng_1, [register.unit_a2])
    )
    assertContains(response, "Choose units of the sponsoring body&#x27;s own place.")
    assert Project.objects.count() == count


def test_the_project_form_refuses_a_decision_without_its_matter(
    staff_client, project_bodies, building_18
):
    count = Project.objects.count()
    response = staff_client.post(
        url("project_create"),
        project_data(project_bodies.qingfeng_1, [building_18.unit_4], consent_kind="decision"),
    )
    assertContains(response, "An owners&#x27; decision needs its matter.")
    assert Project.objects.count() == count


def test_the_project_form_refuses_new_units_once_the_vote_is_open(
    manager_client, project_bodies, building_18, fund
):
    data = project_data(
        project_bodies.qingfeng_1,
        [building_18.unit_2, building_18.unit_4],
        name=fund.name,
        consent_kind="decision",
        matter=Matter.USE_FUND,
    )
    # The units field is disabled once the vote is open: what is posted for it is ignored.
    manager_client.post(url("project_edit", fund.pk), data)
    assert list(fund.units.all()) == [building_18.unit_4]
    form = manager_client.get(url("project_edit", fund.pk))
    assertContains(form, "Frozen since the decision was announced.")


def test_a_manager_opens_the_vote_and_the_page_then_shows_the_tally(
    manager_client, project_bodies, building_18
):
    project = ProjectFactory(
        name="更换电梯",
        body=project_bodies.qingfeng_1,
        consent_kind=Project.ConsentKind.OWNERS_DECISION,
        matter=Matter.RENOVATE,
        status=Project.Status.SURVEYING,
        units=[building_18.unit_2],
    )
    announced(project)
    assertContains(manager_client.get(url("project", project.pk)), "Open the vote")

    response = manager_client.post(url("vote_open", project.pk), follow=True)

    assertRedirects(response, url("project", project.pk))
    assertContains(response, "The vote is open: the owners and areas are frozen.")
    # Nobody has answered yet: the vote has not failed, it has begun.
    assertContains(response, "Not yet passed; the vote is still open")
    assertContains(response, "4 owners still to answer.")
    assertNotContains(response, "Not enough owners have taken part")
    project.refresh_from_db()
    assert project.roll.entries.count() == 4
    assert project.status == Project.Status.COLLECTING


def test_opening_a_vote_twice_says_so_and_keeps_the_roll(manager_client, fund):
    roll = fund.roll_id
    response = manager_client.post(url("vote_open", fund.pk), follow=True)
    assertContains(response, "The vote is already open.")
    assert stored(fund).roll_id == roll


# Exports


@pytest.fixture
def formula(pipes, h, manager):
    """A condition that a spreadsheet would run as a formula."""
    return record(
        pipes, h["2-302"], "agree", manager, contribution=Decimal("800.50"), conditions="=1+2"
    )


def test_the_csv_export_has_every_covered_household_and_neutralises_formulas(
    staff_client, pipes, formula
):
    response = staff_client.get(url("export", pipes.pk, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="consent-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Compound", "Building", "Unit", "Door"]
    by_door = {f"{r[2]}-{r[3]}": r for r in rows[1:]}
    assert len(by_door) == 8
    assert by_door["2-301"][4:9] == ["68.50", "李华玉", "Agrees", "1200.00", "修复墙面"]
    assert by_door["2-302"][8] == "'=1+2"
    assert by_door["2-401"][6:8] == ["Declines", ""]
    assert by_door["4-402"][5:7] == ["慕容秋菊", "Not reached"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_export_has_the_records_and_neutralises_formulas(manager_client, pipes, formula):
    response = manager_client.get(url("export", pipes.pk, "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_door = {f"{r[2]}-{r[3]}": r for r in rows[1:]}
    assert len(by_door) == 8
    assert by_door["2-301"][5:9] == ["李华玉", "Agrees", "1200.00", "修复墙面"]
    assert by_door["2-302"][8] == "'=1+2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_in_another_format_is_not_found(staff_client, pipes):
    assert staff_client.get(url("export", pipes.pk, "pdf")).status_code == 404


# Print views and the verdict


def test_the_printed_consent_form_shows_the_household_its_owners_and_a_signature_line(
    reader_client, pipes, h
):
    response = reader_client.get(url("consent_form", pipes.pk, h["2-302"].pk))
    assertContains(response, "Household consent form")
    assertContains(response, "庆丰小区 building 18 unit 2, 302")
    assertContains(response, "欧阳铁柱 (Owner)")
    assertContains(response, "70.00 m²")
    assertContains(response, "Signature of the owner(s):")
    assertContains(response, "Contribution (yuan):")


def test_the_printed_ballot_of_a_decision_names_its_matter(reader_client, fund, h):
    response = reader_client.get(url("consent_form", fund.pk, h["4-401"].pk))
    assertContains(response, "Owner's ballot")
    assertContains(response, "Using the maintenance fund")
    assertContains(response, "皇甫春燕 (Owner)")
    assertContains(response, "Signature of the owner(s):")
    assertNotContains(response, "Contribution (yuan):")


def close_the_vote(project):
    """Close the vote early, as a manager would, with a reason: its result is frozen."""
    return consent.vote_close(project=project, by=UserFactory(), reason="测试：提前结束投票")


def test_the_decision_page_gives_the_verdict_in_plain_words_with_percentages(reader_client, fund):
    close_the_vote(fund)
    response = reader_client.get(url("project", fund.pk))
    assertContains(response, "✓ Passes")
    assertContains(response, '<div class="verdict passes" role="status">', html=False)
    assertContains(
        response,
        "80.0% of the area and 75.0% of the owners took part (two thirds needed of each).",
    )
    assertContains(
        response,
        "58.3% of the participating area and 66.7% of the participating owners agree",
    )
    assertContains(response, "more than half needed of each")


def test_the_decision_page_says_when_too_few_owners_took_part(reader_client, fund, h):
    ConsentRecord.objects.filter(project=fund, household=h["4-401"]).delete()
    close_the_vote(fund)
    response = reader_client.get(url("project", fund.pk))
    assertContains(response, "✗ Not enough owners have taken part")
    assertContains(response, "46.7% of the area and 50.0% of the owners took part")


def test_an_open_vote_short_of_its_majorities_is_not_called_failed(reader_client, fund, h):
    ConsentRecord.objects.filter(project=fund, household=h["4-401"]).delete()
    assert fund.status == Project.Status.COLLECTING
    for page in ("project", "summary"):
        response = reader_client.get(url(page, fund.pk))
        assertContains(response, "Not yet passed; the vote is still open")
        assertContains(response, "2 owners still to answer.")
        assertContains(response, '<div class="verdict open" role="status">', html=False)
        assertNotContains(response, "✗ Not")
        assertNotContains(response, "verdict fails")
        # The figures stay: how far the vote has come.
        assertContains(response, "46.7% of the area and 50.0% of the owners took part")


def test_an_open_vote_passing_so_far_is_not_called_passed(reader_client, fund):
    response = reader_client.get(url("project", fund.pk))
    assertContains(response, "Passing so far; the vote is still open")
    assertContains(response, "1 owner still to answer.")
    assertNotContains(response, "✓ Passes")
    assertNotContains(response, "verdict passes")


def stat_cards(response) -> dict[str, int]:
    return {
        label.strip(" ✓✗○?·"): int(value)
        for value, label in re.findall(
            r'<span class="stat-value">(\d+)</span><span class="stat-label">([^<]+)</span>',
            text(response),
        )
    }


def test_the_decision_page_cards_add_up_to_the_households_covered(reader_client, fund, h, manager):
    record(fund, h["4-402"], "abstain", manager)
    cards = stat_cards(reader_client.get(url("project", fund.pk)))
    assert cards == {
        "households covered": 4,
        "agree": 2,
        "disagree": 1,
        "abstain": 1,
        "not voted": 0,
    }
    covered = cards.pop("households covered")
    assert sum(cards.values()) == covered


def test_the_campaign_page_cards_add_up_to_the_households_covered(reader_client, pipes):
    cards = stat_cards(reader_client.get(url("project", pipes.pk)))
    covered = cards.pop("households covered")
    assert set(cards) == {"agree", "decline", "still to visit"}
    assert sum(cards.values()) == covered


def test_the_campaign_page_shows_progress_pledges_and_conditions(reader_client, pipes):
    response = reader_client.get(url("project", pipes.pk))
    assertContains(response, "2,000.50")
    assertContains(response, "1 of 2 units")
    assertContains(response, "修复墙面")
    assertContains(response, "Goes ahead at 50%")
    assertContains(response, "Work starts in a unit once 50% of its households have agreed.")
    assertNotContains(response, "Goes ahead when all agree")


def test_a_campaign_where_every_household_must_agree_says_so_in_words(
    reader_client, pipes, building_18
):
    pipes.threshold = Decimal(1)
    pipes.save(update_fields=["threshold"])
    rule = (
        "Work starts in a unit only once all of its households have agreed: the work in a "
        "unit is shared by every household in it."
    )
    response = reader_client.get(url("project", pipes.pk))
    assertContains(response, rule)
    assertContains(response, "Goes ahead when all agree")
    assertNotContains(response, "100%")
    # Unit 2 has 2 of its 4 households agreeing: not enough when all must agree.
    assertContains(response, "0 of 2 units")
    summary = Client().get(url("summary", pipes.pk))
    assertContains(summary, rule)
    assertContains(
        summary,
        "<tr><td>Building 18, unit 2</td><td>4</td><td>2</td><td>not yet</td></tr>",
        html=True,
    )


def test_a_new_household_in_a_covered_unit_is_counted_in_the_campaign(
    reader_client, pipes, building_18
):
    HouseholdFactory(unit=building_18.unit_4, door_number="501", area=Decimal("50"))
    response = reader_client.get(url("project", pipes.pk))
    assertContains(response, '<span class="stat-value">9</span>', html=False)


def test_the_consent_chart_says_its_dates_in_words_for_phones(manager_client, pipes):
    # the axis text shrinks with a phone's width (hidden there by the stylesheet): the
    # caption carries the period in readable text
    page = manager_client.get(pipes.get_absolute_url()).content.decode()
    caption = page.split("<figcaption", 1)[1].split("</figcaption>", 1)[0]
    assert "households agree" in caption and "From " in caption and " to " in caption
