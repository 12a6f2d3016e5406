"""Invest's accounts on the ledger and at the partners.

- `invest.partner.<partner code>` (system, liability, one per currency): what Hokwe owes the
  partner for the orders it executed (subscriptions and buys credit it when they settle;
  redemptions and sells debit it when the cash reaches the wallet; dividends and coupons
  too). The partner's own settlement with Hokwe's bank moves it back toward zero.
- PartnerAccount: the investor's reference at a partner (`HKW-` and 10 characters of the
  user's public id), opened with the first order.
"""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction

from apps.ledger import api as ledger
from apps.ledger.contracts import AccountKind, OwnerType

from ..models import Partner, PartnerAccount

PARTNER_PREFIX = "invest.partner."


def partner_ledger_account(partner: Partner, currency: str) -> UUID:
    return ledger.create_account(
        code=f"{PARTNER_PREFIX}{partner.code}",
        name=f"Invest partner {partner.name}",
        currency=currency,
        kind=AccountKind.LIABILITY,
        owner_type=OwnerType.SYSTEM,
    ).public_id


def partner_account(user, partner: Partner) -> PartnerAccount:
    row = PartnerAccount.objects.filter(user_id=user.pk, partner=partner).first()
    if row is not None:
        return row
    reference = f"HKW-{user.public_id.hex[:10].upper()}"
    try:
        with transaction.atomic():
            return PartnerAccount.objects.create(user_id=user.pk, partner=partner, reference=reference)
    except IntegrityError:
        return PartnerAccount.objects.get(user_id=user.pk, partner=partner)
