"""Invest's part of the app shell's menu (apps/core/navigation.py): « Investir » for tenants
(estate's `tenant` role, as the wallet's « Mon portefeuille »: the savings it invests are
theirs), behind « Plus », next to the wallet and the loans."""

from django.utils.translation import pgettext_lazy

from apps.core.navigation import Entry

ENTRIES = [
    Entry(
        key="invest",
        label=pgettext_lazy("menu entry", "Invest"),
        short_label=pgettext_lazy("menu entry", "Invest"),
        url="invest:home",
        roles=("tenant",),
        order=959,
        group="more",
    ),
]
