"""The catalogue tests share the personas of the promises tests."""

from servicegate.promises.tests.conftest import *  # noqa: F403
