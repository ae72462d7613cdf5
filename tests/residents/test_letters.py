"""Access letters: printing, the PDF read back with pypdf, revoking, who may do it."""

import datetime
import io
import math
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from residents.accounts import codes
from residents.accounts.letters import (
    letter_link,
    letter_revoke,
    letters_print,
    letters_revoke_household,
)
from residents.models import AccessLetter, Household, LetterPrinting, Membership
from residents.validators import mask_name
from tests.factories import (
    HouseholdFactory,
    MembershipFactory,
    ResidentAccountFactory,
    ResidentFactory,
    UnitFactory,
)
from tests.qr import decoded, pdf_page_qr_images

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"\b[2-9A-HJ-KM-NP-Z]{4}-[2-9A-HJ-KM-NP-Z]{4}-[2-9A-HJ-KM-NP-Z]{4}\b")
THIS_YEAR = timezone.localdate().year


def pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def page_codes(pdf: bytes) -> list[str]:
    """The one code of each page, as printed (grouped)."""
    found = []
    for page in pages(pdf):
        on_page = CODE_RE.findall(page.extract_text())
        assert len(on_page) == 1, on_page
        found.append(on_page[0])
    return found


def print_letters(households, by, purpose=AccessLetter.Purpose.RESIDENT, paper="A4", **kwargs):
    return letters_print(households=households, by=by, purpose=purpose, paper=paper, **kwargs)


@pytest.fixture
def family(register):
    """Household A1: 李华玉 (owner, born 1962), her grandson (10 years old), a lodger of
    unknown age and her husband (co-owner)."""
    h = register.household_a1
    MembershipFactory(
        household=h,
        resident=ResidentFactory(name="王小明", birth_year=THIS_YEAR - 10),
        relation=Membership.Relation.FAMILY,
    )
    MembershipFactory(
        household=h,
        resident=ResidentFactory(name="张租", birth_year=None, id_number=""),
        relation=Membership.Relation.TENANT,
    )
    MembershipFactory(
        household=h,
        resident=ResidentFactory(name="王建国", birth_year=1960),
        relation=Membership.Relation.CO_OWNER,
    )
    return h


# The codes


def test_a_code_has_at_least_40_bits_from_an_alphabet_without_ambiguous_characters():
    assert codes.BITS >= 40
    assert math.isclose(codes.BITS, codes.LENGTH * math.log2(len(codes.ALPHABET)))
    assert not set("01ILO") & set(codes.ALPHABET)
    many = {codes.code_new() for _ in range(2000)}
    assert len(many) == 2000
    for code in list(many)[:200]:
        assert len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET)
        assert CODE_RE.fullmatch(codes.code_grouped(code))
        assert codes.code_well_formed(codes.code_grouped(code).lower().replace("-", " "))


def test_only_a_keyed_digest_of_a_code_is_stored_and_any_spelling_of_it_matches():
    code = codes.code_new()
    digest = codes.code_digest(code)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and code not in digest
    assert codes.code_digest(codes.code_grouped(code).lower()) == digest


def test_a_name_is_masked_but_its_first_and_last_characters():
    assert mask_name("李华玉") == "李*玉"
    assert mask_name("王五") == "王*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("李") == "李"
    assert mask_name("") == ""


def test_the_qr_link_is_the_site_address_and_the_join_page_of_the_grouped_code(settings):
    settings.SITE_URL = "https://jinzang.example.org"
    assert letter_link("k7mq3xpa9trd") == "https://jinzang.example.org/join/K7MQ-3XPA-9TRD/"


# Printing


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_each_letters_qr_code_reads_back_as_the_join_link_of_its_own_code(
    settings, family, staff_user, paper
):
    settings.SITE_URL = "https://jinzang.example"
    _printing, pdf = print_letters(Household.objects.filter(pk=family.pk), staff_user, paper=paper)

    for page, code in zip(pages(pdf), page_codes(pdf), strict=True):
        [image] = pdf_page_qr_images(page)
        assert decoded(image) == [f"https://jinzang.example/join/{code}/"]


