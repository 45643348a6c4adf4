"""Field types the API's schemas share.

Pydantic reads a date leniently: the number ``0`` becomes 1 January 1970. The OpenAPI
document promises ISO dates (``format: date``), so :data:`IsoDate` refuses anything
else with a 422 that says how to write one. A ninja ``Schema`` reads any object by its
attributes (to serialise models), so a body of all-default fields took ``[]`` or
``null`` for "no change"; :class:`JsonObject` refuses a body that is not an object.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, model_validator

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("write a date as YYYY-MM-DD, e.g. 2026-03-31")


#: A day written ``YYYY-MM-DD`` (a date object from Python code passes too).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class JsonObject(Schema):
    """A request body that must be a JSON object (its fields may all have defaults)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("the body must be a JSON object")
        return data
