"""Bad settings stop start-up with one sentence naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SERVICEGATE_", "DJANGO_"))}
    base.pop("SECRET_KEY", None)
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "servicegate", *args],
        env=base | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_outside_demo_is_one_sentence(tmp_path: Path) -> None:
    result = run_cli("check", env={"SERVICEGATE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SERVICEGATE_DEBUG", "maybe", "SERVICEGATE_DEBUG must be one of"),
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL must point to PostgreSQL"),
        ("SERVICEGATE_TASKS", "carrier-pigeon", "SERVICEGATE_TASKS must be database, redis"),
        ("SERVICEGATE_CACHE", "memcached", "SERVICEGATE_CACHE must be memory or redis"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
    ],
)
def test_malformed_setting_names_the_variable(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    env = {"SERVICEGATE_DATA_DIR": str(tmp_path), "SERVICEGATE_DEMO": "1", name: value}
    result = run_cli("check", env=env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_sentence(tmp_path: Path) -> None:
    env = {
        "SERVICEGATE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "SERVICEGATE_DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
    }
    result = run_cli("showmigrations", env=env)
    assert result.returncode == 1
    assert "Cannot reach the database at 127.0.0.1:1/nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    env = {
        "SERVICEGATE_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
        "ALLOWED_HOSTS": "servicegate.example.com",
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_database_is_created_on_first_use(tmp_path: Path) -> None:
    env = {"SERVICEGATE_DATA_DIR": str(tmp_path), "SERVICEGATE_DEBUG": "1"}
    result = run_cli("showmigrations", "accounts", env=env)
    assert result.returncode == 0, result.stderr
    result = run_cli(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group; "
        "print(sorted(Group.objects.values_list('name', flat=True)))",
        env=env,
    )
    assert (tmp_path / "servicegate.sqlite3").exists()
    assert "service_manager" in result.stdout


def test_commands_that_serve_no_pages_need_no_secret_key(tmp_path: Path) -> None:
    result = run_cli("showmigrations", "accounts", env={"SERVICEGATE_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "[ ] 0001_initial" in result.stdout or "[X] 0001_initial" in result.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
