"""What write endpoints share: related ids turned into objects, and a refused write
answered 422 with its first sentence (``detail``) and every field error (``errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from ninja import Status


def invalid(exc: ValidationError) -> Status[dict[str, Any]]:
    """422 with the first sentence as ``detail`` and all messages per field."""
    if hasattr(exc, "error_dict"):
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0]
    return Status(422, {"detail": first, "errors": errors})


def resolve(data: dict[str, Any], related: Mapping[str, type[Model]]) -> dict[str, Any]:
    """``data`` with the ids of ``related`` fields turned into objects; an unknown id is a
    field error (``ValidationError``)."""
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        model = related.get(key)
        if model is None or value is None:
            out[key] = value
            continue
        try:
            out[key] = model._default_manager.get(pk=value)
        except ObjectDoesNotExist:
            errors[key] = [
                _("There is no %(model)s with id %(id)s.")
                % {"model": model._meta.verbose_name, "id": value}
            ]
    if errors:
        raise ValidationError(errors)
    return out
