"""Binding a letter's code to a resident's own account, and signing in as a resident:
with the phone number or the username and the password, or with a code sent by SMS."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from residents.accounts import sms
from residents.accounts.binding import account_bind
from residents.accounts.codes import code_grouped
from residents.accounts.views import DOOR_URL, join_url
from residents.models import AccessGrant, AccessLetter, ResidentAccount, SmsSignInCode
from tests.factories import stored
from tests.residents.letter_rows import join_path, letter_issued

GOOD_PASSWORD = "qingfeng-courtyard-18"
WRONG_CODE = "K7MQ-3XPA-9TRD"  # well formed; no letter has it


@pytest.fixture
def letter(register, staff_user):
    """李华玉's letter, delivered to household A1, and its code."""
    return letter_issued(
        resident=register.resident_a1, household=register.household_a1, by=staff_user
    )


def bind(client, code, **data):
    form = {
        "username": "huayu301",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        "phone": "",
    }
    form.update(data)
    return client.post(join_path(code), form)


# Binding


def test_the_qr_link_shows_the_masked_name_and_the_door_then_the_form(client, letter):
    _letter, code = letter
    response = client.get(join_url(code))
    assertContains(response, "李*玉")
    assertNotContains(response, "李华玉")
    assertContains(response, "庆丰小区 building 18 unit 2, 301")
    assertContains(response, 'name="password_again"')
    assertContains(response, "Create my account")
    assert "no-store" in response["Cache-Control"]


def test_binding_a_letter_makes_a_resident_account_and_signs_in(client, letter, register):
    the_letter, code = letter
    response = bind(client, code, phone="138 0000 1234")
    assertRedirects(response, reverse(DOOR_URL), fetch_redirect_response=False)
    account = ResidentAccount.objects.select_related("user").get(resident=register.resident_a1)
    user = account.user
    assert (user.username, user.first_name, user.is_staff, user.is_superuser) == (
        "huayu301",
        "李华玉",
        False,
        False,
    )
    assert user.check_password(GOOD_PASSWORD)
    assert not AccessGrant.objects.filter(user=user).exists()
    assert (account.phone, account.letter) == ("13800001234", the_letter)
    assert stored(the_letter).used_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_resident_account_never_enters_the_admin(client, letter):
    _letter, code = letter
    bind(client, code)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = Client().post("/admin/login/", {"username": "huayu301", "password": GOOD_PASSWORD})
    assertContains(response, "Please enter the correct username and password for a staff account")


def test_a_used_letter_says_so_and_offers_nothing_else(client, letter):
    _letter, code = letter
    bind(client, code)
    other = Client()
    response = other.get(join_path(code))
    assertContains(response, "This letter has already been used.", status_code=410)
    assertNotContains(response, 'name="password"', status_code=410)
    assertNotContains(response, "Type the code", status_code=410)
    response = bind(other, code, username="someoneelse")
    assertContains(response, "This letter has already been used.", status_code=410)
    assert ResidentAccount.objects.count() == 1


def test_binding_the_same_code_twice_makes_one_account_and_refuses_the_second(letter):
    _letter, code = letter
    account_bind(code=code, username="first", password=GOOD_PASSWORD)
    with pytest.raises(ValidationError, match="already been used"):
        account_bind(code=code, username="second", password=GOOD_PASSWORD)
    assert list(ResidentAccount.objects.values_list("user__username", flat=True)) == ["first"]


def test_an_expired_letter_gives_its_date_and_offers_nothing_else(client, register):
    _letter, code = letter_issued(
        resident=register.resident_a1, household=register.household_a1, state="expired"
    )
    response = client.get(join_path(code))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assertContains(response, f"This letter expired on {yesterday:%-d %b %Y}", status_code=410)
    assertContains(response, "ask your committee for a new one", status_code=410)
    assertNotContains(response, 'name="password"', status_code=410)


def test_a_withdrawn_letter_says_so_and_offers_nothing_else(client, register):
    _letter, code = letter_issued(
        resident=register.resident_a1, household=register.household_a1, state="revoked"
    )
    response = client.get(join_path(code))
    assertContains(response, "This letter was withdrawn", status_code=410)
    assertNotContains(response, 'name="password"', status_code=410)
    assert bind(client, code).status_code == 410
    assert not ResidentAccount.objects.exists()


