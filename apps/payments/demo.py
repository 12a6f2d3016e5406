"""Demo payments (idempotent): a pending pay link for a demo tenant (printed by seed_demo),
a paid one with its receipt, a cash collection by the merchant agent, the agency's payout
account, the first landlord's MoMo payout account in his own name (verified by the sandbox's
account-holder lookup) with rent to pay out, and the sandbox routing of the embedded default."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .contracts import FeeRule
from .models import PaymentIntent, PayoutAccount
from .providers.http import ProviderCallInTransaction
from .services import cash_record, intent_create, payout_account_check_name

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


LANDLORD_PHONE = "+2290196000001"


def _landlord_payouts(landlord) -> None:
    """The demo landlord (Mathieu Adjovi, +2290196000001, no RCCM: kyc's demo approved his
    identity verification) gets a MoMo payout account in his own name — checked with the
    sandbox's account-holder lookup, as MTN's would be — and rent he received in cash on his
    owners' payable, ready to pay out (which asks for his TOTP step-up)."""
    if landlord is None:
        return
    owner = _member(landlord, "owner")
    if owner is None:
        return
    if not PayoutAccount.objects.filter(organization=landlord, phone=LANDLORD_PHONE).exists():
        account = PayoutAccount.objects.create(
            organization=landlord,
            kind=PayoutAccount.Kind.MOBILE_MONEY,
            phone=LANDLORD_PHONE,
            operator="mtn",
            holder_name=owner.full_name,
            created_by=owner,
        )
        try:
            payout_account_check_name(account_pk=account.pk)  # the sandbox: no network
        except ProviderCallInTransaction:  # a real operator API configured: staff will check
            pass
    rent = intent_create(
        organization_id=landlord.pk,
        amount=85_000,
        currency="XOF",
        purpose_type="payments.PayLink",
        purpose_id="demo:landlord-rent",
        description="Loyer novembre 2026 — Maison Fidjrossè (reçu en espèces)",
        payer_name="Locataire Fidjrossè",
        idempotency_key="demo:landlord-rent",
    )
    if rent.status == "created":
        cash_record(actor=owner, intent=rent)


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
    _landlord_payouts(organizations.get("landlord0"))
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
