import json
import os
import subprocess
import sys
from pathlib import Path

import jinzang.settings as project_settings

PROJECT = Path(__file__).resolve().parent.parent


def import_settings(**env):
    """Import the settings in a fresh interpreter with the given environment."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import jinzang.settings as s; print(s.DEBUG, s.SECRET_KEY)"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key():
    result = import_settings(DEBUG="False")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key_even_when_given_explicitly():
    result = import_settings(DEBUG="False", SECRET_KEY=project_settings.DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_starts_with_its_own_secret_key():
    result = import_settings(DEBUG="False", SECRET_KEY="a-long-random-production-key")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "a-long-random-production-key"]


def test_development_runs_with_the_development_key():
    result = import_settings(DEBUG="True")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", project_settings.DEV_SECRET_KEY]


def test_time_is_shown_in_shanghai_and_stored_aware():
    assert project_settings.TIME_ZONE == "Asia/Shanghai"
    assert project_settings.USE_TZ is True


def test_pages_default_to_simplified_chinese_with_english_on_offer():
    # The module, not django.conf.settings: the tests switch the latter to English.
    assert project_settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in project_settings.LANGUAGES] == ["zh-hans", "en"]


def settings_with(expression, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
        and not k.startswith(("S3_", "AWS_"))
    }
    environment.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, jinzang.settings as s; print(json.dumps({expression}))",
        ],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_each_process_caches_in_memory_and_sessions_live_in_the_database():
    caches, engine = settings_with("[s.CACHES, s.SESSION_ENGINE]")
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert engine == "django.contrib.sessions.backends.db"


def test_redis_url_gives_a_shared_cache_and_cached_sessions():
    caches, engine = settings_with(
        "[s.CACHES, s.SESSION_ENGINE]", REDIS_URL="redis://127.0.0.1:6379/5"
    )
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert engine == "django.contrib.sessions.backends.cached_db"


def test_uploads_stay_on_disk_without_a_bucket():
    storages = settings_with("s.STORAGES")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_moves_uploads_to_private_s3_storage():
    storages = settings_with(
        "s.STORAGES",
        S3_BUCKET="jinzang-media",
        S3_ENDPOINT_URL="https://oss.example.com",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "jinzang-media"
    assert options["endpoint_url"] == "https://oss.example.com"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    # Static files stay with whitenoise either way.
    assert storages["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_the_aws_bucket_name_is_understood_too():
    storages = settings_with("s.STORAGES", AWS_STORAGE_BUCKET_NAME="other")
    assert storages["default"]["OPTIONS"]["bucket_name"] == "other"


def test_each_app_runs_its_own_configuration():
    from django.apps import apps

    from jinzang.apps import JinzangConfig

    assert type(apps.get_app_config("jinzang")) is JinzangConfig


def test_production_sends_the_language_cookie_over_https_only_and_never_to_scripts():
    secure, samesite, httponly = settings_with(
        "[s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY]",
        DEBUG="False",
        SECRET_KEY="a-long-random-production-key",
    )
    assert (secure, samesite, httponly) == (True, "Lax", True)


def test_the_language_cookie_follows_secure_cookies_like_the_session_cookie():
    secure, session_secure = settings_with(
        "[s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE]",
        DEBUG="False",
        SECRET_KEY="a-long-random-production-key",
        SECURE_COOKIES="False",
    )
    assert (secure, session_secure) == (False, False)
    assert settings_with("s.LANGUAGE_COOKIE_SECURE", DEBUG="True") is False


def test_the_language_switch_sets_a_cookie_marked_secure_lax_and_http_only(client, settings):
    # The tests run without SECURE_COOKIES' production default; the other two flags are the
    # project's own.
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SAMESITE = project_settings.LANGUAGE_COOKIE_SAMESITE
    settings.LANGUAGE_COOKIE_HTTPONLY = project_settings.LANGUAGE_COOKIE_HTTPONLY

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
