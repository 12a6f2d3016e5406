"""HokweSplit instalments by mobile money (a plan whose `source` is `momo`).

On its date the daily run turns an instalment into a payments intent paid to Hokwe's e-money
issuer organization and credited to the plan's vault (purpose `wallet.SplitInstalment`), and
sends its pay link to the tenant's phone (SMS and push). Paid, payments publishes
PaymentSucceeded and the handler marks the instalment paid (`instalment_paid`): the inflow is
counted in the saver's kyc totals, the streak moves. kyc's inflow limits are checked before the
request (money from outside into the saver's e-money, as a top-up)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.outbox import publish_many
from apps.kyc import api as kyc
from apps.notifications import api as notifications
from apps.payments import api as payments
from apps.payments.contracts import FeeRule, PurposeRef

from ..messages import WALLET_SPLIT_MOMO_REQUEST
from ..models import SplitInstalment, SplitPlan
from . import split
from .topups import issuer_organization
from .wallets import ensure_usable, record_inflow, usage_of_wallet

__all__ = ["PURPOSE_INSTALMENT", "cancel_requests", "instalment_paid", "request_instalment"]

PURPOSE_INSTALMENT = "wallet.SplitInstalment"


def request_instalment(*, instalment: SplitInstalment, today: date) -> bool:
    """Open the instalment's intent (key `wallet:split:<plan>:<date>`) and send its pay link.
    Returns False when the plan or instalment moved on meanwhile. Refusals (frozen wallet,
    kyc inflow limit) are DomainErrors: the instalment stays scheduled, retried tomorrow."""
    plan = instalment.plan
    wallet = plan.wallet
    ensure_usable(wallet)
    kyc.check(
        plan.user, "wallet_topup", instalment.amount, currency=plan.currency, usage=usage_of_wallet(wallet)
    )
    intent = payments.create_intent(
        organization=issuer_organization().public_id,
        amount=instalment.amount,
        currency=plan.currency,
        purpose=PurposeRef(PURPOSE_INSTALMENT, str(instalment.public_id)),
        description="Épargne HokweSplit (loyer)",
        credit_account=plan.vault,
        payer=plan.user.public_id,
        fee_rule=FeeRule(
            basis_points=settings.WALLET_TOPUP_FEE_BASIS_POINTS, fixed=settings.WALLET_TOPUP_FEE_FIXED
        ),
        metadata={"split_plan": str(plan.public_id), "instalment": str(instalment.public_id)},
        idempotency_key=split.key_for(plan, instalment.on),
    )
    with transaction.atomic():
        moved = SplitInstalment.objects.filter(
            pk=instalment.pk, status=SplitInstalment.Status.SCHEDULED
        ).update(
            status=SplitInstalment.Status.REQUESTED, intent=intent.public_id, attempts=instalment.attempts + 1
        )
        if not moved:
            return False
        notifications.send(
            plan.user.public_id,
            WALLET_SPLIT_MOMO_REQUEST,
            {
                "amount": {"amount": instalment.amount, "currency": plan.currency},
                "due_date": plan.due_date.isoformat(),
                "pay_url": _absolute(intent.pay_url),
            },
            idempotency_key=f"{split.key_for(plan, instalment.on)}:request",
        )
    return True


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    base = (settings.PAYMENT_PUBLIC_BASE_URL or "https://hokwe.com").rstrip("/")
    return base + url


def instalment_paid(*, instalment_id: str, intent_id: str, amount: int, fee: int, succeeded_at: str) -> None:
    """PaymentSucceeded for an instalment (the money is already in the vault). Idempotent. A
    plan already closed (settled, withdrawn) gives the late money straight back to the wallet."""
    credited = amount - fee
    with transaction.atomic():
        inst = (
            SplitInstalment.objects.select_for_update()
            .filter(public_id=UUID(str(instalment_id)), intent=UUID(str(intent_id)))
            .first()
        )
        if inst is None or inst.status == SplitInstalment.Status.PAID:
            return
        plan = SplitPlan.objects.select_for_update().select_related("wallet", "user").get(pk=inst.plan_id)
        paid_on = (
            timezone.localdate(datetime.fromisoformat(succeeded_at)) if succeeded_at else timezone.localdate()
        )
        if credited > 0:
            record_inflow(plan.wallet, credited)
        events = split.record_paid(plan, [inst], today=paid_on)
        inst.save(update_fields=["status", "paid_on", "last_error", "updated_at"])
        plan.save(update_fields=["streak", "best_streak", "updated_at"])
        publish_many(events)
        if plan.closed_at is not None and credited > 0:
            # the plan ended meanwhile: what is still in the vault goes back (the settlement
            # may already have counted this money if it landed before the plan closed)
            left = min(credited, split.vault_balance(plan))
            if left > 0:
                split._release(plan, left, f"late-{inst.public_id}")


def cancel_requests(plan: SplitPlan) -> int:
    """The plan stops (paused, cancelled, settled, withdrawn): its unpaid MoMo requests are
    cancelled (an intent already paid stays paid: `instalment_paid` handles it)."""
    rows = list(plan.instalments.filter(status=SplitInstalment.Status.REQUESTED, intent__isnull=False))
    for row in rows:
        try:
            payments.cancel_intent(row.intent)
        except DomainError:  # paid meanwhile, or already final: the handler decides
            continue
        SplitInstalment.objects.filter(pk=row.pk, status=SplitInstalment.Status.REQUESTED).update(
            status=SplitInstalment.Status.SKIPPED
        )
    return len(rows)
