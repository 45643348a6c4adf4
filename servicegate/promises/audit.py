"""Writing and reading the audit trail (see ``models.AuditEntry``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from servicegate.promises.models import AuditEntry


def jsonable(value: Any) -> Any:
    """``value`` as a JSON value: decimals and dates as strings, models as keys."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a stored file
        return getattr(value, "name", "") or ""
    return value


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """The JSON values of ``fields`` of ``obj`` (foreign keys as primary keys)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = jsonable(field.value_from_object(obj))  # type: ignore[union-attr]
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    obj: models.Model,
    by: User | AnonymousUser | None,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
) -> AuditEntry:
    """Append one audit entry about ``obj``."""
    user = by if isinstance(by, User) else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        user=user,
        action=action,
        changes=changes or {},
        comment=comment,
    )
