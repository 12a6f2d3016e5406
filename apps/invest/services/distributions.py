"""Dividends (shares) and coupons (bonds) credited to the investors' wallets through the
ledger, from the partner's account (docs/invest.md « Dividends and coupons »). The units
held when the run pays (Hokwe's positions are the register: the partner's file is reconciled
against them daily). Once per investor and distribution."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.wallet import api as wallet

from .. import domain
from ..models import Distribution, DistributionPayment, Position
from .accounts import partner_ledger_account

LEDGER_CODE = "invest_distribution"


def pay_distribution(distribution: Distribution) -> int:
    """Pay what each holder is owed; returns how many were paid now. Re-runnable."""
    product = distribution.product
    account = partner_ledger_account(product.partner, product.currency)
    paid = 0
    holders = Position.objects.select_related("user").filter(product=product, quantity__gt=0)
    done = set(
        DistributionPayment.objects.filter(distribution=distribution).values_list("user_id", flat=True)
    )
    for position in holders.iterator(chunk_size=1_000):
        if position.user_id in done:
            continue
        amount = domain.value(position.quantity, distribution.per_unit)
        if amount <= 0:
            continue
        try:
            with transaction.atomic():
                row = DistributionPayment.objects.create(
                    distribution=distribution,
                    user_id=position.user_id,
                    quantity=position.quantity,
                    amount=amount,
                )
                result = wallet.credit_wallet(
                    user=position.user,
                    amount=amount,
                    currency=product.currency,
                    from_account=account,
                    idempotency_key=f"invest:distribution:{distribution.public_id}:{position.user.public_id}",
                    code=LEDGER_CODE,
                    kyc_operation=None,
                    description=f"HokweInvest {product.name}: {distribution.get_kind_display()}",
                    reference=f"invest.Distribution:{distribution.public_id}",
                )
                DistributionPayment.objects.filter(pk=row.pk).update(transfer=result.public_id)
                Position.objects.filter(pk=position.pk).update(income=F("income") + amount)
        except IntegrityError:
            continue
        paid += 1
    if distribution.status != Distribution.Status.PAID:
        Distribution.objects.filter(pk=distribution.pk).update(
            status=Distribution.Status.PAID, updated_at=timezone.now()
        )
    return paid


def pay_due(*, today=None) -> int:
    today = today or timezone.localdate()
    total = 0
    for distribution in Distribution.objects.select_related("product", "product__partner").filter(
        status=Distribution.Status.ANNOUNCED, pay_on__lte=today
    ):
        total += pay_distribution(distribution)
    return total
