"""Ads' part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []


# --- advertising: « Publicité », the advertiser's balance and campaigns ---
from django.utils.translation import gettext_lazy as _advertising_  # noqa: E402

ENTRIES += [
    Entry(
        key="ads-home",
        label=_advertising_("Advertising"),
        url="manager:ads-home",
        roles=("agency.owner", "agency.manager"),
        order=964,
        group="more",
    ),
]
