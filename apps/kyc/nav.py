"""KYC's part of the app shell's menu (apps/core/navigation.py): business verification (KYB)
for the organization's owners and managers."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES = [
    Entry(
        key="kyb",
        label=_("Business verification"),
        short_label=_("Verification"),
        url="manager:kyc_index",
        roles=("*.owner", "*.manager"),
        order=910,
        group="more",
    ),
]
