"""Back up and restore the database and the uploaded files as one archive.

SQLite is copied with its online backup API (consistent while the site runs);
PostgreSQL with pg_dump's custom format and pg_restore. Uploaded files (MEDIA_ROOT)
go into the same archive. Uploads kept on S3-compatible storage are backed up by
the bucket's own versioning, not here.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

FORMAT = 1


def _vendor(alias):
    return connections[alias].vendor


def _pg_args(alias) -> tuple[list[str], dict]:
    s = connections[alias].settings_dict
    args = ["--dbname", s["NAME"], "--no-password"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(command, env):
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise CommandError(f"{command[0]} is not installed: {error}") from error
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(alias, folder: Path) -> str:
    vendor = _vendor(alias)
    if vendor == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        return "database.sqlite3"
    if vendor == "postgresql":
        args, env = _pg_args(alias)
        _run(["pg_dump", "--format=custom", "--file", str(folder / "database.pgdump"), *args], env)
        return "database.pgdump"
    raise CommandError(f"Backups of {vendor} databases are not supported.")


def backup(path, *, alias="default") -> dict:
    """Write the database and MEDIA_ROOT to the archive `path` (.tar.gz)."""
    path = Path(path)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = _dump_database(alias, folder)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": _vendor(alias),
            "database": database,
            "media_files": sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(folder / database, arcname=database)
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.replace(path)  # a crash never leaves a half-written archive under the name
    return manifest


def restore(path, *, alias="default") -> dict:
    """Replace the database and MEDIA_ROOT by the archive's."""
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No backup at {path}.")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        folder = Path(tmp)
        archive.extractall(folder, filter="data")
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("vendor") != _vendor(alias):
            raise CommandError(
                f"The backup is of a {manifest.get('vendor')} database; "
                f"this site uses {_vendor(alias)}."
            )
        database = folder / manifest["database"]
        if manifest["vendor"] == "sqlite":
            connection = connections[alias]
            connection.ensure_connection()
            source = sqlite3.connect(database)
            source.backup(connection.connection)
            source.close()
        else:
            connections[alias].close()
            args, env = _pg_args(alias)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(database),
                ],
                env,
            )
        if media.is_dir():
            for child in media.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        if (folder / "media").is_dir():
            shutil.copytree(folder / "media", media, dirs_exist_ok=True)
    return manifest
