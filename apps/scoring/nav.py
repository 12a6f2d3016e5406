"""Scoring's part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []


# --- the tenant's own score (S3): « Mon score locatif » for tenants, next to the wallet ---
ENTRIES += [
    Entry(
        key="scoring-score",
        label=_("My rent score"),
        short_label=_("Score"),
        url="scoring:score",
        roles=("tenant",),
        order=956,
        group="more",
    ),
]