def test_printing_gives_one_page_per_adult_each_code_matching_its_stored_digest(family, staff_user):
    printing, pdf = print_letters(Household.objects.filter(pk=family.pk), staff_user, place="A1")
    printed = page_codes(pdf)
    # 李华玉, her husband, and the lodger of unknown age; not the grandson, aged 10.
    assert len(printed) == 3 == printing.letter_count
    letters = AccessLetter.objects.filter(printing=printing)
    assert {letter.resident.name for letter in letters} == {"李华玉", "王建国", "张租"}
    assert set(letters.values_list("code_digest", flat=True)) == {
        codes.code_digest(code) for code in printed
    }
    assert (printing.printed_by, printing.place, printing.paper) == (staff_user, "A1", "A4")
    for letter in letters:
        assert letter.state() == AccessLetter.State.USABLE
        assert letter.expires_at - printing.printed_at == datetime.timedelta(days=60)


def test_a_letter_shows_the_masked_name_the_door_and_what_to_do_never_the_full_name(
    register, staff_user
):
    _printing, pdf = print_letters(
        Household.objects.filter(pk=register.household_a1.pk), staff_user, valid_days=30
    )
    text = " ".join(pages(pdf)[0].extract_text().split())
    assert "李*玉" in text and "李华玉" not in text
    assert "庆丰小区 building 18 unit 2, 301" in text
    assert "http://127.0.0.1:8000/join/" in text
    assert "Never tell it to anyone" in text
    until = timezone.localdate() + datetime.timedelta(days=30)
    assert f"Valid until {until.day} {until:%b} {until.year}" in text


def test_owner_letters_go_to_owners_and_co_owners_of_any_age_only(family, staff_user):
    MembershipFactory(
        household=family,
        resident=ResidentFactory(name="王幼", birth_year=THIS_YEAR - 5),
        relation=Membership.Relation.CO_OWNER,
    )
    printing, _pdf = print_letters(
        Household.objects.filter(pk=family.pk), staff_user, purpose=AccessLetter.Purpose.OWNER
    )
    names = set(
        AccessLetter.objects.filter(printing=printing).values_list("resident__name", flat=True)
    )
    assert names == {"李华玉", "王建国", "王幼"}
    assert set(AccessLetter.objects.values_list("purpose", flat=True)) == {"owner"}


def test_a_resident_of_two_households_gets_one_letter(register, staff_user):
    MembershipFactory(
        household=register.household_a2,
        resident=register.resident_a1,
        relation=Membership.Relation.OWNER,
    )
    households = Household.objects.filter(
        pk__in=[register.household_a1.pk, register.household_a2.pk]
    )
    printing, pdf = print_letters(households, staff_user)
    assert len(pages(pdf)) == 2 == printing.letter_count  # 李华玉 once, 武莉华
    assert AccessLetter.objects.filter(resident=register.resident_a1).count() == 1


