"""Demo payments (idempotent): a pending pay link for a demo tenant (printed by seed_demo),
a paid one with its receipt, a cash collection by the merchant agent, the agency's payout
account, and the sandbox routing of the embedded default."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .contracts import FeeRule
from .models import PaymentIntent, PayoutAccount
from .services import cash_record, intent_create

PENDING_KEY = "demo:pay-link:brice"


def _intent(org, tenant, *, key: str, amount: int, description: str) -> PaymentIntent:
    return intent_create(
        organization_id=org.pk,
        amount=amount,
        currency="XOF",
        purpose_type="payments.PayLink",
        purpose_id=key,
        description=description,
        payer_id=tenant.pk,
        fee_rule=FeeRule(basis_points=100),
        expires_at=timezone.now() + timedelta(days=30),
        idempotency_key=key,
    )


def _member(org, role: str):
    """The demo organization's member with `role` (through the user model, not identity's modules)."""
    return get_user_model().objects.filter(memberships__organization=org, memberships__role=role).first()


def seed(ctx) -> None:
    organizations = ctx.get("organizations") or {}
    tenants = ctx.get("tenants") or []
    agency = organizations.get("agency")
    merchant = organizations.get("merchant")
    if agency is None or len(tenants) < 2:
        return
    pending = _intent(
        agency,
        tenants[0],
        key=PENDING_KEY,
        amount=75_000,
        description="Loyer décembre 2026 — Appartement B2, Haie Vive",
    )
    if pending.status not in ("created", "pending", "failed") or pending.expires_at <= timezone.now():
        pending = _intent(
            agency,
            tenants[0],
            key=f"{PENDING_KEY}:{timezone.localdate().isoformat()}",
            amount=75_000,
            description="Loyer décembre 2026 — Appartement B2, Haie Vive",
        )
    paid = _intent(
        agency,
        tenants[1],
        key="demo:paid:estelle",
        amount=60_000,
        description="Loyer novembre 2026 — Studio C1",
    )
    collector = _member(agency, "collector")
    if paid.status == "created" and collector is not None:
        cash_record(actor=collector, intent=paid)
    if merchant is not None and len(tenants) > 2:
        agent = _member(merchant, "collector")
        sale = intent_create(
            organization_id=merchant.pk,
            amount=45_000,
            currency="XOF",
            purpose_type="payments.MerchantSale",
            description="Loyer novembre 2026 (payé au guichet)",
            payer_id=tenants[2].pk,
            idempotency_key="demo:cash:yannick",
        )
        if sale.status == "created" and agent is not None:
            cash_record(actor=agent, intent=sale)
    if not PayoutAccount.objects.filter(organization=agency).exists():
        PayoutAccount.objects.create(
            organization=agency,
            kind=PayoutAccount.Kind.MOBILE_MONEY,
            phone="+2290197000001",
            operator="mtn",
            holder_name=agency.name,
            verified_at=timezone.now(),
        )
    paid.refresh_from_db()
    links = ctx.setdefault("pay_links", [])
    links.append(("pending pay link (tenant Brice Zinsou, 75 000 FCFA)", f"/pay/{pending.pay_token}"))
    if paid.receipt_code:
        links.append(("receipt of a paid rent (Estelle Kpadonou)", f"/r/{paid.receipt_code}"))
    links.append(("embeddable checkout of the pending link", f"/checkout/{pending.pay_token}"))
    base = (settings.PAYMENT_PUBLIC_BASE_URL or "http://127.0.0.1:8000").rstrip("/")
    print("\nDemo payments (sandbox provider: approve or decline on its page):")  # noqa: T201
    for label, path in links:
        print(f"  {label:<52} {base}{path}")  # noqa: T201