def test_a_wrong_code_is_refused_and_counted(client, letter):
    response = client.post(reverse("join"), {"code": WRONG_CODE})
    assertContains(response, "No letter has this code.")
    response = client.get(f"/join/{WRONG_CODE}/")
    assertContains(response, "No letter has this code.", status_code=404)
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_a_malformed_code_is_explained_and_not_counted(client, letter):
    response = client.post(reverse("join"), {"code": "K7MQ-3XPA"})
    assertContains(response, "A code has 12 letters and digits")
    response = client.post(reverse("join"), {"code": "K7MQ-3XPA-9TR0"})  # 0 is not printed
    assertContains(response, "A code has 12 letters and digits")
    response = client.get("/join/not-a-code/")
    assertContains(response, "This is not the code of a letter.", status_code=404)
    assert not AccessAttempt.objects.exists()


def test_a_typed_code_in_small_letters_without_dashes_leads_to_its_letter(client, letter):
    _letter, code = letter
    response = client.post(reverse("join"), {"code": f" {code.lower()[:6]} {code.lower()[6:]}"})
    assertRedirects(response, join_path(code))
    assertRedirects(client.get(f"/join/{code.lower()}/"), join_path(code))


def test_too_many_wrong_codes_lock_the_code_pages_and_nothing_is_checked(client, letter):
    the_letter, code = letter
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assertContains(client.post(reverse("join"), {"code": WRONG_CODE}), "No letter")
    response = client.post(reverse("join"), {"code": WRONG_CODE})
    assertContains(response, "Too many wrong codes", status_code=429)
    # Now even the right code is not looked at, and the letter stays usable.
    for response in (client.get(join_path(code)), bind(client, code)):
        assertContains(response, "Too many wrong codes", status_code=429)
        assertNotContains(response, "李*玉", status_code=429)
    assert client.get(reverse("join")).status_code == 429
    assert stored(the_letter).used_at is None
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assertContains(other.get(join_path(code)), "李*玉")


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"password": "12345678901", "password_again": "12345678901"},
            "password",
            "entirely numeric",
        ),
        ({"password": "short", "password_again": "short"}, "password", "too short"),
        ({"password_again": "something-else-1"}, "password_again", "not the same"),
        ({"username": "13812345678"}, "username", "cannot be a phone number"),
        ({"username": "李 华玉!"}, "username", "Enter a valid username"),
        ({"phone": "12345"}, "phone", "11-digit mainland mobile number"),
    ],
)
def test_bad_choices_are_explained_and_bind_nothing(client, letter, data, field, message):
    the_letter, code = letter
    response = bind(client, code, **data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert stored(the_letter).used_at is None
    assert not ResidentAccount.objects.exists()


def test_a_taken_username_or_phone_is_refused(client, letter, register, staff_user):
    _letter, code = letter
    response = bind(client, code, username="LiaoShuYing")  # staff_user's, in other capitals
    assertContains(response, "This username is taken")
    other, other_code = letter_issued(
        resident=register.resident_a2, household=register.household_a2
    )
    bind(Client(), other_code, username="lihua", phone="13900001111")
    response = bind(client, code, phone="139 0000 1111")
    assertContains(response, "already signs in to another account")
    assert ResidentAccount.objects.count() == 1


def test_a_new_letter_for_a_resident_with_an_account_replaces_username_and_password(
    client, register
):
    _first, code = letter_issued(resident=register.resident_a1, household=register.household_a1)
    bind(client, code, phone="13800001234")
    account = ResidentAccount.objects.get()
    _second, new_code = letter_issued(
        resident=register.resident_a1, household=register.household_a1
    )
    fresh = Client()
    response = fresh.get(join_path(new_code))
    assertContains(response, "You already have an account")
    assertContains(response, 'value="huayu301"')
    bind(
        fresh,
        new_code,
        username="huayu2",
        password="a-new-long-secret",
        password_again="a-new-long-secret",
    )
    again = ResidentAccount.objects.select_related("user").get()
    assert (again.pk, again.user.pk, again.user.username, again.phone) == (
        account.pk,
        account.user.pk,
        "huayu2",
        "13800001234",
    )
    assert again.user.check_password("a-new-long-secret")
    # The old password's session ends with it.
    assert client.get(reverse("join")).context["user"].is_anonymous


def test_a_signed_in_visitor_sees_the_join_page_with_a_note(staff_client):
    response = staff_client.get(reverse("join"))
    assertContains(
        response,
        "You are signed in as 廖书英. Going on here signs you in to another account instead.",
    )
    assertContains(response, 'name="code"')


def test_the_join_pages_take_a_fixed_number_of_queries(client, letter, django_assert_num_queries):
    _letter, code = letter
    # 1: the address's wrong codes (axes).
    with django_assert_num_queries(1):
        assertContains(client.get(reverse("join")), "Sign in with your letter")
    # 2: + the letter with its resident, account and door; 3: a free username suggested.
    with django_assert_num_queries(3):
        assertContains(client.get(join_path(code)), "李*玉")


# Signing in


@pytest.fixture
def bound(client, letter):
    """李华玉 bound her letter with the phone 13800001234; then signed out."""
    _letter, code = letter
    bind(client, code, phone="13800001234")
    client.logout()
    return ResidentAccount.objects.select_related("user").get()


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_resident_signs_in_with_the_phone_number_or_the_username(client, bound):
    for name in ("13800001234", "138-0000-1234", "+86 138 0000 1234", "huayu301"):
        response = log_in(Client(), name, GOOD_PASSWORD)
        assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assertContains(log_in(client, "13800001234", "wrong-one"), "Please enter a correct")


def test_wrong_passwords_for_a_phone_number_lock_it_out(client, bound):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "13800001234", "wrong-one")
    assertContains(response, "Too many failed logins", status_code=429)
    assertContains(log_in(client, "13800001234", GOOD_PASSWORD), "Too many", status_code=429)


