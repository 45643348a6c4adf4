"""Page-number pagination with a client-chosen page size (`?page=&page_size=`).

django-ninja's ``PageNumberPagination`` does the paging; Servicegate's API adds the
page and page size to each response and refuses a page size above 500 (422) rather
than cutting it silently.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # beyond it the offset leaves the database's integers


class Pagination(PageNumberPagination):
    """`{"count", "page", "page_size", "items"}`; page_size 50 by default, at most 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page."
        )

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(  # type: ignore[override]
        self,
        queryset: QuerySet[Any],
        pagination: Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)  # type: ignore[arg-type]
        return {
            "count": page["count"],
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": list(page[self.items_attribute]),
        }
