"""docs/deploy.md, followed: production settings, a fresh database, `servicegate serve`
and a separate `servicegate worker`, and the health checks a load balancer reads."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from servicegate.core.tests.test_backup_and_uploads import _postgres, cli
from servicegate.core.tests.test_serve import free_port, production_env, wait_for

pytestmark = pytest.mark.xdist_group("serve")

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"


def _health(base: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as response:
        return dict(json.load(response))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_deploy_guide_gives_a_healthy_server_and_worker(tmp_path: Path, database: str) -> None:
    guide = GUIDE.read_text()
    for step in ("servicegate migrate", "servicegate serve", "servicegate worker"):
        assert step in guide, f"docs/deploy.md no longer says {step!r}"
    extra: dict[str, str] = {}
    if database == "postgresql":
        url = _postgres("sg_operate_deploy")
        if url is None:
            pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 with psql")
        extra["DATABASE_URL"] = url
    (tmp_path / "data").mkdir()
    env = production_env(tmp_path / "data", SERVICEGATE_HEARTBEAT_SECONDS="1", **extra)
    assert cli("migrate", "-v", "0", env=env).returncode == 0
    check = cli("check", "--deploy", "--fail-level", "ERROR", env=env)
    assert check.returncode == 0, check.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "servicegate", "serve", "--port", str(port), "--no-worker"],
        env=env,
    )
    worker = subprocess.Popen([sys.executable, "-m", "servicegate", "worker", "-v", "0"], env=env)
    try:
        wait_for(f"{base}/api/v1/health/ready", server)
        deadline = time.monotonic() + 60
        body = _health(base)
        while body["worker"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
            body = _health(base)
        assert body["status"] == "ok", body
        assert body["database"] == "ok" and body["worker"] == "ok"
        with urllib.request.urlopen(f"{base}/api/v1/health/ready", timeout=5) as response:
            assert response.status == 200
        # the pages ask for a login, the API for a token
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:
            assert response.url.startswith(f"{base}/accounts/login/")
            assert "Content-Security-Policy" in response.headers
    finally:
        for process in (server, worker):
            process.terminate()
        assert server.wait(timeout=30) == 0
        worker.wait(timeout=30)
