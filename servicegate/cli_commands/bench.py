"""`servicegate bench NAME`: run a benchmark script from the checkout's benchmarks/."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path


def benchmarks_dir() -> Path | None:
    """The benchmarks/ folder of the checkout (beside the package, or in the cwd)."""
    for candidate in (
        Path(__file__).resolve().parents[2] / "benchmarks",
        Path.cwd() / "benchmarks",
    ):
        if candidate.is_dir():
            return candidate
    return None


def run(args: argparse.Namespace) -> int:
    folder = benchmarks_dir()
    if folder is None:
        print("servicegate: error: no benchmarks/ folder found; run this from a checkout.")
        return 2
    script = folder / f"{args.name}.py"
    if not script.is_file():
        names = ", ".join(sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__"))
        print(f"servicegate: error: there is no benchmark {args.name!r}; choose one of {names}.")
        return 2
    spec = importlib.util.spec_from_file_location(f"benchmarks.{args.name}", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return int(module.main(list(args.args)))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("bench", help="run a benchmark side by side with its peers")
    parser.add_argument("name", help="benchmark name, e.g. sla or queueing")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="options for the benchmark")
    parser.set_defaults(func=run)
