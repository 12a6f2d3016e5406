"""The wallet's admin (compliance and finance staff), one file per part."""

from . import p2p, safeguarding, split, tontine, wallet  # noqa: F401
