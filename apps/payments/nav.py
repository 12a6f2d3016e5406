"""Payments' part of the app shell's menu (apps/core/navigation.py): payments and pay links for
the agency's office, the point of sale for whoever collects (identity.COLLECT_ROLES, as the
point of sale decides), the landing page of a merchant's agents."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry
from apps.identity import api as identity

OFFICE = ("agency.owner", "agency.manager", "agency.accountant", "agency.viewer")

ENTRIES = [
    Entry(
        key="payments",
        label=_("Payments"),
        url="manager:payments-list",
        roles=OFFICE,
        order=80,
    ),
    Entry(
        key="pay-link-new",
        label=_("New pay link"),
        url="manager:payments-new",
        roles=tuple(f"agency.{role}" for role in sorted(identity.FINANCE_ROLES | identity.COLLECT_ROLES)),
        parent="payments",
        order=1,
    ),
    Entry(
        key="payouts",
        label=_("Payouts"),
        url="manager:payments-payouts",
        roles=OFFICE,
        parent="payments",
        order=2,
    ),
    Entry(
        key="point-of-sale",
        label=_("Point of sale"),
        short_label=_("Till"),
        url="payments:merchant",
        roles=tuple(f"*.{role}" for role in sorted(identity.COLLECT_ROLES)),
        order=85,
        group="more",
        home=30,
        home_roles=("merchant.*",),
    ),
    Entry(
        key="cash-report",
        label=_("Cash report"),
        url="payments:merchant-cash-report",
        roles=tuple(f"*.{role}" for role in sorted(identity.COLLECT_ROLES)),
        parent="point-of-sale",
        order=1,
    ),
]


# Hokwe finance staff (web/finance.py): the suspense queue and the settlement imports.
def roles(user) -> set[str]:
    return {"staff.finance"} if user.is_staff and identity.can(user, "payments.admin.change") else set()


ENTRIES += [
    Entry(
        key="finance-suspense",
        label=_("Money in suspense"),
        short_label=_("In suspense"),
        url="manager:payments-finance-suspense",
        roles=("staff.finance",),
        order=90,
    ),
    Entry(
        key="finance-settlements",
        label=_("Settlements"),
        url="manager:payments-finance-settlements",
        roles=("staff.finance",),
        parent="finance-suspense",
        order=1,
    ),
]
