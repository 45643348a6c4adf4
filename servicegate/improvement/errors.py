"""Errors the KVP services raise; the messages are whole sentences."""

from __future__ import annotations


class StageError(Exception):
    """A PDCA move the order does not allow now (answered with 409)."""
