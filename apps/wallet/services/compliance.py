"""Compliance on wallets: freeze and unfreeze (compliance staff, a reason, the audit log), and
the dormancy rule (docs/wallet.md, "The wallet").

Frozen: every movement is refused (`ensure_usable` under the lock of `move`), in and out.
Dormant: no user activity for WALLET_DORMANT_AFTER_DAYS (the daily beat sets `dormant_since`).
A dormant wallet still receives money (a P2P, a tontine pot, a refund); any user-initiated
activity (money out, a top-up) wakes it (`move` clears `dormant_since`). Dormancy is a flag for
compliance and the user's notice, never a block.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.audit import AuditCategory, audit_record
from apps.identity import api as identity
from apps.notifications import api as notifications

from ..errors import ReasonRequired
from ..models import Wallet

__all__ = ["mark_dormant", "wallet_freeze", "wallet_unfreeze"]

WALLET_FROZEN = "wallet.frozen"


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ReasonRequired(field="reason")
    return reason[:300]


def _set_status(*, actor, wallet: Wallet, status: str, reason: str, action: str) -> Wallet:
    identity.require(actor, "wallet.wallet.freeze", wallet)
    reason = _reason(reason)
    with transaction.atomic():
        # the wallet row and its usage row: the lock `move` takes (a move in flight finishes
        # first; the next one sees the new status)
        wallet = Wallet.objects.select_for_update().get(pk=wallet.pk)
        before = {"status": wallet.status, "reason": wallet.status_reason}
        if wallet.status == Wallet.Status.CLOSED:
            from ..errors import WalletClosed

            raise WalletClosed(field="wallet")
        wallet.status = status
        wallet.status_reason = reason
        wallet.status_changed_at = timezone.now()
        wallet.status_changed_by = actor
        wallet.save(
            update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "updated_at"]
        )
        audit_record(
            action=action,
            category=AuditCategory.MONEY,
            actor=actor,
            target=wallet,
            target_label=f"{wallet.currency} wallet",
            before=before,
            after={"status": status},
            reason=reason,
        )
    return wallet


def wallet_freeze(*, actor, wallet: Wallet, reason: str) -> Wallet:
    """Compliance freezes a wallet (a reason is required; audited). The user is told."""
    wallet = _set_status(
        actor=actor, wallet=wallet, status=Wallet.Status.FROZEN, reason=reason, action="wallet.wallet.frozen"
    )
    user = identity.get_user(id=wallet.user_id)
    transaction.on_commit(
        lambda: notifications.send(
            user.public_id,
            WALLET_FROZEN,
            {},
            idempotency_key=f"wallet:frozen:{wallet.public_id}:{wallet.status_changed_at.isoformat()}",
        )
    )
    return wallet


def wallet_unfreeze(*, actor, wallet: Wallet, reason: str) -> Wallet:
    """Compliance lifts a freeze (a reason is required; audited)."""
    return _set_status(
        actor=actor,
        wallet=wallet,
        status=Wallet.Status.ACTIVE,
        reason=reason,
        action="wallet.wallet.unfrozen",
    )


def mark_dormant(*, now=None) -> int:
    """The daily rule: wallets with no user activity since WALLET_DORMANT_AFTER_DAYS are
    dormant from now (one UPDATE; already dormant ones are left as they are)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WALLET_DORMANT_AFTER_DAYS)
    return (
        Wallet.objects.filter(dormant_since__isnull=True)
        .filter(Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff))
        .update(dormant_since=now, updated_at=now)
    )
