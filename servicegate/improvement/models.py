"""Models of improvement (added by the issues that build this area)."""
