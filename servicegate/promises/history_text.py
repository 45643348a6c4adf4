"""History entries as sentences in the reader's language, rendered when shown.

An audit entry stores what happened (action, changed fields with old and new values,
the user's own comment), never a sentence: the words are chosen here, at display time,
so that a German reader reads German whatever language the writer used. Values with
choices appear by their label, numbers localised, dates in the reader's format.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from servicegate.promises.choices import CLOCK_STATUS_CHOICES, Decision, PromiseState
from servicegate.promises.models import AuditEntry, GateReview, Promise

STATUS_LABELS = dict(CLOCK_STATUS_CHOICES)
STATUS_LISTS = frozenset({"clock_start_statuses", "clock_pause_statuses", "clock_stop_statuses"})


def sentences(entry: AuditEntry) -> list[str]:
    """What ``entry`` records, as sentences (its comment is shown beside them as written)."""
    changes: dict[str, Any] = entry.changes or {}
    model = GateReview if entry.content_type.model == "gatereview" else Promise
    if entry.action == "transition" and "state" in changes:
        out = [_transition(changes)]
        if "gate" in changes and "decision" in changes:
            out.insert(0, _decided(_new(changes, "gate"), _new(changes, "decision")))
        if "replaced_by" in changes:
            pk = _new(changes, "replaced_by")
            out.append(_("Replaced by promise #%(pk)s, which went into service.") % {"pk": pk})
        return out
    if entry.action == "decide" and "decision" in changes:
        return [_("Review decided: %(decision)s.") % {"decision": _label(Decision, changes)}]
    if entry.action == "create" and "review" in changes:
        return [_("The %(gate)s review was opened.") % {"gate": _new(changes, "gate")}]
    if entry.action == "create" and "replaces" in changes:
        pk = _new(changes, "replaces")
        return [_("Created."), _("Revision of promise #%(pk)s.") % {"pk": pk}]
    if entry.action == "create":
        return [_("Created.")]
    if set(changes) == {"successor"}:
        return [_("Revised by promise #%(pk)s.") % {"pk": _new(changes, "successor")}]
    if entry.action == "evidence":
        return [_("Evidence added: %(evidence)s") % {"evidence": _new(changes, "evidence")}]
    if entry.action == "answer":
        return [_("%(n)s checklist answers given.") % {"n": len(changes)}]
    return [_change(model, name, old_new) for name, old_new in changes.items()]


def _decided(gate: str, decision: str) -> str:
    label = Decision(decision).label if decision in Decision.values else decision
    return _("%(gate)s decided: %(decision)s.") % {"gate": gate, "decision": label}


def _transition(changes: dict[str, Any]) -> str:
    old, new = _pair(changes["state"])
    return _("The state changed from “%(old)s” to “%(new)s”.") % {
        "old": _state(old),
        "new": _state(new),
    }


def _pair(value: Any) -> tuple[Any, Any]:
    """``(old, new)`` of a stored change (a list of two; anything else: nothing)."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1]
    return None, None


def _state(value: Any) -> str:
    return str(PromiseState(value).label) if value in PromiseState.values else str(value or "—")


def _label(choices: type[models.TextChoices], changes: dict[str, Any]) -> str:
    value = _new(changes, "decision")
    return str(choices(value).label) if value in choices.values else value


def _new(changes: dict[str, Any], name: str) -> str:
    pair = changes.get(name) or [None, None]
    return str(pair[-1] if pair[-1] is not None else "—")


def _change(model: type[models.Model], name: str, old_new: Any) -> str:
    old, new = _pair(old_new)
    try:
        field: Any = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    label = str(field.verbose_name) if field is not None else name
    return _("%(field)s: %(old)s → %(new)s") % {
        "field": label[:1].upper() + label[1:],
        "old": _value(field, name, old),
        "new": _value(field, name, new),
    }


def _value(field: Any, name: str, value: Any) -> str:
    """A stored value for display: a choice by its label, a number localised."""
    if value is None or value == "" or value == []:
        return "—"
    if name in STATUS_LISTS and isinstance(value, list):
        return ", ".join(str(STATUS_LABELS.get(v, v)) for v in value)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(field, models.DecimalField | models.IntegerField):
        try:
            return number_format(Decimal(str(value)).normalize(), use_l10n=True)
        except InvalidOperation:
            return str(value)
    return str(value)
