"""Errors the promise and gate services raise; the messages are whole sentences."""

from __future__ import annotations


class TransitionError(Exception):
    """A state change the lifecycle does not allow; the message says what is allowed."""


class ConcurrentEditError(Exception):
    """The object was changed by someone else since the caller loaded it."""
