"""Market's admin (moderation staff, support), one file per part."""

from . import applications, listings, search, services, visits  # noqa: F401
