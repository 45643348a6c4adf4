"""Models of scheduling (added by the issues that build this area)."""
