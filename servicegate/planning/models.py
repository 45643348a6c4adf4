"""Models of planning (added by the issues that build this area)."""
