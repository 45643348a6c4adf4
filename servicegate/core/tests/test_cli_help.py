"""`servicegate --help` lists every command with one line, grouped."""

from __future__ import annotations

from pathlib import Path

from servicegate.cli import COMMAND_GROUPS, ENGINE_COMMANDS, usage

PACKAGE = Path(__file__).resolve().parents[2]


def _listed() -> set[str]:
    return {name.split()[0] for _group, rows in COMMAND_GROUPS for name, _text in rows}


def test_every_engine_and_app_command_is_listed() -> None:
    commands = {
        path.stem.replace("_", "-")
        for path in PACKAGE.glob("*/management/commands/*.py")
        if path.stem != "__init__"
    }
    assert commands | set(ENGINE_COMMANDS) <= _listed()


def test_the_commands_the_help_used_to_hide_are_there() -> None:
    text = usage()
    for command in ("import", "sla discover", "forecast-db", "clocks-recompute", "feasibility"):
        assert f"  {command}" in text


def test_groups_in_order_and_one_line_per_command() -> None:
    groups = [group for group, _rows in COMMAND_GROUPS]
    assert groups == ["Serving", "Data", "Measurement", "Planning", "Django administration"]
    rows = sum(len(rows) for _group, rows in COMMAND_GROUPS)
    command_lines = [line for line in usage().splitlines() if line.startswith("  ")]
    assert len(command_lines) == rows
    assert all(len(line) <= 100 for line in command_lines)
