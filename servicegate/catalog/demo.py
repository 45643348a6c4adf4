"""Demo step: the three customer segments of a machine builder."""

from __future__ import annotations

from servicegate.catalog.models import Segment
from servicegate.core.demo import DemoContext

SEGMENTS = (
    ("Automotive", "Car makers and their tier-1 suppliers: high-volume lines, costly downtime."),
    ("Food & Packaging", "Food, beverage and packaging plants: hygiene, seasonal peaks."),
    ("Medical & Pharma", "Medical devices and pharma: validated processes, documented service."),
)


def build(ctx: DemoContext) -> None:
    """Create the demo segments."""
    segments = [Segment.objects.create(name=n, description=d) for n, d in SEGMENTS]
    ctx.objects["segments"] = segments
    ctx.report(f"demo: {len(segments)} segments")
