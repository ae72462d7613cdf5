"""The residents' door as a whole, at 375 px (docs/domain.md, "The residents' own door"):
staff print a building's access letters, a resident opens the QR link of theirs, chooses
a password, sees their household and the showing of their phone a staff member caused,
raises a request and votes online; staff see the tally move by one owner."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from committees.models import ResidentRequest
from meetings.models import ConsentRecord
from meetings.projects.ballots import receipt_shown
from residents.accounts.codes import code_digest
from residents.accounts.letters import letter_link
from residents.models import AccessLetter, PersonalDataReveal
from tests.e2e.browser import assert_accessible, assert_text_at_least
from tests.e2e.conftest import PHONE
from tests.projects.factories import ProjectFactory, open_vote
from tests.requests.factories import RequestCategoryFactory

CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")


def agree_owners(page) -> int:
    row = page.locator("tr", has_text="Agree").filter(has_not_text="Disagree").first
    return int(row.locator("td").first.inner_text())


@pytest.mark.django_db(transaction=True)
def test_a_resident_binds_a_printed_letter_sees_their_record_raises_a_request_and_votes(
    flow, project_bodies, building_18, staff_user, settings
):
    settings.SITE_URL = flow.base_url
    RequestCategoryFactory(name="公共设施维修")
    owner = building_18.owners["4-301"]
    vote = open_vote(
        ProjectFactory(
            name="使用维修资金更换水泵",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_4],
        )
    )

    # Staff print the building's letters: one PDF, one page and one code per letter.
    staff = flow.page(viewport=PHONE, user=staff_user)
    staff.goto(f"/buildings/{building_18.building.pk}/letters/")
    assert_accessible(staff)
    with staff.expect_download() as download:
        staff.get_by_role("button", name="Print the letters (PDF)").click()
    pdf = PdfReader(download.value.path())
    letters = AccessLetter.objects.filter(household__unit__building=building_18.building)
    assert len(pdf.pages) == letters.count() >= len(building_18.owners)
    codes = [CODE.findall(p.extract_text()) for p in pdf.pages]
    assert all(len(set(found)) == 1 for found in codes)
    by_digest = {code_digest(found[0]): found[0] for found in codes}
    assert set(by_digest) == set(letters.values_list("code_digest", flat=True))
    mine = by_digest[letters.get(resident=owner).code_digest]
    # The QR code on the letter carries this link (its drawing: tests/residents/test_letters.py).
    assert letter_link(mine) == f"{flow.base_url}/join/{mine}/"

    # A staff member asks for the owner's full phone number, for a reason.
    staff.goto(f"/residents/{owner.pk}/")
    staff.get_by_role("button", name="To contact the resident").click()
    expect(staff.locator("#numbers")).to_contain_text(owner.phone)
    assert PersonalDataReveal.objects.filter(resident=owner, user=staff_user).exists()

    # Staff read the tally before the owner votes.
    staff.goto(f"/projects/{vote.pk}/")
    before = agree_owners(staff)

    # The resident opens the QR link on their phone and chooses a password.
    resident = flow.page(viewport=PHONE)
    resident.goto(f"/join/{mine}/")
    assert_accessible(resident)
    assert_text_at_least(resident, 16)
    flow.shot(resident, "letter")
    resident.locator("input[name=username]").fill("wang301")
    resident.locator("input[name=password]").fill("Stairwell-301-pump")
    resident.locator("input[name=password_again]").fill("Stairwell-301-pump")
    resident.get_by_role("button", name="Create my account").click()
    expect(resident).to_have_url(re.compile(r"/me/$"))
    main = resident.locator("main")
    expect(main).to_contain_text("301")
    expect(main).to_contain_text(owner.masked_phone)
    expect(main).not_to_contain_text(owner.phone)
    assert_accessible(resident)
    flow.shot(resident, "home")

    # Who saw their record: the staff member's showing, by name and role.
    resident.get_by_role("link", name="See who changed or saw my record").click()
    expect(main).to_contain_text("廖书英")
    expect(main).to_contain_text("To contact the resident")
    assert_accessible(resident)
    flow.shot(resident, "record")

    # A request from the door lands in the committee's queue, received online.
    resident.goto("/requests/mine/new/")
    resident.get_by_label("What kind of problem").select_option(label="公共设施维修")
    resident.get_by_label("The problem in a few words").fill("楼道灯坏了")
    resident.get_by_role("button", name="Send to the committee").click()
    expect(main).to_contain_text("楼道灯坏了")
    request = ResidentRequest.objects.get(title="楼道灯坏了")
    assert (request.raised_by, request.received_through) == (owner, "online")

    # The owner votes in the open decision and keeps the receipt.
    resident.goto("/projects/ballots/")
    resident.get_by_role("link", name="Read and vote").click()
    resident.get_by_role("button", name="I agree").click()
    resident.get_by_role("button", name="Record my ballot").click()
    expect(resident).to_have_url(re.compile(r"/ballot/receipt/$"))
    record = ConsentRecord.objects.get(project=vote, household=building_18.households["4-301"])
    assert (record.answer, record.channel, record.voter) == ("agree", "online", owner)
    expect(resident.locator(".receipt-code")).to_have_text(receipt_shown(record.receipt_code))
    assert_text_at_least(resident, 16)
    flow.shot(resident, "receipt")

    # Staff see the tally move by one owner.
    staff.goto(f"/projects/{vote.pk}/")
    assert agree_owners(staff) == before + 1
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
