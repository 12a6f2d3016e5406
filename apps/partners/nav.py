"""Partners' part of the app shell's menu: « Développeurs », a tab of the team's area (« Plus »
› « Équipe »), for owners and managers."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES = [
    Entry(
        key="developers",
        label=_("Developers"),
        url="manager:partners-developers",
        roles=("*.owner", "*.manager"),
        parent="team",
        order=50,
    ),
]
