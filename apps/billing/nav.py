"""Billing's part of the app shell's menu (apps/core/navigation.py): « Facturation », Hokwe's
invoices to the organization, for its owners, managers and accountants (behind « More »: it
is visited once a month)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES: list[Entry] = [
    Entry(
        key="billing",
        label=_("Billing"),
        url="manager:billing",
        roles=("*.owner", "*.manager", "*.accountant"),
        order=905,
        group="more",
    ),
]
