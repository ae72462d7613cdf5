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
