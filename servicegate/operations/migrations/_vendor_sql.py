"""Run raw SQL statements per database vendor from a migration (triggers, functions)."""

from collections.abc import Callable, Sequence
from typing import Any

Statements = dict[str, Sequence[str]]


def runner(statements: Statements) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function executing the statements of the connection's vendor."""

    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run
