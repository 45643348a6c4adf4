"""The engines import no Django: every module of ``servicegate.engines`` (found with
``pkgutil``, so a new engine is covered without being named here) and the engine
commands of the CLI, imported in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import servicegate.cli_commands
import servicegate.engines


def pure_modules() -> list[str]:
    """Every engine module (tests excepted) and every engine command module."""
    names = []
    for package in (servicegate.engines, servicegate.cli_commands):
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if ".tests" not in info.name:
                names.append(info.name)
    return sorted(names)


def test_the_walk_finds_every_engine() -> None:
    names = pure_modules()
    for engine in ("calendars", "sla", "queueing", "simulation", "forecasting", "backtesting"):
        assert f"servicegate.engines.{engine}" in names
    assert "servicegate.cli_commands.sla" in names


def test_importing_the_engines_loads_no_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {pure_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded[:5]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
