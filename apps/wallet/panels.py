"""The wallet's panels on other modules' pages (apps/core/panels.py).

`estate.tenant` (the tenant's space home, /pay/): « Mon portefeuille » with the available
balance, linking to /wallet/. Read without creating anything: a user with no wallet yet sees
zero and the link (the wallet is made on their first visit)."""

from __future__ import annotations

from apps.core.money import format_amount
from apps.core.panels import Panel

DEFAULT_CURRENCY = "XOF"


def tenant_wallet(request, **ids) -> dict | None:
    from .models import Wallet
    from .services import wallets

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    language = getattr(request, "LANGUAGE_CODE", "fr") or "fr"
    rows = []
    for wallet in Wallet.objects.filter(user_id=user.pk).order_by("created_at", "id")[:3]:
        info = wallets.wallet_info(wallet)
        rows.append(
            {
                "currency": wallet.currency,
                "available": format_amount(info.available, wallet.currency, language),
                "frozen": wallet.status != Wallet.Status.ACTIVE,
            }
        )
    if not rows:
        rows.append(
            {
                "currency": DEFAULT_CURRENCY,
                "available": format_amount(0, DEFAULT_CURRENCY, language),
                "frozen": False,
            }
        )
    return {"wallets": rows}


PANELS = [Panel(slot="estate.tenant", template="wallet/panels/tenant.html", context=tenant_wallet, order=50)]
