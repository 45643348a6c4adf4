"""The README's command examples run as shown: each `servicegate …` line of its
"Examples" block exits 0 and prints the lines shown under it."""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"


@dataclass
class Example:
    """One command of the README with its environment and the output lines it shows."""

    line: str
    env: dict[str, str]
    argv: list[str]
    shows: list[str] = field(default_factory=list)


def readme_examples() -> list[Example]:
    """The commands of the first ``sh`` block after the README's "Examples" heading."""
    text = README.read_text(encoding="utf-8")
    block = text[text.index("### Examples") :]
    block = block[block.index("```sh\n") + 6 :]
    block = block[: block.index("```")]
    examples: list[Example] = []
    for line in block.splitlines():
        words = shlex.split(line)
        env = dict(w.split("=", 1) for w in words if "=" in w.partition(" ")[0])
        rest = [w for w in words if "=" not in w.partition(" ")[0]]
        if rest and rest[0] == "servicegate":
            examples.append(Example(line, env, rest[1:]))
        elif examples:
            examples[-1].shows.append(line)
    return examples


def _environment(example: Example, data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SERVICEGATE_", "DJANGO_"))
        and k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env["SERVICEGATE_DATA_DIR"] = str(data_dir)
    for key, value in example.env.items():
        env[key] = secrets.token_urlsafe(50) if value == "…" else value
    return env


def test_the_readme_shows_the_examples_the_issue_names() -> None:
    commands = [" ".join(e.argv[:2]) for e in readme_examples()]
    assert commands == ["--help", "sla deadline", "staffing erlang-c", "check --deploy"]


@pytest.mark.parametrize("example", readme_examples(), ids=lambda e: " ".join(e.argv[:2]))
def test_readme_example_runs_as_shown(example: Example, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "servicegate", *example.argv],
        cwd=ROOT,
        env=_environment(example, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed = [line.rstrip() for line in (done.stdout + done.stderr).splitlines()]
    assert [line for line in example.shows if line not in printed] == []
