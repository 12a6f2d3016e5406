"""Lending's part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []


# --- the borrower's loans: « Mes prêts » for tenants, next to the wallet and the score ---
ENTRIES += [
    Entry(
        key="lending-loans",
        label=_("My loans"),
        short_label=_("Loans"),
        url="lending:loans",
        roles=("tenant",),
        order=957,
        group="more",
    ),
]


# --- landlord advances: « Avance sur loyers », a tab of the owner's area, for the owners of an
# owner organization ---
ENTRIES += [
    Entry(
        key="lending-advances",
        label=_("Advance on rents"),
        short_label=_("Advance"),
        url="manager:lending-advances",
        roles=("owner.owner", "landlord"),
        parent="owner-portal",  # a tab of the owner's area (« Mes biens »)
        order=40,
    ),
]
