"""Demo money: tenants' wallets topped up, an agency's rent collected, a fee and a hold.
Idempotent: every transfer has a fixed key, so a second run replays instead of posting."""

from . import api
from .contracts import Leg


def seed(ctx) -> None:
    clearing = api.system_account(code="provider_clearing.sandbox", currency="XOF").public_id
    fees = api.system_account(code="fees_revenue", currency="XOF").public_id
    for tenant in ctx.get("tenants", []):
        wallet = api.user_wallet(user=tenant.public_id).public_id
        api.transfer(
            idempotency_key=f"demo:top_up:{tenant.public_id}",
            code="wallet_top_up",
            description="Rechargement Mobile Money (démo)",
            legs=[Leg.debit(clearing, 50_000, "XOF"), Leg.credit(wallet, 50_000, "XOF")],
        )
    agency = ctx.get("organizations", {}).get("agency")
    if agency is None:
        return
    payable = api.organization_account(organization=agency.public_id, code="owners_payable").public_id
    for index, tenant in enumerate(ctx.get("tenants", [])):
        wallet = api.user_wallet(user=tenant.public_id).public_id
        api.transfer(
            idempotency_key=f"demo:rent:{tenant.public_id}",
            code="rent_payment",
            description="Loyer (démo)",
            reference=f"demo:rent:{index}",
            legs=[
                Leg.debit(wallet, 35_000, "XOF"),
                Leg.credit(payable, 34_475, "XOF"),
                Leg.credit(fees, 525, "XOF"),
            ],
        )
    api.hold(
        idempotency_key=f"demo:payout_hold:{agency.public_id}",
        code="payout",
        description="Reversement au propriétaire en attente (démo)",
        legs=[Leg.debit(payable, 20_000, "XOF"), Leg.credit(clearing, 20_000, "XOF")],
    )
