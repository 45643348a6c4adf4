"""REST resources of the measurement area under /api/v1/."""

from ninja import Router

router = Router(tags=["measurement"])
