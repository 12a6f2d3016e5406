"""The wallet's tables, one file per part: wallet.py (wallets, P2P, withdrawals, usage
totals), tontine.py (Cotis'Hokwe), split.py (HokweSplit), safeguarding.py."""

from .safeguarding import *  # noqa: F403
from .split import *  # noqa: F403
from .tontine import *  # noqa: F403
from .wallet import *  # noqa: F403
