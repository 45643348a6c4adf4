"""Page-number pagination with a client-chosen page size (`?page=&page_size=`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 500


class Pagination(PaginationBase):
    """`{"count", "page", "page_size", "items"}`; page_size at most 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Input,
        request: HttpRequest | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": list(queryset[offset : offset + pagination.page_size]),
        }
