"""Settings for the test suite: the production settings with test-only defaults."""

from __future__ import annotations

import os

os.environ.setdefault("SERVICEGATE_DEMO", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SERVICEGATE_TASKS", "immediate")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in browser tests

from servicegate.settings import *  # noqa: F403
from servicegate.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
