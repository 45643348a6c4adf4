"""REST resources of the maintenance area under /api/v1/."""

from ninja import Router

router = Router(tags=["maintenance"])
