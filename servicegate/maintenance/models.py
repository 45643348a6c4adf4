"""Models of maintenance (added by the issues that build this area)."""
