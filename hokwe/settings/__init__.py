"""Settings profiles: dev (embedded default), test, prod. See docs/operations.md."""
