"""P2P transfers' tables (see docs/wallet.md, "P2P transfers").

One row per confirmed transfer. A preview is not stored (a signed token carries it); its id
becomes the row's `preview_id`, unique, so one preview is confirmed at most once.

    completed                   the receiver had an account: wallet to wallet at once
    held ──► claimed            no account: the money waits in `wallet.p2p_held` until the
      │                         number signs up (claimed into the new wallet),
      ├────► returned           or WALLET_P2P_CLAIM_DAYS pass (back to the sender, by the beat),
      └────► cancelled          or the sender cancels it first
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = ["P2pTransfer"]


class P2pTransfer(BaseModel):
    class Status(models.TextChoices):
        COMPLETED = "completed", pgettext_lazy("a P2P transfer", "completed")
        HELD = "held", _("waiting for the receiver to sign up")
        CLAIMED = "claimed", pgettext_lazy("a P2P transfer", "claimed")
        RETURNED = "returned", _("returned to the sender")
        CANCELLED = "cancelled", pgettext_lazy("a P2P transfer", "cancelled")

    preview_id = models.UUIDField(_("preview"), unique=True, editable=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_wallet = models.ForeignKey("wallet.Wallet", on_delete=models.PROTECT, related_name="+")
    receiver_phone = models.CharField(_("receiver's phone"), max_length=20)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receiver_wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.BigIntegerField(_("amount"))
    fee = models.BigIntegerField(_("fee"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.CharField(_("note"), max_length=140, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    # the ledger transfers: out of the sender's wallet, then (held money) on to the receiver
    # or back to the sender
    sent_transfer = models.UUIDField(_("ledger transfer (sent)"))
    settled_transfer = models.UUIDField(_("ledger transfer (claim or return)"), null=True, blank=True)
    claim_until = models.DateTimeField(_("claim until"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("P2P transfer")
        verbose_name_plural = _("P2P transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "idempotency_key"], name="wallet_p2p_one_per_key"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="wallet_p2p_amount_positive"),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="wallet_p2p_fee_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(claim_until__isnull=False),
                name="wallet_p2p_held_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "receiver_phone"], name="wallet_p2p_held_phone"),
            models.Index(fields=["status", "claim_until"], name="wallet_p2p_held_due"),
        ]

    def __str__(self):
        return f"P2P {self.public_id} {self.amount} {self.currency} ({self.status})"
