"""REST resources of the team area under /api/v1/."""

from ninja import Router

router = Router(tags=["team"])
