"""Analytics' part of the app shell's menu (apps/core/navigation.py): the reports, for the
office of an agency (the roles estate's office pages use)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

OFFICE = ("agency.owner", "agency.manager", "agency.accountant", "agency.viewer")

ENTRIES = [
    Entry(
        key="reports",
        label=_("Reports"),
        url="manager:analytics-reports",
        roles=OFFICE,
        order=91,  # after recovery and payments: in « Plus » when the bar is full (the dashboard links to them)
    ),
]
