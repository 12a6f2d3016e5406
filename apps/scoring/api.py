"""PUBLIC: what other modules may call in scoring (lending underwrites with it, billing
counts screening reports, market shows valuations).

from apps.scoring import api as scoring
"""

from __future__ import annotations

__all__: list[str] = []
