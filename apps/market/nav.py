"""Market's part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []
