"""Wallets: one per user and currency, on the ledger's `user_wallet` account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["Wallet", "WalletUsage"]


class Wallet(BaseModel):
    """A user's e-money wallet in one currency. The money is the ledger account `account`
    (a liability that cannot go below zero); this row carries what the ledger does not:
    status (frozen by compliance, closed), dormancy and activity."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        FROZEN = "frozen", _("frozen")
        CLOSED = "closed", _("closed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallets")
    currency = models.CharField(_("currency"), max_length=3)
    account = models.UUIDField(_("ledger account"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    dormant_since = models.DateTimeField(_("dormant since"), null=True, blank=True)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        constraints = [models.UniqueConstraint(fields=["user", "currency"], name="wallet_one_per_currency")]

    def __str__(self):
        return f"{self.currency} wallet of {self.user_id}"


class WalletUsage(models.Model):
    """The stored usage totals kyc's cumulative limits read (no history sums): what left the
    wallet today and what came in this month, in the wallet's currency. Rolled over lazily
    (a row whose `day` is not today counts zero outflow today). Updated by
    `services.wallets.move` under a row lock, in the transaction of the ledger transfer."""

    wallet = models.OneToOneField(Wallet, on_delete=models.CASCADE, primary_key=True, related_name="usage")
    day = models.DateField(_("day"), null=True, blank=True)
    outflow_today = models.BigIntegerField(_("outflow on that day"), default=0)
    month = models.DateField(_("month"), null=True, blank=True)  # first day of the month
    inflow_this_month = models.BigIntegerField(_("inflow in that month"), default=0)

    class Meta:
        verbose_name = _("wallet usage")
        verbose_name_plural = _("wallet usage")

    def __str__(self):
        return f"usage of {self.wallet_id}"
