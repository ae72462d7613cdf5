"""An owner votes online on a phone (meetings/projects/ballots.py): the page reads at
16 px or more and passes the axe checks, from the matter to the receipt."""

import re

from playwright.sync_api import expect

from meetings.models import ConsentRecord
from meetings.projects.ballots import receipt_shown
from tests.e2e.browser import assert_accessible, assert_text_at_least
from tests.e2e.conftest import PHONE
from tests.factories import ResidentAccountFactory
from tests.projects.factories import ProjectFactory, open_vote


def test_an_owner_votes_online_on_a_phone_and_keeps_the_receipt(flow, project_bodies, building_18):
    owner = building_18.owners["4-301"]
    account = ResidentAccountFactory(resident=owner)
    vote = open_vote(
        ProjectFactory(
            name="使用维修资金更换水泵",
            body=project_bodies.qingfeng_1,
            decision=True,
            units=[building_18.unit_4],
        )
    )
    page = flow.page(viewport=PHONE, user=account.user)
    page.goto("/projects/ballots/")
    page.get_by_role("link", name="Read and vote").click()
    expect(page.locator("main")).to_contain_text(vote.text)
    expect(page.locator("main")).to_contain_text("How it is decided")
    assert_accessible(page)
    assert_text_at_least(page, 16)
    flow.shot(page, "ballot")

    page.get_by_role("button", name="I agree").click()
    expect(page.locator("main")).to_contain_text("You chose: Agrees.")
    assert_accessible(page)
    page.get_by_role("button", name="Record my ballot").click()

    expect(page).to_have_url(re.compile(r"/ballot/receipt/$"))
    record = ConsentRecord.objects.get(project=vote)
    assert (record.answer, record.channel, record.voter) == ("agree", "online", owner)
    expect(page.locator(".receipt-code")).to_have_text(receipt_shown(record.receipt_code))
    assert_accessible(page)
    assert_text_at_least(page, 16)
    flow.shot(page, "receipt")
