"""PUBLIC: what other modules may call in lending (scoring reads loan repayments through
events; analytics reads the portfolio).

from apps.lending import api as lending
"""

from __future__ import annotations

__all__: list[str] = []
