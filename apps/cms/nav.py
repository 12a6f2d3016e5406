"""Cms's part of the app shell's menu (apps/core/navigation.py): the organization's document
vault (HokweDoc), behind « More »."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

ENTRIES: list[Entry] = [
    Entry(
        key="cms-vault",
        label=_("Document vault"),
        url="manager:cms-vault",
        roles=("agency.owner", "agency.manager", "agency.accountant", "agency.viewer", "owner.*"),
        order=958,
        group="more",
    ),
]
