"""REST resources of the scheduling area under /api/v1/."""

from ninja import Router

router = Router(tags=["scheduling"])
