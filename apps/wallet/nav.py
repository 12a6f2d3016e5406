"""The wallet's part of the app shell's menu (apps/core/navigation.py): « Mon portefeuille »
for tenants (estate's `tenant` role: the people the tenant pay app serves), next to their
tenant space."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES = [
    Entry(
        key="wallet",
        label=_("My wallet"),
        short_label=_("Wallet"),
        url="wallet:home",
        roles=("tenant",),
        order=955,
        group="more",
    ),
]
