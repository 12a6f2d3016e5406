"""Demo HokweWallet (run by `manage.py seed_demo` after identity, ledger, payments and estate):

- each demo tenant's wallet gets 60 000 FCFA more, moved through the wallet's own primitive
  (`wallets.move` from the sandbox provider's clearing account, as a sandbox top-up credits
  it: usage totals and kyc's inflow counted), on top of what the ledger's demo left there;
- a Cotis'Hokwe group « Tontine des Cocotiers (démo) » (50 000 FCFA a month, fixed order)
  organised by the first demo tenant (+2290161000001, a member from the start), the other
  demo tenants invited: they join in the app by accepting the invitation with their SMS code;
  the organiser starts it at 3 members;
- a HokweSplit plan (daily instalments, vault locked until the due date) toward the first
  open rent due at least two days away of the first demo tenant who has one.

Idempotent and fast: fixed ledger keys (a second run replays), the group found by its name,
the plan by its due; each step is skipped when a part is missing or refuses (said on stderr).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from apps.core.errors import DomainError
from apps.estate import api as estate
from apps.ledger import api as ledger

logger = logging.getLogger("hokwe.wallet.demo")

CURRENCY = "XOF"
TOP_UP = 60_000
GROUP_NAME = "Tontine des Cocotiers (démo)"
CONTRIBUTION = 50_000  # three members: a 150 000 FCFA pot, enough for a demo rent


def seed(ctx) -> None:
    tenants = list(ctx.get("tenants") or [])
    if not tenants:
        return
    saver = ctx.get("tenant_moving_in")
    _wallets(tenants + ([saver] if saver is not None else []))
    group = _tontine(tenants)
    plan = _split(saver)
    ctx["wallet"] = {"tontine": group, "split_plan": plan}


def _wallets(tenants) -> None:
    from .services import wallets

    clearing = ledger.system_account(code="provider_clearing.sandbox", currency=CURRENCY).public_id
    for tenant in tenants:
        wallet = wallets.wallet_for(tenant, CURRENCY)
        wallets.move(
            idempotency_key=f"demo:wallet:top_up:{tenant.public_id}",
            code="wallet_top_up",
            debit=clearing,
            credit=wallet.account,
            amount=TOP_UP,
            currency=CURRENCY,
            into=wallet,
            description="Rechargement Mobile Money (démo, sandbox)",
        )


def _tontine(tenants):
    try:
        from .models import TontineGroup
        from .services import tontine
    except ImportError:  # Cotis'Hokwe not there yet
        return None
    organiser = tenants[0]
    group = TontineGroup.objects.filter(name=GROUP_NAME, organiser=organiser).first()
    if group is not None:
        return group
    try:
        group = tontine.group_create(
            actor=organiser,
            name=GROUP_NAME,
            contribution=CONTRIBUTION,
            currency=CURRENCY,
            frequency="monthly",
            start_date=timezone.localdate() + timedelta(days=7),
            max_members=6,
            order_method="fixed",  # the organiser gives the order when starting
            late_penalty=1_000,
            grace_days=2,
        )
        others = [str(t.phone) for t in tenants[1:]]
        if others:
            tontine.invite(actor=organiser, group=group, phones=others)
    except DomainError as exc:
        logger.warning("wallet_demo_tontine_skipped", extra={"error": repr(exc)})
        return None
    return group


def _split(saver):
    """A HokweSplit plan toward the tenant moving in next month's first full rent: their dues
    are weeks ahead whatever the day of the month (the other demo tenants' next dues are a
    day or two away early in the month, and not issued yet until the month-end run)."""
    try:
        from .models import SplitPlan
        from .services import split
    except ImportError:  # HokweSplit not there yet
        return None
    existing = SplitPlan.objects.order_by("id").first()
    if existing is not None or saver is None:
        return existing
    soon = timezone.localdate() + timedelta(days=2)
    dues = [
        due
        for due in estate.tenant_open_dues(saver.public_id)
        if due.due_date >= soon and due.outstanding > 0 and due.currency == CURRENCY
    ]
    if not dues:
        return None
    try:
        return split.plan_create(actor=saver, due=dues[-1].public_id, frequency="daily")
    except DomainError as exc:
        logger.warning("wallet_demo_split_skipped", extra={"error": repr(exc)})
    return None
