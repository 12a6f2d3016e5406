"""Recovery's part of the app shell's menu (apps/core/navigation.py): the recovery desk for the
agency's office (the roles that read all of recovery) and the worklist of a collector, their
landing page."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry
from apps.identity import api as identity

from .rules import READ_ALL_ROLES

ENTRIES = [
    Entry(
        key="recovery",
        label=_("Recovery"),
        short_label=_("Arrears"),
        url="manager:recovery-dashboard",
        roles=tuple(f"agency.{role}" for role in sorted(READ_ALL_ROLES)),
        order=75,
        phone=4,
    ),
    Entry(
        key="recovery-cases",
        label=_("Cases"),
        url="manager:recovery-cases",
        roles=tuple(f"agency.{role}" for role in sorted(READ_ALL_ROLES)),
        parent="recovery",
        order=1,
    ),
    Entry(
        key="recovery-ladder",
        label=_("Reminder ladder"),
        url="manager:recovery-ladder",
        roles=tuple(f"agency.{role}" for role in sorted(identity.MANAGE_ROLES)),
        parent="recovery",
        order=2,
    ),
    Entry(
        key="recovery-handovers",
        label=_("Cash handovers"),
        url="manager:recovery-handovers",
        roles=tuple(f"agency.{role}" for role in sorted(READ_ALL_ROLES)),
        parent="recovery",
        order=3,
    ),
    Entry(
        key="worklist",
        label=_("My worklist"),
        short_label=_("Worklist"),
        url="recovery:field",
        roles=("agency.collector", "owner.collector"),
        order=5,
        phone=0,
        home=80,
    ),
]
