"""REST resources of the planning area under /api/v1/."""

from ninja import Router

router = Router(tags=["planning"])
