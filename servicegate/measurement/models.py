"""Models of measurement (added by the issues that build this area)."""
