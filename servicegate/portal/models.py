"""Models of portal (added by the issues that build this area)."""
