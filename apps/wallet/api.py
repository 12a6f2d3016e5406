"""PUBLIC: what other modules may call in the wallet (scoring and lending build on it).

from apps.wallet import api as wallet
"""

from __future__ import annotations

__all__: list[str] = []
