"""Partial uploads are spooled under the data directory, and a start deletes stale ones.

Django writes an upload larger than 2.5 MB to a temporary file while it arrives; a
server killed mid-upload used to leave those files in /tmp for good.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import call_command

from servicegate.core.management.commands import demo, serve
from servicegate.core.uploads import upload_temp_prune

HOUR = 3600


class StoppedAtOnce:
    """A supervisor whose server and worker stop as soon as they are started."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def run(self) -> int:
        return 0


@pytest.fixture
def spool(settings: Any, tmp_path: Path) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp" / "uploads")
    settings.STATIC_ROOT = tmp_path / "static"
    return tmp_path / "tmp" / "uploads"


def leftovers(spool: Path) -> tuple[Path, Path]:
    """A partial upload two hours old (a killed server's) and one written just now."""
    spool.mkdir(parents=True, exist_ok=True)
    stale, fresh = spool / "stale.upload.csv", spool / "fresh.upload.csv"
    stale.write_bytes(b"x" * 1000)
    fresh.write_bytes(b"y" * 1000)
    two_hours_ago = time.time() - 2 * HOUR
    os.utime(stale, (two_hours_ago, two_hours_ago))
    return stale, fresh


def test_uploads_are_spooled_under_the_data_directory() -> None:
    assert Path(settings.FILE_UPLOAD_TEMP_DIR) == settings.DATA_DIR / "tmp" / "uploads"
    assert Path(settings.FILE_UPLOAD_TEMP_DIR).is_dir()  # created when Django starts
    upload = TemporaryUploadedFile("big.csv", "text/csv", 0, "utf-8")
    try:
        assert Path(upload.temporary_file_path()).parent == settings.DATA_DIR / "tmp" / "uploads"
    finally:
        upload.close()


def test_a_stale_partial_upload_is_deleted_and_a_fresh_one_kept(spool: Path) -> None:
    stale, fresh = leftovers(spool)
    assert upload_temp_prune() == 1
    assert not stale.exists() and fresh.exists()
    # an hour later the other one is stale too
    assert upload_temp_prune(now=time.time() + 2 * HOUR) == 1 and not fresh.exists()


def test_the_worker_deletes_stale_partial_uploads_when_it_starts(spool: Path) -> None:
    stale, fresh = leftovers(spool)
    call_command("worker", "--batch")
    assert not stale.exists() and fresh.exists()


def test_serve_deletes_stale_partial_uploads_when_it_starts(
    spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale, fresh = leftovers(spool)
    monkeypatch.setattr(serve, "Supervisor", StoppedAtOnce)
    call_command("serve", "--port", "8999")
    assert not stale.exists() and fresh.exists()


@pytest.mark.django_db
def test_demo_deletes_stale_partial_uploads_when_it_starts(
    spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale, fresh = leftovers(spool)
    monkeypatch.setattr(demo, "Supervisor", StoppedAtOnce)
    monkeypatch.setattr(demo, "database_holds_data", lambda: True)
    monkeypatch.setattr(demo, "print_logins", lambda write: None)
    call_command("demo", "--port", "8999")
    assert not stale.exists() and fresh.exists()
