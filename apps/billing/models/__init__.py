"""Billing's tables, one file per part (docs/billing.md)."""

from .catalog import *  # noqa: F403
from .dunning import *  # noqa: F403
from .invoices import *  # noqa: F403
from .subscriptions import *  # noqa: F403
from .usage import *  # noqa: F403
