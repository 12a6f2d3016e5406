"""The KYC seam (issue 7 builds the kyc module; payments does not invent KYC).

`check(...)` is called before a payment intent is created, a wallet payment is made and a
payout is requested. When the kyc app is installed it calls `apps.kyc.api.check(...)`,
which is expected to raise a DomainError (e.g. a limit exceeded) to refuse; otherwise it
does nothing. The import is dynamic because kyc sits in the layer below and does not
exist yet; import-linter's layers contract already allows payments → kyc.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def check(
    *,
    user_public_id: str | None,
    organization_public_id: str | None,
    amount: int,
    currency: str,
    operation: str,
) -> None:
    """operation: "payment" (paying), "payout" (receiving money out), "wallet_payment"."""
    if not apps.is_installed("apps.kyc"):
        return
    kyc_api = import_module("apps.kyc.api")
    kyc_api.check(
        user=user_public_id,
        organization=organization_public_id,
        amount=amount,
        currency=currency,
        operation=operation,
    )
