"""delinquency tables (see docs/lending.md)."""

__all__: list[str] = []
