"""Scoring's part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []


# --- the tenant's own score: « Mon score locatif » for tenants, next to the wallet ---
ENTRIES += [
    Entry(
        key="scoring-score",
        label=_("My rent score"),
        short_label=_("My score"),
        url="scoring:score",
        roles=("tenant",),
        order=956,
        group="more",
    ),
]


# --- tenant screening: « Sélection des locataires », a tab of the leases' area (« Baux ») for
# owners and managers of agencies and owners (letting a unit starts there; the office's bar keeps
# its entries) ---
ENTRIES += [
    Entry(
        key="scoring-screening",
        label=_("Tenant screening"),
        short_label=_("Screening"),
        url="manager:scoring-screening",
        roles=("agency.owner", "agency.manager", "owner.owner", "owner.manager"),
        parent="leases",
        order=50,
    ),
    Entry(
        key="scoring-screening-policy",
        label=_("Screening thresholds"),
        url="manager:scoring-screening-policy",
        roles=("agency.owner", "agency.manager", "owner.owner", "owner.manager"),
        parent="leases",
        order=51,
    ),
]
