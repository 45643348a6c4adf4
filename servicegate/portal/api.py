"""REST resources of the portal area under /api/v1/."""

from ninja import Router

router = Router(tags=["portal"])
