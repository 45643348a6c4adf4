"""Demo steps of operations: the customers (before the promises name them) and the
installed base with its ticket history (after the promises, so clocks apply)."""