def test_a_resident_who_moved_out_still_signs_in(client, bound, register):
    register.membership_a1.delete()
    response = log_in(client, "13800001234", GOOD_PASSWORD)
    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    assert not bound.households().exists()


def test_staff_still_sign_in_with_their_username(client, staff_user):
    from tests.factories import PASSWORD

    assertRedirects(log_in(client, "liaoshuying", PASSWORD), reverse("home"))


def test_the_login_page_speaks_to_residents_and_links_to_the_letter_page(client):
    response = client.get(reverse("login"))
    assertContains(response, "Phone number or username")
    assertContains(response, f'href="{reverse("join")}"')
    assertNotContains(response, "by SMS")


# Codes by SMS


@pytest.fixture
def sms_on(settings):
    settings.SMS_BACKEND = "residents.accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def ask_code(client, phone, capture):
    with capture(execute=True):
        return client.post(reverse("login_sms"), {"phone": phone})


def sent_code(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1][1]).group(1)


def test_sms_pages_are_not_there_while_sms_is_off(client):
    assert client.get(reverse("login_sms")).status_code == 404
    assert client.post(reverse("login_sms_code"), {"sms_code": "123456"}).status_code == 404


def test_a_resident_signs_in_with_a_code_sent_by_sms(
    client, bound, sms_on, django_capture_on_commit_callbacks
):
    assertContains(client.get(reverse("login")), "Sign in with a code by SMS")
    response = ask_code(client, "138 0000 1234", django_capture_on_commit_callbacks)
    assertRedirects(response, reverse("login_sms_code"))
    assert [phone for phone, _text in sms_on] == ["13800001234"]
    assert "valid for 10 minutes" in sms_on[0][1]
    code = sent_code(sms_on)
    assert code not in SmsSignInCode.objects.get().digest
    assertContains(client.get(reverse("login_sms_code")), "138****1234")
    response = client.post(reverse("login_sms_code"), {"sms_code": code})
    assertRedirects(response, reverse(DOOR_URL), fetch_redirect_response=False)
    assert int(client.session["_auth_user_id"]) == bound.user.pk
    # Used up: the same code does not sign in again.
    other = Client()
    ask_code(other, "13800001234", django_capture_on_commit_callbacks)
    assertContains(
        other.post(reverse("login_sms_code"), {"sms_code": code}), "wrong or no longer valid"
    )


