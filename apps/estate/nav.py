"""Estate's part of the app shell's menu (apps/core/navigation.py): the agency's rentals (its
dashboard is the office's landing page), the owner portal of a landlord, the tenant space.

Roles estate knows: `landlord` (a member of an organization that owns properties, as the
owner portal decides) and `tenant` (a tenant on a lease, as the tenant space decides)."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry
from apps.identity import api as identity

from . import selectors
from .models import LeaseTenant

OFFICE = ("agency.owner", "agency.manager", "agency.accountant", "agency.viewer")
FINANCE = tuple(f"agency.{role}" for role in sorted(identity.FINANCE_ROLES))  # estate.finance.manage


def roles(user) -> set[str]:
    found = set()
    if identity.organization_ids_of(user) and selectors.owner_ids(user):
        found.add("landlord")
    if LeaseTenant.objects.filter(user_id=user.pk).exists():
        found.add("tenant")
    return found


ENTRIES = [
    Entry(
        key="dashboard",
        label=_("Dashboard"),
        short_label=_("Home"),
        url="manager:estate-dashboard",
        roles=OFFICE,
        order=10,
        phone=1,
        home=100,
    ),
    Entry(key="properties", label=_("Properties"), url="manager:estate-properties", roles=OFFICE, order=20),
    Entry(key="leases", label=_("Leases"), url="manager:estate-leases", roles=OFFICE, order=30, phone=2),
    Entry(
        key="dues",
        label=_("Dues"),
        short_label=_("Rents"),
        url="manager:estate-dues",
        roles=OFFICE,
        order=40,
        phone=3,
    ),
    Entry(key="receipts", label=_("Receipts"), url="manager:estate-receipts", roles=OFFICE, order=50),
    Entry(key="maintenance", label=_("Maintenance"), url="manager:estate-tickets", roles=OFFICE, order=60),
    Entry(key="statements", label=_("Statements"), url="manager:estate-statements", roles=OFFICE, order=70),
    # statement import and matching (MoMo / bank statements): finance roles, tabs of the dues area
    Entry(
        key="bank-import",
        label=_("Bank and MoMo"),
        url="manager:estate-bank-import",
        roles=FINANCE,
        order=75,
        parent="dues",
    ),
    Entry(
        key="bank-review",
        label=_("Review queue"),
        url="manager:estate-bank-review",
        roles=FINANCE,
        order=76,
        parent="dues",
    ),
    Entry(
        key="bank-rules",
        label=_("Matching rules"),
        url="manager:estate-bank-rules",
        roles=FINANCE,
        order=77,
        parent="dues",
    ),
    Entry(
        key="owner-portal",
        label=_("My properties"),
        short_label=_("Properties"),
        url="manager:estate-owner-portal",
        roles=("landlord",),
        order=15,
        phone=1,
        home=60,
    ),
    Entry(
        key="tenant-space",
        label=_("My tenant space"),
        short_label=_("My rent"),
        url="estate:tenant-home",
        roles=("tenant",),
        order=950,
        group="more",
        home=10,
    ),
]
