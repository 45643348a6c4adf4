"""Measured figures of promises for the pages and API of apps that measurement depends on.

The catalogue and promises cannot import measurement (it imports them); they read a
promise's attainment through the function ``settings.SERVICEGATE_PROMISE_ATTAINMENT``
names, like the other cross-app extension points.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


def promise_attainment(promise_ids: Sequence[int]) -> dict[int, Any]:
    """The measured attainment of each promise that has clocks (``n``, ``met``, ``rate``,
    ``ci_low``, ``ci_high``, ``level``, ``kept``, ``not_started``, ``in_scope``,
    ``coverage``); promises without clocks are absent."""
    figures = import_string(settings.SERVICEGATE_PROMISE_ATTAINMENT)
    return dict(figures(list(promise_ids)))
