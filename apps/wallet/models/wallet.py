"""Wallets: one per user and currency, on the ledger's `user_wallet` account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

__all__ = ["CountedPayment", "RentPayment", "TopUp", "Wallet", "WalletUsage", "Withdrawal"]


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


class TopUp(BaseModel):
    """Money into the wallet by mobile money: a payments intent paid to Hokwe's e-money issuer
    and credited to the wallet's ledger account. The usage totals count it once, when the
    intent succeeds (handlers.py, PaymentSucceeded of purpose wallet.TopUp)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("received")
        FAILED = "failed", _("failed")

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="topups")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    intent = models.UUIDField(_("payment intent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    credited_at = models.DateTimeField(_("credited at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("top-up")
        verbose_name_plural = _("top-ups")
        constraints = [
            models.UniqueConstraint(fields=["wallet", "idempotency_key"], name="wallet_topup_key_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="wallet_topup_amount_positive"),
        ]


class Withdrawal(BaseModel):
    """Money out of the wallet to the user's own mobile money number: a payments payout from
    the wallet's account (a ledger hold; posted on the provider's confirmation, voided on
    failure)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        PAID = "paid", _("sent")
        FAILED = "failed", _("failed")

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="withdrawals")
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    phone = models.CharField(_("mobile money number"), max_length=32)
    payout = models.UUIDField(_("payout"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True, default="")
    usage_day = models.DateField(_("counted on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        constraints = [
            models.UniqueConstraint(fields=["wallet", "idempotency_key"], name="wallet_withdrawal_key_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="wallet_withdrawal_amount_positive"
            ),
        ]


class RentPayment(BaseModel):
    """A rent due paid from a ledger account (the wallet, a pot, a vault) by `pay_rent_due`:
    one row per idempotency key, so a retried call pays once."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due = models.UUIDField(_("rent due"))
    account = models.UUIDField(_("ledger account paid from"))
    intent = models.UUIDField(_("payment intent"))
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    idempotency_key = models.CharField(max_length=255, unique=True)

    class Meta:
        verbose_name = _("rent paid from the wallet")
        verbose_name_plural = _("rents paid from the wallet")


class CountedPayment(models.Model):
    """A wallet payment made by payments' own `pay_with_wallet` (the pay page), counted once in
    the payer's outflow by the PaymentSucceeded handler (the wallet's own routes count theirs
    as they pay)."""

    intent = models.UUIDField(_("payment intent"), unique=True)
    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField(_("amount"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("wallet payment counted")
        verbose_name_plural = _("wallet payments counted")

    def __str__(self):
        return f"payment {self.intent} counted"
