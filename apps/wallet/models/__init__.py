"""The wallet's tables, one file per part: wallet.py (wallets, withdrawals, usage
totals), p2p.py (transfers by phone), tontine.py (Cotis'Hokwe), split.py (HokweSplit), safeguarding.py."""

from .p2p import *  # noqa: F403
from .safeguarding import *  # noqa: F403
from .split import *  # noqa: F403
from .tontine import *  # noqa: F403
from .wallet import *  # noqa: F403