@pytest.mark.parametrize(("paper", "size"), [("A4", (595, 842)), ("A5", (420, 595))])
def test_letters_are_printed_on_the_chosen_paper(register, staff_user, paper, size):
    _printing, pdf = print_letters(
        Household.objects.filter(pk=register.household_a1.pk), staff_user, paper=paper
    )
    box = pages(pdf)[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_a_new_letter_revokes_the_older_unused_one_and_leaves_a_used_one(register, staff_user):
    households = Household.objects.filter(pk=register.household_a1.pk)
    first, _ = print_letters(households, staff_user)
    old = first.letters.get()
    used_printing, _ = print_letters(
        Household.objects.filter(pk=register.household_a2.pk), staff_user
    )
    used = used_printing.letters.get()
    AccessLetter.objects.filter(pk=used.pk).update(used_at=timezone.now())

    print_letters(
        Household.objects.filter(pk__in=[register.household_a1.pk, register.household_a2.pk]),
        staff_user,
    )

    old.refresh_from_db()
    used.refresh_from_db()
    assert old.state() == AccessLetter.State.REVOKED and old.revoked_by is None
    assert used.state() == AccessLetter.State.USED
    assert AccessLetter.objects.usable().count() == 2


def test_nobody_to_print_for_is_refused_and_nothing_is_written(register, staff_user):
    empty = HouseholdFactory(unit=register.unit_a1, door_number="999")
    with pytest.raises(ValidationError, match="No resident aged 18 or over"):
        print_letters(Household.objects.filter(pk=empty.pk), staff_user)
    assert not LetterPrinting.objects.exists() and not AccessLetter.objects.exists()


def test_residents_with_an_account_may_be_left_out(family, staff_user, resident_user):
    printing, pdf = print_letters(
        Household.objects.filter(pk=family.pk), staff_user, skip_bound=True
    )
    names = set(printing.letters.values_list("resident__name", flat=True))
    assert names == {"王建国", "张租"} and len(pages(pdf)) == 2


def test_printing_a_compound_costs_the_same_queries_for_three_households_as_for_thirty(
    register, staff_user
):
    def households_with_adults(n, unit):
        for i in range(n):
            h = HouseholdFactory(unit=unit, door_number=f"{i + 1:03d}")
            for _ in range(2):
                MembershipFactory(household=h, resident=ResidentFactory(birth_year=1970))
        return Household.objects.filter(unit=unit)

    counts = []
    for n in (3, 30):
        households = households_with_adults(n, UnitFactory(building=register.building_a1))
        with CaptureQueriesContext(connection) as queries:
            printing, _ = print_letters(households, staff_user)
        assert printing.letter_count == 2 * n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Revoking


def test_revoking_a_letter_stops_its_code_and_names_who_revoked_it(register, staff_user):
    printing, _ = print_letters(Household.objects.filter(pk=register.household_a1.pk), staff_user)
    letter = letter_revoke(letter=printing.letters.get(), by=staff_user)
    assert letter.state() == AccessLetter.State.REVOKED and letter.revoked_by == staff_user
    assert not AccessLetter.objects.usable().exists()
    with pytest.raises(ValidationError, match="revoked already"):
        letter_revoke(letter=letter, by=staff_user)


def test_a_used_letter_cannot_be_revoked(register, staff_user):
    printing, _ = print_letters(Household.objects.filter(pk=register.household_a1.pk), staff_user)
    letter = printing.letters.get()
    AccessLetter.objects.filter(pk=letter.pk).update(used_at=timezone.now())
    with pytest.raises(ValidationError, match="used already"):
        letter_revoke(letter=letter, by=staff_user)
    letter.refresh_from_db()
    assert letter.revoked_at is None


def test_revoking_a_household_revokes_its_unused_letters_only(family, register, staff_user):
    printing, _ = print_letters(
        Household.objects.filter(pk__in=[family.pk, register.household_a2.pk]), staff_user
    )
    used = printing.letters.filter(household=family).first()
    AccessLetter.objects.filter(pk=used.pk).update(used_at=timezone.now())
    assert letters_revoke_household(household=family, by=staff_user) == 2
    assert letters_revoke_household(household=family, by=staff_user) == 0
    assert set(AccessLetter.objects.usable().values_list("household", flat=True)) == {
        register.household_a2.pk
    }


# The pages


def print_url(name, obj):
    return reverse(f"residents:letters_{name}", args=[obj.pk])


def test_staff_print_a_buildings_letters_as_one_pdf_download(family, staff_client, staff_user):
    url = print_url("building", family.unit.building)
    page = staff_client.get(url)
    assertContains(page, "Residents aged 18 or over")
    assertContains(page, 'value="60"')
    response = staff_client.post(
        url, {"purpose": "resident", "paper": "A5", "valid_days": "20", "skip_bound": ""}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="letters-')
    assert response["Cache-Control"] == "no-store"
    printing = LetterPrinting.objects.get()
    assert printing.printed_by == staff_user and printing.place == "庆丰小区 Building 18"
    assert len(page_codes(response.content)) == printing.letter_count == 3


@pytest.mark.parametrize("place", ["compound", "building", "unit", "household"])
def test_committee_members_and_residents_may_not_print_and_get_403(
    register, member_client, resident_user, log_in, place
):
    obj = {
        "compound": register.compound_a,
        "building": register.building_a1,
        "unit": register.unit_a1,
        "household": register.household_a1,
    }[place]
    url = print_url(place, obj)
    for client in (member_client, log_in(resident_user)):
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"purpose": "resident", "paper": "A4", "valid_days": 60}).status_code
            == 403
        )
    assert not AccessLetter.objects.exists()


