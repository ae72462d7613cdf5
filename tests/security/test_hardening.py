"""Deployment hardening: production defaults, Content-Security-Policy, login lockout, session
idle timeout, password strength, error pages and where uploads live."""

import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.views.defaults import server_error
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from jinzang.middleware import SEEN_KEY
from tests.factories import PASSWORD

PROJECT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = PROJECT / "templates"

# Variables the settings read; the deploy check runs with none of them but the three.
SETTINGS_VARIABLES = re.compile(
    r"^(DEBUG|SECRET_KEY|ALLOWED_HOSTS|SECURE_.*|SESSION_.*|REDIS_URL|S3_.*|AWS_.*|"
    r"DJANGO_SETTINGS_MODULE|CSRF_TRUSTED_ORIGINS|SITE_URL|"
    # set for the whole test session by the browser tests (tests/e2e/conftest.py)
    r"DJANGO_ALLOW_ASYNC_UNSAFE)$"
)


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not SETTINGS_VARIABLES.match(k)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_only_debug_off_a_secret_key_hosts_and_the_site_url():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="jinzang.example.org",
        SITE_URL="https://jinzang.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_printed_pages_would_lead_to_the_development_address():
    result = run_manage(
        "check",
        "--deploy",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="jinzang.example.org",
    )
    assert "jinzang.W001" in result.stdout + result.stderr
    assert "SITE_URL is 'http://127.0.0.1:8000'" in result.stdout + result.stderr


def test_production_defaults_can_each_be_turned_off():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import jinzang.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
            " s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_AGE)",
        ],
        cwd=PROJECT,
        env={
            **{k: v for k, v in os.environ.items() if not SETTINGS_VARIABLES.match(k)},
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "False",
            "SESSION_IDLE_MINUTES": "10",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "False", "600"]


# Content-Security-Policy


def test_pages_carry_an_enforcing_content_security_policy(staff_client):
    response = staff_client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "Content-Security-Policy-Report-Only" not in response.headers


def test_public_pages_carry_the_policy_too(client, db):
    assert "Content-Security-Policy" in client.get(reverse("login")).headers


def test_htmx_is_configured_for_the_policy(staff_client):
    response = staff_client.get(reverse("home"))
    assertContains(response, '<meta name="htmx-config"')
    assertContains(response, '"allowEval":false')
    assertContains(response, '"includeIndicatorStyles":false')


def all_templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_there_are_templates_to_scan():
    assert len(all_templates()) > 30


@pytest.mark.parametrize("path", all_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_handlers_or_styles(path):
    text = path.read_text()
    for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
        assert "src=" in match.group(1), f"script without src in {path}"
        assert not match.group(2).strip(), f"inline script in {path}"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), f"event handler attribute in {path}"
    assert not re.search(r"\bhx-on", text), f"hx-on (evaluated script) in {path}"
    assert not re.search(r"\sstyle\s*=", text, re.I), f"style attribute in {path}"
    assert not re.search(r"<style\b", text, re.I), f"style element in {path}"
    assert "javascript:" not in text.lower(), f"javascript: URL in {path}"
    assert not re.search(r"""hx-vals=['"]\s*js:""", text), f"evaluated hx-vals in {path}"


# Login throttling


def post_login(client, password):
    return client.post(reverse("login"), {"username": "liaoshuying", "password": password})


def test_repeated_failed_logins_lock_the_account_out_with_a_page(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assertContains(post_login(client, "wrong"), "Please enter a correct username")
    response = post_login(client, "wrong")
    assertContains(response, "Too many failed logins", status_code=429)
    assertContains(response, "Try again in 15 minutes", status_code=429)
    # Even the right password is refused while locked out.
    response = post_login(client, PASSWORD)
    assertContains(response, "Too many failed logins", status_code=429)
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, staff_user):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assertRedirects(post_login(client, PASSWORD), reverse("home"))


def test_a_success_before_the_limit_clears_the_failures(client, staff_user):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "wrong")
    assertRedirects(post_login(client, PASSWORD), reverse("home"))
    assert not AccessAttempt.objects.exists()


def test_one_user_locked_out_leaves_another_free(client, staff_user, member_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "wrong")
    response = client.post(reverse("login"), {"username": "zhoumin", "password": PASSWORD})
    assertRedirects(response, reverse("home"))


# Session idle timeout


def test_session_lasts_the_idle_timeout_from_login(client, staff_user):
    client.post(reverse("login"), {"username": "liaoshuying", "password": PASSWORD})
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_a_session_in_use_is_renewed_but_not_on_every_request(staff_client, monkeypatch):
    monkeypatch.setattr("jinzang.middleware.SESSION_RENEW_SECONDS", 60)
    cookie = settings.SESSION_COOKIE_NAME
    response = staff_client.get(reverse("home"))
    assert cookie not in response.cookies  # seen at login: no write
    session = staff_client.session
    session[SEEN_KEY] = int(time.time()) - 120
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    response = staff_client.get(reverse("home"))
    assert response.cookies[cookie]["max-age"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)


def test_an_idle_session_has_ended(staff_client):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = staff_client.get(reverse("home"))
    assertRedirects(response, f"{reverse('login')}?next=/")


# Passwords


@pytest.mark.parametrize("password", ["Gz7#kq2m", "password1234", "1234567890123", "jinzang"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("qingfeng-pipes-2022-yard")


# Error pages


def test_not_found_page_in_english_and_chinese(staff_client):
    url = reverse("residents:household", args=[999999])
    assertContains(staff_client.get(url), "Not found", status_code=404)
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        expected = translation.gettext("Not found")
    assert expected != "Not found"
    response = staff_client.get(url)
    assertContains(response, expected, status_code=404)
    assertNotContains(response, "Not found", status_code=404)


def test_forbidden_page_in_english_and_chinese(outsider_client):
    assertContains(outsider_client.get(reverse("home")), "Not allowed", status_code=403)
    outsider_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        expected = translation.gettext("Not allowed")
    assert expected != "Not allowed"
    assertContains(outsider_client.get(reverse("home")), expected, status_code=403)


def test_bad_request_gets_the_site_page(client, db):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assertContains(response, "Bad request", status_code=400)
    assertContains(response, 'lang="en"', status_code=400)


def test_expired_form_gets_the_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assertContains(response, "The form has expired", status_code=403)


def test_server_error_page_is_bilingual_and_needs_no_context(db):
    response = server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in text and "Server error" in text
    assert "style=" not in text


# Uploads


def test_uploads_live_outside_the_static_files():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_media_files_are_not_served_directly(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "requests").mkdir()
    (tmp_path / "requests" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = staff_client.get("/" + settings.MEDIA_URL + "requests/photo.png")
    assert response.status_code == 404
