"""Back up, wipe, restore: every row and every uploaded file comes back unchanged."""

import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import AccessGrantFactory, UserFactory


def snapshot():
    """Every row of every table, in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def files(root):
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "requests" / "7").mkdir(parents=True)
    (settings.MEDIA_ROOT / "requests" / "7" / "灯.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"x" * 99
    )
    (settings.MEDIA_ROOT / "notice.pdf").write_bytes(b"%PDF-1.4 test")
    return settings.MEDIA_ROOT


def available():
    return connection.vendor == "sqlite" or (
        connection.vendor == "postgresql" and shutil.which("pg_dump") and shutil.which("pg_restore")
    )


@pytest.mark.skipif(not available(), reason="pg_dump and pg_restore are not installed")
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_finds_every_row_and_file_unchanged(register, media, tmp_path):
    user = UserFactory(username="backup-check")
    AccessGrantFactory(user=user, staff=True, community=register.community_a)
    before, before_files = snapshot(), files(media)
    assert sum(map(len, before.values())) > 20
    archive = tmp_path / "jinzang.tar.gz"

    call_command("backup", str(archive))
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    media.mkdir()
    (media / "stray.txt").write_text("written after the backup")
    assert snapshot() != before

    call_command("restore", str(archive), yes=True)
    assert snapshot() == before
    assert files(media) == before_files


@pytest.mark.django_db
def test_restore_refuses_a_missing_archive(tmp_path):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "none.tar.gz"), yes=True)


@pytest.mark.django_db
def test_restore_asks_before_replacing(tmp_path, monkeypatch):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(b"")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))
