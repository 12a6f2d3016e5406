"""The wallet's admin (compliance and finance staff), one file per part."""

from . import safeguarding, split, tontine, wallet  # noqa: F401