def test_asking_a_code_for_an_unbound_phone_answers_the_same_and_sends_nothing(
    client, bound, sms_on, django_capture_on_commit_callbacks
):
    bound_answer = ask_code(Client(), "13800001234", django_capture_on_commit_callbacks)
    unbound_answer = ask_code(client, "13999999999", django_capture_on_commit_callbacks)
    assert (unbound_answer.status_code, unbound_answer["Location"]) == (
        bound_answer.status_code,
        bound_answer["Location"],
    )
    page = client.get(reverse("login_sms_code")).content.decode()
    assert "If this number signs in to an account, a code is on its way" in page
    assert len(sms_on) == 1


def test_at_most_one_code_a_minute_goes_to_a_phone(
    client, bound, sms_on, django_capture_on_commit_callbacks
):
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    assert len(sms_on) == 1
    SmsSignInCode.objects.update(sent_at=timezone.now() - datetime.timedelta(seconds=61))
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    assert len(sms_on) == 2
    assert sent_code(sms_on) != sms_on[0][1]


def test_a_code_is_void_after_five_wrong_tries_and_after_ten_minutes(
    client, bound, sms_on, django_capture_on_commit_callbacks
):
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    code = sent_code(sms_on)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(sms.CODE_TRIES):
        sms.sms_code_check(phone="13800001234", code=wrong)
    assert sms.sms_code_check(phone="13800001234", code=code) is None
    SmsSignInCode.objects.all().delete()
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(minutes=10, seconds=1)
    assert sms.sms_code_check(phone="13800001234", code=sent_code(sms_on), now=later) is None


def test_wrong_sms_codes_count_toward_the_lockout(
    client, bound, sms_on, django_capture_on_commit_callbacks
):
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    code = sent_code(sms_on)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login_sms_code"), {"sms_code": wrong})
    assert AccessAttempt.objects.get().username == "13800001234"
    response = client.post(reverse("login_sms_code"), {"sms_code": wrong})
    assertContains(response, "Too many failed logins", status_code=429)
    # Locked out: not even a password gets in for this phone now.
    assert log_in(Client(), "13800001234", GOOD_PASSWORD).status_code == 429


def test_the_console_backend_prints_the_message():
    stream = io.StringIO()
    sms.ConsoleBackend(stream=stream).send("13800001234", "Your code is 123456.")
    assert stream.getvalue() == "SMS to 13800001234: Your code is 123456.\n"


def test_the_code_page_without_a_phone_asked_for_goes_back_to_the_first_step(client, sms_on):
    assertRedirects(client.get(reverse("login_sms_code")), reverse("login_sms"))


def test_the_letter_link_is_the_grouped_code(letter):
    _letter, code = letter
    assert join_url(code) == f"/join/{code_grouped(code)}/"
    assert AccessLetter.objects.usable().count() == 1


def test_a_username_taken_between_the_check_and_the_write_is_told_on_the_form(
    client, letter, staff_user, monkeypatch
):
    the_letter, code = letter
    monkeypatch.setattr("residents.accounts.binding._check_username", lambda *a: [])
    response = bind(client, code, username="liaoshuying")
    assertContains(response, "was taken a moment ago")
    assertContains(response, 'name="password_again"')
    assert stored(the_letter).used_at is None
    assert not ResidentAccount.objects.exists()


def test_the_admin_lists_when_codes_went_out_but_never_a_code(
    client, bound, sms_on, django_capture_on_commit_callbacks, admin_client
):
    ask_code(client, "13800001234", django_capture_on_commit_callbacks)
    digest = SmsSignInCode.objects.get().digest
    page = admin_client.get(reverse("admin:residents_smssignincode_changelist"))
    assertContains(page, "huayu301")
    assertNotContains(page, digest)
    sent = SmsSignInCode.objects.get()
    detail = admin_client.get(reverse("admin:residents_smssignincode_change", args=[sent.pk]))
    assertNotContains(detail, digest)