def test_another_communitys_place_is_not_found_for_staff(register, staff_client):
    url = print_url("compound", register.compound_b)
    assert staff_client.get(url).status_code == 404
    assert (
        staff_client.post(url, {"purpose": "resident", "paper": "A4", "valid_days": 60}).status_code
        == 404
    )
    assert not AccessLetter.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "resident", "paper": "A4", "valid_days": "0"}, "greater than or equal to 1"),
        ({"purpose": "resident", "paper": "A3", "valid_days": "60"}, "Select a valid choice"),
        ({"purpose": "tenant", "paper": "A4", "valid_days": "60"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_on_the_page_and_prints_nothing(
    register, staff_client, data, message
):
    response = staff_client.post(print_url("unit", register.unit_a1), data)
    assert response.status_code == 200
    assertContains(response, message)
    assert not LetterPrinting.objects.exists()


def test_a_household_without_adults_says_so_and_prints_nothing(register, staff_client):
    empty = HouseholdFactory(unit=register.unit_a1, door_number="999")
    response = staff_client.post(
        print_url("household", empty), {"purpose": "owner", "paper": "A4", "valid_days": "60"}
    )
    assertContains(response, "No owner or co-owner is registered here")
    assert not LetterPrinting.objects.exists()


def test_the_households_letters_list_their_state_and_who_printed_them_in_fixed_queries(
    family, register, staff_user, admin_user, staff_client, django_assert_num_queries
):
    households = Household.objects.filter(pk=family.pk)
    for by in (staff_user, admin_user, staff_user):
        printing, _ = print_letters(households, by)
    letter_revoke(letter=printing.letters.first(), by=staff_user)
    url = print_url("household", family)
    with django_assert_num_queries(6):
        response = staff_client.get(url)
    # Three printings of three letters: the first two revoked by the newer letters.
    assert response.content.decode().count('class="badge letter-revoked"') == 7
    assert response.content.decode().count('class="badge letter-usable"') == 2
    assertContains(response, "by a newer letter")
    assertContains(response, "by 廖书英")
    assertContains(
        response, 'action="' + reverse("residents:letters_revoke_household", args=[family.pk])
    )
    # A revoke button for each letter still usable: the latest printing's two.
    usable = AccessLetter.objects.usable().filter(household=family)
    assert usable.count() == 2
    for letter in usable:
        assertContains(response, f'action="{reverse("residents:letter_revoke", args=[letter.pk])}"')
    assert response.content.decode().count('action="/letters/') == 2
    assertNotContains(response, "code_digest")


def test_staff_revoke_a_letter_and_a_households_letters_from_its_page(
    family, staff_client, staff_user
):
    printing, _ = print_letters(Household.objects.filter(pk=family.pk), staff_user)
    letter = printing.letters.first()
    response = staff_client.post(reverse("residents:letter_revoke", args=[letter.pk]), follow=True)
    assertContains(response, "its code no longer works")
    letter.refresh_from_db()
    assert letter.revoked_by == staff_user
    response = staff_client.post(reverse("residents:letter_revoke", args=[letter.pk]), follow=True)
    assertContains(response, "This letter was revoked already.")
    response = staff_client.post(
        reverse("residents:letters_revoke_household", args=[family.pk]), follow=True
    )
    assertContains(response, "2 letters revoked")
    assert not AccessLetter.objects.usable().exists()


def test_a_committee_member_cannot_revoke_and_another_community_cannot_see_the_letter(
    register, staff_user, admin_user, member_client, staff_client
):
    a, _ = print_letters(Household.objects.filter(pk=register.household_a1.pk), staff_user)
    b, _ = print_letters(Household.objects.filter(pk=register.household_b.pk), admin_user)
    assert (
        member_client.post(
            reverse("residents:letter_revoke", args=[a.letters.get().pk])
        ).status_code
        == 403
    )
    assert (
        staff_client.post(reverse("residents:letter_revoke", args=[b.letters.get().pk])).status_code
        == 404
    )
    assert (
        staff_client.post(
            reverse("residents:letters_revoke_household", args=[register.household_b.pk])
        ).status_code
        == 404
    )
    assert AccessLetter.objects.usable().count() == 2


@pytest.mark.parametrize(
    ("page", "letters"),
    [
        ("compound", "letters_compound"),
        ("building", "letters_building"),
        ("unit", "letters_unit"),
        ("household", "letters_household"),
    ],
)
def test_the_place_pages_offer_letters_to_staff_only(
    register, staff_client, member_client, page, letters
):
    obj = {
        "compound": register.compound_a,
        "building": register.building_a1,
        "unit": register.unit_a1,
        "household": register.household_a1,
    }[page]
    url = reverse(f"residents:{page}", args=[obj.pk])
    link = reverse(f"residents:{letters}", args=[obj.pk])
    assertContains(staff_client.get(url), f'href="{link}"')
    assertNotContains(member_client.get(url), link)


def test_the_print_page_of_a_compound_counts_its_residents_in_fixed_queries(
    register, staff_client, django_assert_num_queries
):
    for i in range(5):
        h = HouseholdFactory(unit=register.unit_a1, door_number=f"6{i:02d}")
        MembershipFactory(household=h, resident=ResidentFactory(birth_year=1980))
        MembershipFactory(
            household=h,
            resident=ResidentFactory(birth_year=THIS_YEAR - 3),
            relation=Membership.Relation.FAMILY,
        )
    ResidentAccountFactory(resident=register.resident_a1)
    with django_assert_num_queries(5):
        response = staff_client.get(print_url("compound", register.compound_a))
    text = response.content.decode()
    figures = re.findall(r"<dd>(\d+)</dd>", text)
    # Adults: 李华玉, 武莉华 and the five; owners: 李华玉 and the five; one account.
    assert figures == ["7", "6", "1"]


# The admin


def test_the_admin_shows_letters_read_only_and_never_a_code(register, staff_user, admin_client):
    printing, pdf = print_letters(Household.objects.filter(pk=register.household_a1.pk), staff_user)
    letter = printing.letters.get()
    (code,) = page_codes(pdf)
    for url in (
        reverse("admin:residents_accessletter_changelist"),
        reverse("admin:residents_accessletter_change", args=[letter.pk]),
        reverse("admin:residents_letterprinting_change", args=[printing.pk]),
        reverse("admin:residents_letterprinting_changelist"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert code not in text and letter.code_digest not in text
        assert "李华玉" in text or "庆丰" in text or "liaoshuying" in text
    assert admin_client.get(reverse("admin:residents_accessletter_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:residents_accessletter_change", args=[letter.pk]), {"purpose": "owner"}
    )
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.purpose == "resident"


def test_the_admin_lists_resident_accounts_with_masked_phones(
    register, resident_user, admin_client
):
    account = resident_user.resident_account
    account.phone = "13912345678"
    account.save()
    response = admin_client.get(reverse("admin:residents_residentaccount_changelist"))
    assertContains(response, "139****5678")
    assertNotContains(response, "13912345678")
    assert admin_client.get(reverse("admin:residents_residentaccount_add")).status_code == 403
