"""HokweSplit tables (see docs/wallet.md, "HokweSplit"): a saving plan toward one rent due,
its instalments (the schedule) and the vault (a ledger account `wallet.vault.<plan>`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.models import BaseModel

__all__ = ["SplitInstalment", "SplitPlan"]


class SplitPlan(BaseModel):
    """A tenant saves toward one rent due (estate's, by public id): the target and the date
    come from the due. The money sits in the vault (`vault`, a ledger liability that cannot
    go negative), locked until the due date, when it pays the due; the surplus goes back
    to the wallet."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    class Source(models.TextChoices):
        WALLET = "wallet", _("auto-debit from the wallet")
        MOMO = "momo", _("mobile money request")

    class WithdrawalRule(models.TextChoices):
        FREE = "free", _("early withdrawal allowed, free")
        FEE = "fee", _("early withdrawal allowed, with a fee")
        LOCKED = "locked", _("no early withdrawal")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        PAID = "paid", _("rent paid")  # the vault paid the due
        SHORT = "short", _("target missed")  # due date reached with too little: money back to the wallet
        RELEASED = "released", _("released")  # the due was settled another way: money back
        CANCELLED = "cancelled", pgettext_lazy("a HokweSplit plan", "cancelled")
        WITHDRAWN = "withdrawn", _("withdrawn early")

    OPEN = (Status.ACTIVE, Status.PAUSED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="split_plans")
    wallet = models.ForeignKey("wallet.Wallet", on_delete=models.PROTECT, related_name="split_plans")
    lease = models.UUIDField(_("lease"))  # estate's public ids (estate sits below the wallet)
    due = models.UUIDField(_("rent due"))
    due_date = models.DateField(_("due date"))
    target = models.BigIntegerField(_("target"))  # minor units, what the due still owed at creation
    currency = models.CharField(_("currency"), max_length=3)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WALLET)
    withdrawal_rule = models.CharField(
        _("early withdrawal"), max_length=8, choices=WithdrawalRule.choices, default=WithdrawalRule.FEE
    )
    withdrawal_fee_bps = models.PositiveIntegerField(_("early withdrawal fee (basis points)"), default=0)
    vault = models.UUIDField(_("vault ledger account"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    streak = models.PositiveIntegerField(_("instalments on time in a row"), default=0)
    best_streak = models.PositiveIntegerField(_("best streak"), default=0)
    shortfall_alerted_on = models.DateField(_("shortfall alerted on"), null=True, blank=True)
    rent_intent = models.UUIDField(_("rent payment intent"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("HokweSplit plan")
        verbose_name_plural = _("HokweSplit plans")
        constraints = [
            models.UniqueConstraint(
                fields=["due"],
                condition=Q(status__in=["active", "paused"]),
                name="split_one_open_plan_per_due",
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="split_target_positive"),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="split_plan_status_due")]

    def __str__(self):
        return f"HokweSplit {self.public_id} ({self.target} {self.currency} by {self.due_date})"


class SplitInstalment(BaseModel):
    """One scheduled saving. `on` is its date (the idempotency key of its auto-debit is
    `wallet:split:<plan>:<on>`); paid on `on` counts for the streak."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        REQUESTED = "requested", _("requested by mobile money")
        PAID = "paid", _("paid")
        MISSED = (
            "missed",
            pgettext_lazy("a HokweSplit instalment", "missed"),
        )  # retried by the next daily runs until the due date
        SKIPPED = "skipped", _("skipped")  # the plan was paused, cancelled or closed

    plan = models.ForeignKey(SplitPlan, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveIntegerField(_("number"))
    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=64, blank=True, default="")
    intent = models.UUIDField(_("payment intent"), null=True, blank=True)  # MoMo requests

    class Meta:
        verbose_name = _("HokweSplit instalment")
        verbose_name_plural = _("HokweSplit instalments")
        ordering = ["plan_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="split_instalment_seq"),
            models.UniqueConstraint(fields=["plan", "on"], name="split_instalment_one_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="split_instalment_positive"),
        ]
        indexes = [  # the daily run's read: what is still to take, by date
            models.Index(
                fields=["on"], condition=Q(status__in=["scheduled", "missed"]), name="split_instalment_run"
            )
        ]

    def __str__(self):
        return f"{self.plan_id}#{self.seq} {self.on} {self.amount}"
