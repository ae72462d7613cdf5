"""The words of every page, as an administrator sees them: in English no Chinese left over and
no label starting in lowercase; in Chinese no half-width punctuation beside Chinese text.

The walk is the permission matrix's (tests/security/test_permission_matrix.py): every named
URL, for compound A's objects and compound B's, on its data set (built once for the module).
What the data set stores (names, addresses, notes: the user's words, not the interface's)
is taken out of each page before the checks; it is Chinese in both languages.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from committees.models import Fund
from committees.volunteers import services as volunteer_services
from meetings.models import ConsentRecord
from residents.models import Household, Membership
from tests.factories import HouseholdFactory, MembershipFactory, ResidentFactory
from tests.meetings.factories import AttendeeFactory, OutsidePartyFactory
from tests.security.test_permission_matrix import world  # noqa: F401 (the matrix's data set)
from tests.security.test_who_sees_what import text_of, urls_for
from tests.test_translations import CJK
from tests.words import PageText, UserData, stored_texts

HALF_WIDTH_BESIDE_CJK = re.compile(rf"{CJK} ?[,:;()]|[,:;()] ?{CJK}")
# A figure of four digits or more without its thousands grouped: not a year, not part of a
# masked number (135****0000).
UNGROUPED = re.compile(r"(?<![\d,.*])(\d{4,})(\.\d+)?(?![\d,*])")
# An address printed to be typed (a QR code's, on paper): its port and keys are no figures.
ADDRESS = re.compile(r"\bhttps?://\S+")


def _seed(matrix):
    """On compound A's side, lists of two that a page joins by hand (a household's owners,
    a meeting's attendees and outside parties, the households of a unit) and figures over a
    thousand (an area, a contribution, a volunteer's hours, a fund's amounts)."""
    a = matrix.a
    Household.objects.filter(pk=a.household.pk).update(area=Decimal("1234.56"))
    ConsentRecord.objects.filter(pk=a.record.pk).update(contribution=Decimal("2345.00"))
    Fund.objects.filter(pk=a.fund.pk).update(opening_balance=Decimal("34567.80"))
    first = timezone.localdate() - datetime.timedelta(days=100)
    for day in range(60):
        volunteer_services.activity_record(
            team=a.team,
            date=first + datetime.timedelta(days=day),
            place="院坝",
            description="巡逻",
            hours={a.volunteer: Decimal("20.0")},
        )
    co_owner = ResidentFactory()
    MembershipFactory(
        resident=co_owner, household=a.household, relation=Membership.Relation.CO_OWNER
    )
    AttendeeFactory(meeting=a.meeting, resident=co_owner)
    OutsidePartyFactory(meeting=a.meeting)
    HouseholdFactory(unit=a.unit)


@pytest.fixture(scope="module")
def walk(world, django_db_blocker):  # noqa: F811 (the fixture imported)
    """Every page of the matrix as the administrator, in English and in Chinese."""
    with django_db_blocker.unblock():
        # Inside the matrix's transaction: rolled back with it at the end of the module.
        with transaction.atomic():
            _seed(world)
        user_data = UserData(stored_texts())
        clients = {}
        for language in ("en", "zh-hans"):
            client = Client()
            client.force_login(world.users["admin"])
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            clients[language] = client
        pages = {}
        for url in urls_for(world, "admin", []):
            for language, client in clients.items():
                response = client.get(url)
                if response.get("Content-Type", "").startswith("text/html"):
                    assert response["Content-Language"] == language, url
                    pages[url, language] = PageText.of(text_of(response), language)
        yield pages, user_data


def test_english_pages_show_no_chinese_but_the_users_data(walk, db):
    pages, user_data = walk
    found = [
        f"{url}: {text!r}"
        for (url, language), page in pages.items()
        if language == "en"
        for text in page.texts()
        if user_data.chinese_in(text)
    ]
    assert found == [], "\n".join(found)


def test_english_labels_and_headers_start_with_a_capital(walk, db):
    pages, user_data = walk
    found = [
        f"{url}: <{tag}> {text!r}"
        for (url, language), page in pages.items()
        if language == "en"
        for tag, text in page.headings
        if (first := text.lstrip("*#·-– ")) and first[0].islower() and not user_data.starts(first)
    ]
    assert found == [], "\n".join(found)


def test_chinese_pages_use_full_width_punctuation_beside_chinese(walk, db):
    pages, user_data = walk
    found = [
        f"{url}: {text!r}"
        for (url, language), page in pages.items()
        if language == "zh-hans"
        for text in page.texts()
        if HALF_WIDTH_BESIDE_CJK.search(user_data.replaced(text))
    ]
    assert found == [], "\n".join(found)


def test_select_boxes_name_their_empty_choice_in_words(walk, db):
    pages, _user_data = walk
    found = [
        f"{url} ({language}): {text!r}"
        for (url, language), page in pages.items()
        for text in page.options
        if text and not re.search(r"\w", text)
    ]
    assert found == [], "\n".join(found)


def ungrouped(text):
    return [
        m.group()
        for m in UNGROUPED.finditer(ADDRESS.sub("", text))
        if m.group(2) or not 1900 <= int(m.group(1)) <= 2100
    ]


def test_figures_over_a_thousand_are_grouped(walk, db):
    pages, user_data = walk
    found = [
        f"{url} ({language}): {text!r}"
        for (url, language), page in pages.items()
        for text in page.texts()
        if ungrouped(user_data.replaced(text))
    ]
    assert found == [], "\n".join(found)


def test_the_walk_reads_every_form_page_in_both_languages(walk, db):
    pages, _user_data = walk
    urls = {url for url, _language in pages}
    assert {(url, "en") for url in urls} | {(url, "zh-hans") for url in urls} == pages.keys()
    assert any(url.endswith("/requests/new/") for url in urls)
    labels = [text for (url, lang), page in pages.items() for tag, text in page.headings]
    assert len(labels) > 200


# The readers themselves


def test_a_page_is_read_as_a_person_reads_it():
    page = PageText.of(
        '<html lang="en"><head><title>Request</title><script>var t = "受理";</script></head>'
        '<body><a class="brand"><span lang="zh-hans" aria-hidden="true">金</span> Jinzang</a>'
        '<div class="stat"><span class="stat-value">60</span><span class="stat-label">2026'
        '</span></div><p>Owner: <strong>李华</strong>, 王明</p><label for="x">note'
        '<span class="required">*</span></label><select><option value="">---------</option>'
        '</select><td data-label="Kind">a</td><button title="Close">×</button></body></html>',
        "en",
    )
    assert page.texts() == [
        "Request", "Jinzang", "60", "2026", "Owner: 李华, 王明", "note*", "---------", "a", "×",
        "Kind", "Close",
    ]  # fmt: skip
    assert page.headings == [("label", "note*"), ("data-label", "Kind")]
    assert page.options == ["---------"]


def test_the_users_words_are_taken_out_chinese_anywhere_others_as_whole_words():
    user_data = UserData({"李华", "12", "admin"})
    assert user_data.replaced("李华, 王明 · 1234.56 · 12 m² · administrator") == (
        "〇, 王明 · 1234.56 · x m² · administrator"
    )
    assert user_data.chinese_in("李华（Owner）") == ["（", "）"]
    assert user_data.starts("admin (staff)") and not user_data.starts("note")
    assert UserData(set()).replaced("李华") == "李华"


def test_ungrouped_figures_are_told_from_years_and_masked_numbers():
    assert ungrouped("1234.56 m² · 1200 h · 3,456") == ["1234.56", "1200"]
    assert ungrouped("2022年11月 · 18 Nov 2026 · 135****0000 · 5201**********0006") == []
