"""screening tables (see docs/scoring.md)."""

__all__: list[str] = []
