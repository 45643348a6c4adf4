"""Gunicorn configuration used by `servicegate serve` (``-c python:...``).

Importing it drops gunicorn's ``Server`` header, which names the server and its version.
"""

from __future__ import annotations

from typing import Any

from gunicorn.http import wsgi

_original_default_headers = wsgi.Response.default_headers


def _default_headers(self: Any) -> list[str]:
    return [line for line in _original_default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers

graceful_timeout = 10
keepalive = 5
errorlog = "-"
loglevel = "warning"
proc_name = "servicegate"
