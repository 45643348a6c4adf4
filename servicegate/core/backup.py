"""Back up and restore the database: SQLite's online backup API, or pg_dump/pg_restore.

A backup of the embedded database is a SQLite file taken while Servicegate runs; one of
PostgreSQL is a ``pg_dump`` custom-format archive. A restore refuses a database that
already holds data unless forced, and refuses a file that is not a backup of the
configured kind. Every refusal is a ``BackupRefused`` with one sentence.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"


class BackupRefused(Exception):
    """A backup or restore that cannot run; the message says why and what to do."""


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupRefused(
            f"{name} is not installed; install the PostgreSQL client tools "
            "(Debian: apt install postgresql-client)."
        )
    return path


def backup_create(*, path: Path, force: bool = False) -> str:
    """Write a backup of the configured database to ``path``; returns what was written."""
    if path.exists() and not force:
        raise BackupRefused(f"{path} exists already; choose another file or add --force.")
    if not path.parent.is_dir():
        raise BackupRefused(f"The folder {path.parent} does not exist.")
    if settings.EMBEDDED_DATABASE:
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # consistent while other processes keep writing
        finally:
            target.close()
            source.close()
        partial.replace(path)
        return f"SQLite backup of {settings.DATABASES['default']['NAME']}"
    env, args = _pg_env_and_args()
    name = str(settings.DATABASES["default"]["NAME"])
    result = subprocess.run(
        [_tool("pg_dump"), *args, "--format", "custom", "--no-owner", "--file", str(path), name],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["no message"])[0]
        raise BackupRefused(f"pg_dump could not back up {name} ({first}).")
    return f"pg_dump archive of {name}"


def _header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(16)


def backup_restore(*, path: Path, force: bool = False, holds_data: bool) -> str:
    """Replace the configured database with the backup at ``path``."""
    if not path.is_file():
        raise BackupRefused(f"There is no backup file at {path}.")
    if holds_data and not force:
        raise BackupRefused(
            "The database already holds data; nothing was changed. Add --force to replace it."
        )
    header = _header(path)
    if settings.EMBEDDED_DATABASE:
        if not header.startswith(SQLITE_HEADER):
            raise BackupRefused(
                f"{path} is not a SQLite backup (made by `servicegate backup` on the "
                "embedded database); nothing was changed."
            )
        connections.close_all()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=60)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupRefused(f"{path} is damaged (integrity check failed).")
            source.backup(target)
        finally:
            target.close()
            source.close()
        return f"restored {path} into {settings.DATABASES['default']['NAME']}"
    if not header.startswith(PGDUMP_HEADER):
        raise BackupRefused(
            f"{path} is not a pg_dump archive (made by `servicegate backup` on PostgreSQL); "
            "nothing was changed."
        )
    connections.close_all()
    env, args = _pg_env_and_args()
    name = str(settings.DATABASES["default"]["NAME"])
    result = subprocess.run(
        [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            str(path),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["no message"])[0]
        raise BackupRefused(f"pg_restore could not restore {path} into {name} ({first}).")
    return f"restored {path} into {name}"
