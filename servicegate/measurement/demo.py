"""Demo step: the clocks of every demo ticket, so the measurement pages show data."""

from __future__ import annotations

from servicegate.core.demo import DemoContext
from servicegate.measurement.services import clocks_recompute


def build(ctx: DemoContext) -> None:
    """Compute the clocks of all tickets of the demo organisation."""

    def progress(done: int, total: int | None, message: str) -> None:
        ctx.report(f"demo: clocks … {message}")

    result = clocks_recompute(progress=progress)
    ctx.objects["clocks"] = result.clocks
    ctx.report(f"demo: {result.clocks:,} clocks on {result.tickets:,} tickets")
