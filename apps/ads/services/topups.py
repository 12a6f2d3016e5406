"""Topping up the prepaid ad balance by mobile money (docs/ads.md, "Charging").

A top-up is a payments intent paid to Hokwe's ads organization, crediting the advertiser's
ad balance account on success (payments posts the ledger transfer). The handler of
`payments.PaymentSucceeded` marks the top-up paid once and lets delivery spend it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.payments import api as payments
from apps.payments.contracts import FeeRule, PurposeRef

from ..errors import InvalidTopUp
from ..models import Advertiser, TopUp
from ..selectors import advertiser_get
from .store import get_store

PURPOSE_TOPUP = "ads.TopUp"


def topup_create(*, actor, advertiser, amount: int, phone: str = "", idempotency_key: str = "") -> TopUp:
    """A top-up to pay (its pay link, or a mobile money request through payments)."""
    if not isinstance(advertiser, Advertiser):
        advertiser = advertiser_get(actor, advertiser, manage=True)
    from apps.identity import api as identity

    identity.require(actor, "ads.advertiser.manage", advertiser, hide=True)
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidTopUp(_("Give a whole amount."), field="amount")
    if amount < settings.ADS_MIN_TOPUP or amount > settings.ADS_MAX_TOPUP:
        raise InvalidTopUp(
            _("A top-up is between %(min)s and %(max)s.")
            % {"min": settings.ADS_MIN_TOPUP, "max": settings.ADS_MAX_TOPUP},
            field="amount",
        )
    from .advertisers import ads_organization

    key = idempotency_key or ""
    intent = payments.create_intent(
        organization=ads_organization().public_id,
        amount=amount,
        currency=advertiser.currency,
        purpose=PurposeRef(PURPOSE_TOPUP, str(advertiser.public_id)),
        description=f"Recharge publicité — {advertiser.name}"[:120],
        credit_account=advertiser.balance_account,
        payer_phone=phone or getattr(actor, "phone", "") or "",
        payer_name=advertiser.name[:120],
        fee_rule=FeeRule(),
        metadata={"advertiser": str(advertiser.public_id)},
        idempotency_key=f"ads:topup:{advertiser.public_id}:{key}" if key else "",
    )
    topup, _created = TopUp.objects.get_or_create(
        intent=intent.public_id,
        defaults={
            "advertiser": advertiser,
            "amount": amount,
            "currency": advertiser.currency,
            "created_by": actor,
        },
    )
    topup.pay_url = intent.pay_url
    return topup


def topup_paid(*, intent_id: str, amount: int) -> bool:
    """Once per intent: the top-up is paid, delivery may spend it (the ledger was credited by
    payments in the same event's transaction)."""
    with transaction.atomic():
        topup = (
            TopUp.objects.select_for_update().select_related("advertiser").filter(intent=intent_id).first()
        )
        if topup is None or topup.status == TopUp.Status.PAID:
            return False
        topup.status, topup.paid_at = TopUp.Status.PAID, timezone.now()
        topup.save(update_fields=["status", "paid_at", "updated_at"])
        key = topup.advertiser.public_id.hex
        credited = amount * 1000

        def _credit():
            store = get_store()
            if store.balance(key) is not None:
                store.add_balance(key, credited)

        transaction.on_commit(_credit)
        # campaigns that stopped for want of balance may run again
        from ..contracts import CampaignStatus
        from ..models import Campaign
        from . import delivery

        for campaign_id in Campaign.objects.filter(
            advertiser=topup.advertiser, status=CampaignStatus.ACTIVE
        ).values_list("pk", flat=True):
            delivery.load_on_commit(campaign_id)
    return True


def topup_failed(*, intent_id: str) -> None:
    TopUp.objects.filter(intent=intent_id, status=TopUp.Status.PENDING).update(
        status=TopUp.Status.FAILED, updated_at=timezone.now()
    )
