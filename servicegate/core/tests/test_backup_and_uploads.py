"""`servicegate backup` / `restore`, the upload size limit and upload retention."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from servicegate.core.models import Job
from servicegate.core.tests.test_serve import production_env
from servicegate.core.uploads import uploads_prune


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "servicegate", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def users(env: dict[str, str]) -> str:
    result = cli(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "print(','.join(User.objects.values_list('username', flat=True)))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after shell's import notice


def _backup_and_restore(first: dict[str, str], second: dict[str, str], tmp_path: Path) -> None:
    made = cli(
        "createsuperuser",
        "--noinput",
        "--username",
        "op",
        "--email",
        "op@example.org",
        env=first | {"DJANGO_SUPERUSER_PASSWORD": "a-long-password-42"},
    )
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "servicegate.backup"
    result = cli("backup", str(backup), env=first)
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 0
    again = cli("backup", str(backup), env=first)
    assert again.returncode == 2
    assert "exists already; choose another file or add --force." in again.stderr

    restored = cli("restore", str(backup), env=second)
    assert restored.returncode == 0, restored.stderr
    assert users(second) == "op"
    refused = cli("restore", str(backup), env=second)
    assert refused.returncode == 2
    assert "The database already holds data; nothing was changed." in refused.stderr
    assert cli("restore", str(backup), "--force", env=second).returncode == 0
    assert users(second) == "op"

    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(4096))
    wrong = cli("restore", str(junk), "--force", env=second)
    assert wrong.returncode == 2
    assert "nothing was changed." in wrong.stderr
    assert "Traceback" not in wrong.stderr
    missing = cli("restore", str(tmp_path / "nowhere"), env=second)
    assert missing.returncode == 2
    assert "There is no backup file at" in missing.stderr
    assert users(second) == "op"


@pytest.mark.xdist_group("serve")
def test_backup_and_restore_on_sqlite(tmp_path: Path) -> None:
    first = production_env(tmp_path / "one")
    second = production_env(tmp_path / "two")
    _backup_and_restore(first, second, tmp_path)


def _postgres(name: str) -> str | None:
    base = os.environ.get("SERVICEGATE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        result = subprocess.run(
            ["psql", f"{base}/postgres", "-q", "-c", statement],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return None
    return f"{base}/{name}"


@pytest.mark.xdist_group("serve")
def test_backup_and_restore_on_postgresql(tmp_path: Path) -> None:
    one, two = _postgres("sg_operate_backup_one"), _postgres("sg_operate_backup_two")
    if one is None or two is None:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 with psql")
    first = production_env(tmp_path / "one", DATABASE_URL=one)
    second = production_env(tmp_path / "two", DATABASE_URL=two)
    for env in (first, second):
        assert cli("migrate", "-v", "0", env=env).returncode == 0
    _backup_and_restore(first, second, tmp_path)


@pytest.mark.django_db
@override_settings(SERVICEGATE_MAX_UPLOAD_MB=1)
def test_a_body_over_the_upload_limit_is_refused_with_413(client: Client) -> None:
    response = client.post(
        "/api/v1/auth/token", data=b"x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The upload is 2 MB; at most 1 MB are accepted (SERVICEGATE_MAX_UPLOAD_MB)."
    }
    page = client.post("/operations/import/", data=b"x" * (2 * 1024 * 1024), content_type="x/y")
    assert page.status_code == 413


@pytest.mark.django_db
def test_uploads_of_finished_imports_are_deleted_after_the_retention(tmp_path: Path) -> None:
    now = timezone.now()
    root = tmp_path / "imports"

    def upload(name: str, status: str, finished_days_ago: float | None, age_days: float) -> Path:
        folder = root / name
        folder.mkdir(parents=True)
        path = folder / "tickets.csv"
        path.write_text("number\n")
        old = time.time() - age_days * 86400
        os.utime(folder, (old, old))
        finished = (
            now - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
        )
        Job.objects.create(
            kind="import",
            title=name,
            status=status,
            params={"path": str(path)},
            finished_at=finished,
        )
        return folder

    old_done = upload("old-done", "succeeded", 40, 40)
    recent_done = upload("recent-done", "failed", 2, 2)
    still_running = upload("running", "running", None, 90)
    orphan = root / "orphan"
    orphan.mkdir()
    os.utime(orphan, (time.time() - 45 * 86400,) * 2)
    with override_settings(MEDIA_ROOT=tmp_path, SERVICEGATE_UPLOAD_RETENTION_DAYS=30):
        assert uploads_prune(now=now) == 2
    assert not old_done.exists() and not orphan.exists()
    assert recent_done.exists() and still_running.exists()
