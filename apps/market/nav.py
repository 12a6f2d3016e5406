"""Market's part of the app shell's menu (apps/core/navigation.py). Each part appends its
entries to ENTRIES."""

from apps.core.navigation import Entry

ENTRIES: list[Entry] = []


# --- visits: the agency's calendar of visits (« Visites ») ---
from django.utils.translation import gettext_lazy as _visits_  # noqa: E402

ENTRIES += [
    Entry(
        key="market-visits",
        label=_visits_("Visits"),
        url="manager:market-visits",
        roles=("agency.owner", "agency.manager"),
        order=93,
    ),
]


# --- listings: « Annonces », the organization's listings and its vacant units to publish ---
from django.utils.translation import gettext_lazy as _listings_  # noqa: E402

ENTRIES += [
    Entry(
        key="market-listings",
        label=_listings_("Listings"),
        url="manager:market-listings",
        roles=("agency.owner", "agency.manager"),
        order=92,
    ),
]


# --- local services: « Services » — ask movers, plumbers, electricians… for quotes (agencies
# may send a maintenance ticket), compare, pay, review ---
from django.utils.translation import gettext_lazy  # noqa: E402

ENTRIES += [
    Entry(
        key="market-services",
        label=gettext_lazy("Local services"),
        short_label=gettext_lazy("Tradespeople"),
        url="market:services",
        roles=("agency.owner", "agency.manager", "tenant"),
        order=962,
        group="more",
    ),
]
