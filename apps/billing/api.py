"""PUBLIC: the functions other modules call. They return plain values or frozen dataclasses
from contracts.py, never querysets. Each part appends its own section and names in
`__all__` (the README's table lists exactly these)."""

from __future__ import annotations

__all__: list[str] = []
