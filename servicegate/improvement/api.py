"""REST resources of the improvement area under /api/v1/."""

from ninja import Router

router = Router(tags=["improvement"])
