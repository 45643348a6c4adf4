"""The generation of the measured figures, and the cache of what is computed from them.

Attainment, its trend and the breach Pareto change only when clocks are written (every
ticket write, a recomputation, a summary rebuild) or when a promise, or a name it is
shown with, changes. Each of those writes gives the figures a new generation
(:func:`figures_changed`, in the write's own transaction); :func:`cached` keeps a
computed value under the generation it was computed at. A reader reads the generation
first and the figures after it, so a value kept under a generation holds every write
committed before that generation was set: the request after a write always sees it.

The cache is Django's (``settings.CACHES``): per server process by default, shared
through Redis with ``SERVICEGATE_CACHE=redis``; either way the generation lives in the
database, so no process serves figures older than the last write.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from servicegate.measurement.models import FiguresGeneration

T = TypeVar("T")

#: The primary key of the one generation row (created by the migration).
ROW = 1
#: Seconds a cached value lives at most; the generation, not this, keeps it current.
CACHE_SECONDS = 600


def generation() -> int:
    """The figures' current generation (0 before the first write)."""
    value = FiguresGeneration.objects.filter(pk=ROW).values_list("value", flat=True).first()
    return 0 if value is None else int(value)


def figures_changed() -> None:
    """Give the figures a new generation, in the caller's transaction (if any).

    Call it in every write that changes a measured figure or a promise's name; inside
    the write's transaction the new generation becomes visible with the write itself.
    """
    value = secrets.randbits(62) + 1
    if not FiguresGeneration.objects.filter(pk=ROW).update(value=value):
        FiguresGeneration.objects.update_or_create(pk=ROW, defaults={"value": value})


def on_shown_change(sender: type[Any], **kwargs: Any) -> None:
    """``post_save``/``post_delete`` of a promise or of a name it is shown with."""
    figures_changed()


def cache_key(name: str, *parts: Any) -> str:
    """The key of ``name`` with ``parts`` in the current language on the current UTC day
    (the running period is marked partial)."""
    today = timezone.now().astimezone(UTC).date()
    raw = repr((name, parts, get_language(), today.isoformat()))
    return "measurement-figures:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache under ``name`` and ``parts`` with the generation
    it was computed at, and served while that generation is current.

    The generation is read before ``compute`` reads anything: a write that commits
    while it runs gives a new generation, so the value is never served for a generation
    it misses a write of. One entry per key, overwritten by the next generation's value:
    the cache holds no figures of earlier generations.
    """
    current = generation()
    key = cache_key(name, *parts)
    entry: tuple[int, T] | None = cache.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    cache.set(key, (current, value), CACHE_SECONDS)
    return value
